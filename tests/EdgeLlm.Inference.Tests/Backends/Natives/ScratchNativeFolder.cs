using System.Security.Cryptography;
using System.Text;
using EdgeLlm.Inference.Backends.Natives;

namespace EdgeLlm.Inference.Tests.Backends.Natives;

/// <summary>
/// A natives folder as scripts/build-natives.sh lays it out, in a temp directory, with stand-in libraries (the checks
/// before loading read only names and hashes) and the committed llama.abi; each part can be spoiled for a test.
/// </summary>
internal sealed class ScratchNativeFolder : IDisposable
{
    private static readonly string[] Libraries = ["libllama.so", "libmtmd.so", "libggml.so", "libggml-base.so", "libggml-cpu-x64.so", "libggml-cpu-zen4.so"];

    public ScratchNativeFolder(string? abiText = null, string platform = "linux-x64", int format = 1)
    {
        foreach (var library in Libraries)
        {
            File.WriteAllText(Path(library), "stand-in for " + library);
        }

        File.WriteAllText(Path(NativeFolder.AbiFileName), abiText ?? CommittedAbi.Text);
        WriteManifest(platform, format);
    }

    public string Folder { get; } = Directory.CreateTempSubdirectory("edgellm-natives-").FullName;

    public string Path(string name) => System.IO.Path.Combine(Folder, name);

    public void WriteManifest(string platform = "linux-x64", int format = 1, string? extraLines = null)
    {
        var text = new StringBuilder()
            .Append("# Written by scripts/build-natives.sh\n")
            .Append($"format={format}\n")
            .Append("key=0123456789abcdef\n")
            .Append($"platform={platform}\n")
            .Append("source=llama.cpp b10361 c2fd87ef425381d62715c8cd067b900ab0b4c11c\n")
            .Append("ggml_version=0.19.0\n")
            .Append("patches=llamasharp-0.30-context-params\n")
            .Append("variants=x64 zen4\n")
            .Append($"abi_sha256={Sha256(Path(NativeFolder.AbiFileName))}\n");
        foreach (var library in Libraries)
        {
            text.Append($"file={library} {Sha256(Path(library))}\n");
        }

        File.WriteAllText(Path(NativesManifest.FileName), text + (extraLines ?? ""));
    }

    public NativeFolderValidation Validate() => NativeFolder.Validate(Folder, ManagedInterop.LLamaSharp, "linux-x64");

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
