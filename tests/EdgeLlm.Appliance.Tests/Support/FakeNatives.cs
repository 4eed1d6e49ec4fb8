using System.Security.Cryptography;
using System.Text;

namespace EdgeLlm.Appliance.Tests.Support;

/// <summary>
/// A natives folder laid out as scripts/build-natives.sh --tools writes one (libraries, natives.manifest with a
/// sha256 per library, llama.abi, and the llama.cpp programs, which are never to be installed), with stand-in
/// bytes instead of compiled libraries: what provisioning and the image steps do with it needs no native build.
/// A daemon given it finds an ABI that is not LLamaSharp's and keeps LLamaSharp's own natives.
/// </summary>
internal static class FakeNatives
{
    public static readonly string[] Tools = ["llama-bench", "llama-batched-bench", "llama-server"];

    /// <summary>Writes the folder and returns its path; <paramref name="variants"/> name the CPU variant libraries.</summary>
    public static string Create(string folder, string platform = "linux-x64", params string[] variants)
    {
        variants = variants.Length == 0 ? ["x64", "haswell", "zen4"] : variants;
        Directory.CreateDirectory(folder);
        string[] libraries = ["libllama.so", "libmtmd.so", "libggml.so", "libggml-base.so", .. variants.Select(v => $"libggml-cpu-{v}.so")];
        foreach (var library in libraries)
        {
            File.WriteAllText(Path.Combine(folder, library), $"stand-in for {library} ({string.Join(' ', variants)})\n");
        }

        foreach (var tool in Tools)
        {
            var path = Path.Combine(folder, tool);
            File.WriteAllText(path, "#!/bin/sh\nexit 0\n");
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("755", 8));
        }

        File.WriteAllText(Path.Combine(folder, "llama.abi"), "abi 1\n# a stand-in: no struct LLamaSharp marshals\n");
        WriteManifest(folder, platform);
        return folder;
    }

    /// <summary>(Re)writes natives.manifest for the libraries in <paramref name="folder"/>, as the build script does.</summary>
    public static void WriteManifest(string folder, string platform = "linux-x64")
    {
        var libraries = Directory.GetFiles(folder, "lib*.so").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        var variants = libraries.Where(l => l.StartsWith("libggml-cpu-", StringComparison.Ordinal)).Select(l => l["libggml-cpu-".Length..^".so".Length]);
        var manifest = new StringBuilder()
            .Append("# Written by tests/EdgeLlm.Appliance.Tests (FakeNatives)\n")
            .Append("format=1\n")
            .Append($"platform={platform}\n")
            .Append("source=llama.cpp b10361 c2fd87ef425381d62715c8cd067b900ab0b4c11c\n")
            .Append("ggml_version=0.19.0\n")
            .Append("patches=llamasharp-0.30-context-params\n")
            .Append($"variants={string.Join(' ', variants)}\n")
            .Append($"abi_sha256={Sha256(Path.Combine(folder, "llama.abi"))}\n");
        foreach (var library in libraries)
        {
            manifest.Append($"file={library} {Sha256(Path.Combine(folder, library))}\n");
        }

        File.WriteAllText(Path.Combine(folder, "natives.manifest"), manifest.ToString());
    }

    /// <summary>The files a device gets from a natives folder: its libraries, the manifest and the ABI, no program.</summary>
    public static IEnumerable<string> Installable(string folder) =>
        Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>().Where(name => !Tools.Contains(name)).Order(StringComparer.Ordinal);

    public static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
}
