using EdgeLlm.Inference.Backends;
using EdgeLlm.Testing;

namespace EdgeLlm.Inference.Tests.Backends;

/// <summary>
/// native/ggml.lock tells the module build script which ggml a backend module must come from. It must
/// name the ggml that LLamaSharp's shipped libraries really are, or every module built from it is suspect.
/// </summary>
public sealed class NativeGgmlPinTests
{
    [Fact]
    public void TheLockNamesTheGgmlThatLLamaSharpShips()
    {
        var pins = File.ReadLines(Path.Combine(TestModels.RepositoryRoot, "native", "ggml.lock"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);

        Assert.Equal(pins["ggml_version"], GgmlNative.Version);
        Assert.StartsWith(GgmlNative.Commit, pins["llama_cpp_commit"], StringComparison.Ordinal);
        Assert.True(GgmlNative.Commit.Length >= 7, $"ggml_commit() returned '{GgmlNative.Commit}'");
    }
}
