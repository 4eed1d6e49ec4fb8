using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Versions;

namespace EdgeLlm.Inference.Tests.Versions;

public sealed class ProbeCommandLineTests
{
    [Fact]
    public void TheChildGetsTheVersionsOwnSettingsAsItsGlobalOnesAndTheDaemonsBackends()
    {
        var global = new InferenceOptions
        {
            ContextSize = 2048, Threads = 4, GpuLayers = 10, MainGpu = 1, CpuFallback = true, MaxModelFileBytes = 1234,
            BackendModules = ["/opt/ggml/libggml-cuda.so"], NativeDirectory = "/opt/natives",
        };
        var version = new ModelOptions { Name = "small", Path = "/models/small.gguf", ContextSize = 256, Threads = 2, GpuLayers = 0, FallbackChatTemplate = "chatml" };

        var arguments = ProbeCommandLine.Arguments(version.Path, EffectiveModelSettings.Resolve(version, global), global, 4, TimeSpan.FromSeconds(90.5)).ToList();

        Assert.Equal(["probe", "--model", "/models/small.gguf", "--role", "chat", "--tokens", "4", "--timeout-seconds", "91"], arguments[..9]);
        Assert.Equal("256", After(arguments, "--Inference:ContextSize"));
        Assert.Equal("2", After(arguments, "--Inference:Threads"));
        Assert.Equal("0", After(arguments, "--Inference:GpuLayers"));
        Assert.Equal("chatml", After(arguments, "--Inference:FallbackChatTemplate"));
        Assert.Equal("1", After(arguments, "--Inference:MainGpu"));
        Assert.Equal("True", After(arguments, "--Inference:CpuFallback"));
        Assert.Equal("1234", After(arguments, "--Inference:MaxModelFileBytes"));
        Assert.Equal("/opt/ggml/libggml-cuda.so", After(arguments, "--Inference:BackendModules:0"));
        Assert.Equal("/opt/natives", After(arguments, "--Inference:NativeDirectory"));
    }

    [Fact]
    public void UnsetGpuLayersAndTheDefaultNativesFolderAreLeftToTheChild()
    {
        var global = new InferenceOptions();
        var version = new ModelOptions { Path = "/models/small.gguf" };

        var arguments = ProbeCommandLine.Arguments(version.Path, EffectiveModelSettings.Resolve(version, global), global, 4, TimeSpan.FromMinutes(3)).ToList();

        Assert.DoesNotContain("--Inference:GpuLayers", arguments);
        Assert.DoesNotContain("--Inference:NativeDirectory", arguments);
        Assert.Equal(global.ContextSize.ToString(System.Globalization.CultureInfo.InvariantCulture), After(arguments, "--Inference:ContextSize"));
    }

    [Fact]
    public void AnEmbeddingModelIsProbedAsOne()
    {
        var global = new InferenceOptions();
        var version = new ModelOptions { Path = "/models/bert.gguf", Role = "embedding" };

        var arguments = ProbeCommandLine.Arguments(version.Path, EffectiveModelSettings.Resolve(version, global), global, 4, TimeSpan.FromMinutes(3)).ToList();

        Assert.Equal("embedding", After(arguments, "--role"));
    }

    private static string After(List<string> arguments, string name) => arguments[arguments.IndexOf(name) + 1];
}
