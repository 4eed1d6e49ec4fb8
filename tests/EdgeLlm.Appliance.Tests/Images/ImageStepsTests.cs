using System.Text.Json;
using EdgeLlm.Appliance.Tests.Support;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Appliance.Tests.Images;

/// <summary>
/// scripts/image-steps.sh, the build stage of every image, run here without Docker on a build context made
/// the way .dockerignore allows: the image's filesystem is laid out with the right modes, and the
/// self-contained daemon in it runs with no .NET installed beside it.
/// </summary>
[Collection(ApplianceCollection.Name)]
public sealed class ImageStepsTests(ApplianceFixture appliance)
{
    private string App => Path.Combine(appliance.Rootfs, "opt", "edgellm");

    [Fact]
    public void TheProgramIsReadOnlyToEveryoneButRootAndOnlyTheExecutableIsExecutable()
    {
        Assert.Equal(Mode("755"), File.GetUnixFileMode(Path.Combine(App, "edgellm")));
        var files = Directory.GetFiles(App, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "edgellm").ToArray();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Equal(Mode("644"), File.GetUnixFileMode(f)));
        Assert.All(Directory.GetDirectories(App, "*", SearchOption.AllDirectories), d => Assert.Equal(Mode("755"), File.GetUnixFileMode(d)));
    }

    [Fact]
    public void OnlyTheTargetPlatformsNativeLibrariesAreKept()
    {
        Assert.Equal(["linux-x64"], Directory.GetDirectories(Path.Combine(App, "runtimes")).Select(Path.GetFileName));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(App, "runtimes", "linux-x64"), "libllama.so", SearchOption.AllDirectories));
    }

    [Fact]
    public void TheBuildInfoRecordsTheVersionRevisionAndPinnedLlamaCppCommit()
    {
        var info = File.ReadAllLines(Path.Combine(App, "BUILD-INFO"));
        var pinned = File.ReadAllLines(Path.Combine(TestModels.RepositoryRoot, "native", "ggml.lock")).Single(l => l.StartsWith("llama_cpp_commit=", StringComparison.Ordinal));

        Assert.Contains($"version={ApplianceFixture.Version}", info);
        Assert.Contains($"revision={ApplianceFixture.Revision}", info);
        Assert.Contains("rid=linux-x64", info);
        Assert.Contains(pinned, info);
    }

    [Fact]
    public void TheDefaultSettingsListenInsideTheContainerAndLoadTheGivenBackendModule()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(appliance.Rootfs, "etc", "edgellm", "edgellm.json")));

        Assert.Equal("http://0.0.0.0:8080", settings.RootElement.GetProperty("Api").GetProperty("Urls").GetString());
        Assert.Equal(["/opt/edgellm/lib/libggml-cuda.so"], settings.RootElement.GetProperty("Inference").GetProperty("BackendModules").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("/etc/edgellm/trusted-keys", settings.RootElement.GetProperty("Updates").GetProperty("TrustedKeysDirectory").GetString());
        Assert.True(Directory.Exists(Path.Combine(appliance.Rootfs, "etc", "edgellm", "trusted-keys")));
    }

    [Fact]
    public void TheVolumesExistAndAreClosedToOthers()
    {
        Assert.Equal(Mode("750"), File.GetUnixFileMode(Path.Combine(appliance.Rootfs, "var", "lib", "edgellm")));
        Assert.Equal(Mode("750"), File.GetUnixFileMode(Path.Combine(appliance.Rootfs, "var", "log", "edgellm")));
    }

    [Fact]
    public async Task ThePublishedDaemonRunsWithoutADotnetInstallAndReportsItsVersion()
    {
        var result = await Command.RunAsync(Path.Combine(App, "edgellm"), ["--version"],
            environment: new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["DOTNET_ROOT"] = "/nonexistent" });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith(ApplianceFixture.Version, result.StandardOutput.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARootfsThatIsNotEmptyIsRefusedBeforeAnythingIsBuilt()
    {
        var result = await Command.RunAsync(ApplianceFixture.Script("scripts", "image-steps.sh"), ["--rid", "linux-x64", "--rootfs", appliance.Rootfs]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not empty", result.StandardError, StringComparison.Ordinal);
    }

    private static UnixFileMode Mode(string octal) => (UnixFileMode)Convert.ToInt32(octal, 8);
}
