using System.Globalization;

namespace EdgeLlm.EndToEnd.Tests.Support;

/// <summary>The pinned ggml of <c>native/ggml.lock</c>, read the way the build script reads it, so no test repeats its values.</summary>
internal sealed record GgmlLock(string LlamaCppTag, string LlamaCppCommit, string GgmlVersion, int BackendApiVersion)
{
    /// <summary>The pinned version with its minor number raised: another ggml, as b10361's 0.19.0 is beside b10221's 0.18.0.</summary>
    public string NextGgmlVersion
    {
        get
        {
            var parts = GgmlVersion.Split('.');
            return $"{parts[0]}.{int.Parse(parts[1], CultureInfo.InvariantCulture) + 1}.{parts[2]}";
        }
    }

    public static GgmlLock Read(string repositoryRoot)
    {
        var values = File.ReadAllLines(Path.Combine(repositoryRoot, "native", "ggml.lock"))
            .Where(line => line.Contains('=', StringComparison.Ordinal) && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
        return new GgmlLock(
            values["llama_cpp_tag"],
            values["llama_cpp_commit"],
            values["ggml_version"],
            int.Parse(values["ggml_backend_api_version"], CultureInfo.InvariantCulture));
    }
}
