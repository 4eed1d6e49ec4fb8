using System.Text.Json;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Backends;

/// <summary><c>edgellm doctor</c> as an operator runs it: the real binary, the real ggml, real (compiled) backend modules.</summary>
public sealed class DoctorCommandTests
{
    [Fact]
    public async Task OnACpuOnlyMachineItListsTheCpuDeviceItsFeaturesAndNoOffload()
    {
        var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(["doctor", "--json"]);

        Assert.Equal(0, exitCode);
        var report = JsonDocument.Parse(output).RootElement;
        var cpu = Assert.Single(report.GetProperty("backends").EnumerateArray(), b => b.GetProperty("name").GetString() == "CPU");
        var device = Assert.Single(cpu.GetProperty("devices").EnumerateArray());
        Assert.Equal("cpu", device.GetProperty("type").GetString());
        Assert.True(device.GetProperty("total_bytes").GetInt64() > 1L << 30, "the CPU device should report the machine's memory");
        Assert.False(report.GetProperty("gpu_offload").GetBoolean());
        Assert.Equal(0, report.GetProperty("modules").GetArrayLength());

        // The features ggml reports must agree with what the kernel says this CPU has.
        var features = report.GetProperty("cpu_features").EnumerateObject().Select(p => p.Name).ToHashSet();
        var flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal)).Split(' ').ToHashSet();
        Assert.Equal(flags.Contains("avx2"), features.Contains("AVX2"));
        Assert.Equal(flags.Contains("avx512f"), features.Contains("AVX512"));
        Assert.NotEmpty(features);
    }

    [Fact]
    public async Task AWorkingModulesDevicesAppearWithTheirMemoryAndOffloadBecomesPossible()
    {
        var module = BackendModuleFixtures.Get(FixtureModule.Gpu);

        var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(["doctor", "--Inference:BackendModules:0", module]);

        Assert.Equal(0, exitCode);
        Assert.Contains("EdgeLlmFixture", output, StringComparison.Ordinal);
        Assert.Matches(@"FIXTURE0\s+gpu\s+6\.0 GiB free of 8\.0 GiB\s+EdgeLlm fixture GPU", output);
        Assert.Contains($"ok     {module}", output, StringComparison.Ordinal);
        Assert.Contains("gpu offload  yes (1 GPU device(s); layers go to FIXTURE0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AModuleWithAMissingLibraryFailsTheCheckAndNamesTheLibrary()
    {
        var module = BackendModuleFixtures.Get(FixtureModule.NeedsMissingLibrary);

        var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(["doctor", "--Inference:BackendModules:0", module]);

        Assert.Equal(1, exitCode);
        Assert.Contains($"FAILED {module}: backend_module_missing_library", output, StringComparison.Ordinal);
        Assert.Contains($"{BackendModuleFixtures.MissingLibrary} => not found", output, StringComparison.Ordinal);
        Assert.Contains("libc.so.6 => ", output, StringComparison.Ordinal);
        Assert.Contains("gpu offload  no", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AModuleThatFindsNoDeviceFailsTheCheck()
    {
        var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(["doctor", "--Inference:BackendModules:0", BackendModuleFixtures.Get(FixtureModule.NoDevices)]);

        Assert.Equal(1, exitCode);
        Assert.Contains("backend_module_no_devices", output, StringComparison.Ordinal);
    }
}
