using System.Text.RegularExpressions;

namespace EdgeLlm.Inference.Backends.Natives;

/// <summary>
/// <c>natives.manifest</c>: what <c>scripts/build-natives.sh</c> built into a natives folder (source, patches, CPU
/// variants, the sha256 of every library and of <c>llama.abi</c>). Read as hostile input: size-limited, every line
/// checked, file names that are plain names only.
/// </summary>
internal sealed partial record NativesManifest(
    int Format,
    string Platform,
    string Source,
    string GgmlVersion,
    IReadOnlyList<string> Patches,
    IReadOnlyList<string> Variants,
    string AbiSha256,
    IReadOnlyDictionary<string, string> Files)
{
    public const string FileName = "natives.manifest";

    /// <summary>The libraries LLamaSharp loads by path; a folder without any of them cannot stand in for its own.</summary>
    public static readonly IReadOnlyList<string> RequiredLibraries = ["libllama.so", "libmtmd.so", "libggml.so", "libggml-base.so"];

    private const int MaxBytes = 64 << 10;

    public static NativesManifestResult Read(string path)
    {
        var file = new FileInfo(path);
        if (file.Length > MaxBytes)
        {
            return NativesManifestResult.Failed($"{FileName} is {file.Length} bytes, more than the {MaxBytes} a manifest may have.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in File.ReadAllText(path).Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return NativesManifestResult.Failed($"{FileName} line {lineNumber} is not key=value.");
            }

            var (key, value) = (line[..equals], line[(equals + 1)..]);
            if (key == "file")
            {
                var parts = value.Split(' ');
                if (parts.Length != 2 || !LibraryName().IsMatch(parts[0]) || !Sha256().IsMatch(parts[1]))
                {
                    return NativesManifestResult.Failed($"{FileName} line {lineNumber}: expected 'file=<library>.so <sha256>' with a plain file name.");
                }

                if (!files.TryAdd(parts[0], parts[1]))
                {
                    return NativesManifestResult.Failed($"{FileName} lists {parts[0]} twice.");
                }
            }
            else if (!values.TryAdd(key, value))
            {
                return NativesManifestResult.Failed($"{FileName} sets {key} twice.");
            }
        }

        var missingKey = new[] { "format", "platform", "source", "abi_sha256" }.FirstOrDefault(k => !values.ContainsKey(k));
        if (missingKey is not null)
        {
            return NativesManifestResult.Failed($"{FileName} has no {missingKey}=.");
        }

        if (!int.TryParse(values["format"], out var format))
        {
            return NativesManifestResult.Failed($"{FileName}: format={values["format"]} is not a number.");
        }

        if (!Sha256().IsMatch(values["abi_sha256"]))
        {
            return NativesManifestResult.Failed($"{FileName}: abi_sha256 is not a sha256.");
        }

        return new NativesManifestResult(
            new NativesManifest(
                format,
                values["platform"],
                values["source"],
                values.GetValueOrDefault("ggml_version", ""),
                Words(values.GetValueOrDefault("patches")),
                Words(values.GetValueOrDefault("variants")),
                values["abi_sha256"],
                files),
            null);
    }

    private static string[] Words(string? value) => value?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

    [GeneratedRegex("^lib[A-Za-z0-9_.+-]{1,120}\\.so$")]
    private static partial Regex LibraryName();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256();
}

/// <summary>A read manifest, or why it could not be read.</summary>
internal sealed record NativesManifestResult(NativesManifest? Manifest, string? Error)
{
    internal static NativesManifestResult Failed(string error) => new(null, error);
}
