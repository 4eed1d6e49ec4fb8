using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary><c>edgellm probe</c>: the child process an update uses to try a model before activating it.</summary>
public sealed class ProbeCommandTests
{
    [Fact]
    public async Task AGoodModelLoadsAndGeneratesTheAskedTokens()
    {
        var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(["probe", "--model", TestModels.Stories260K, "--tokens", "5"]);

        Assert.Equal(0, exitCode);
        Assert.Contains("probe ok: stories260K generated 5 token(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABrokenModelFailsTheProbeWithExitCodeOne()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.gguf");
        var bytes = await File.ReadAllBytesAsync(TestModels.Stories260K);
        await File.WriteAllBytesAsync(broken, bytes[..(bytes.Length / 3)]);
        try
        {
            var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(["probe", "--model", broken]);

            Assert.Equal(1, exitCode);
            Assert.Contains("could not be loaded", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public async Task NonsenseLimitsAreAUsageError()
    {
        var (exitCode, _) = await EdgeLlmProcess.RunToEndAsync(["probe", "--model", TestModels.Stories260K, "--tokens", "0"]);

        Assert.Equal(2, exitCode);
    }
}
