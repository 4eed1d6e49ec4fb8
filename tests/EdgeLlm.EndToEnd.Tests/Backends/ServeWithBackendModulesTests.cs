using System.Net;
using System.Net.Http.Json;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Backends;

/// <summary>What <c>edgellm serve</c> does when its GPU module cannot be used: refuse to start, or serve on the CPU when told to.</summary>
public sealed class ServeWithBackendModulesTests
{
    [Fact]
    public async Task ADaemonWhoseModuleLacksALibraryExitsNonZeroNamingIt()
    {
        var module = BackendModuleFixtures.Get(FixtureModule.NeedsMissingLibrary);
        await using var daemon = await EdgeLlmProcess.StartAsync(TestModels.Stories260K, arguments: ["--Inference:BackendModules:0", module]);

        var exitCode = await daemon.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(1, exitCode);
        Assert.Contains("backend_module_missing_library", daemon.Output, StringComparison.Ordinal);
        Assert.Contains(BackendModuleFixtures.MissingLibrary, daemon.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"GpuLayers\":", daemon.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithCpuFallbackTheSameDaemonServesOnTheCpuAndSaysSo()
    {
        var module = BackendModuleFixtures.Get(FixtureModule.NeedsMissingLibrary);
        await using var daemon = await EdgeLlmProcess.StartAsync(
            TestModels.Stories260K,
            environment: new Dictionary<string, string> { ["EDGELLM__Inference__BackendModules__0"] = module, ["EDGELLM__Inference__CpuFallback"] = "true" });
        await daemon.WaitUntilReadyAsync(TimeSpan.FromMinutes(1));
        using var client = daemon.CreateClient(TimeSpan.FromMinutes(1));

        using var response = await client.PostAsJsonAsync("/v1/completions", new { prompt = "Once upon a time", max_tokens = 8, temperature = 0 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Serving on the CPU because a backend module failed", daemon.Output, StringComparison.Ordinal);
        Assert.Contains("\"GpuLayers\":0", daemon.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskingForGpuLayersWithoutAnyGpuIsRefusedAtStart()
    {
        await using var daemon = await EdgeLlmProcess.StartAsync(TestModels.Stories260K, arguments: ["--Inference:GpuLayers", "99"]);

        var exitCode = await daemon.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(1, exitCode);
        Assert.Contains("no_gpu_device", daemon.Output, StringComparison.Ordinal);
    }
}
