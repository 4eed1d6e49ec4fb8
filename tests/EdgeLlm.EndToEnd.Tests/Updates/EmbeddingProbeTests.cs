using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary><c>edgellm probe --role embedding</c>: an embedding model is tried by embedding a text, since it cannot generate.</summary>
public sealed class EmbeddingProbeTests
{
    [Fact]
    public async Task AnEmbeddingModelPassesTheProbeByEmbedding()
    {
        var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(["probe", "--model", SyntheticBert.MeanPooled, "--role", "embedding"]);

        Assert.Equal(0, exitCode);
        Assert.Contains($"probe ok: {Path.GetFileNameWithoutExtension(SyntheticBert.MeanPooled)} embedded a text into {SyntheticBert.HiddenSize} value(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABertProbedAsAChatModelFails()
    {
        var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(["probe", "--model", SyntheticBert.MeanPooled]);

        Assert.Equal(1, exitCode);
        Assert.Contains("could not be loaded", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownRoleIsAUsageError()
    {
        var (exitCode, _) = await EdgeLlmProcess.RunToEndAsync(["probe", "--model", SyntheticBert.MeanPooled, "--role", "embedder"]);

        Assert.Equal(2, exitCode);
    }
}
