using System.Text.Json;
using EdgeLlm.Appliance.Tests.Support;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Appliance.Tests.Images;

/// <summary>
/// scripts/image-steps.sh, the build stage of every image, run here without Docker on a build context made
/// the way .dockerignore allows: the image's filesystem is laid out with the right modes, and the
/// self-contained daemon in it runs with no .NET installed beside it, and the natives it was given lie where the
/// daemon looks first (opt/edgellm/natives) without the llama.cpp programs built beside them.
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
    public void TheNativesLieBesideTheDaemonAsBuiltWithoutTheLlamaCppPrograms()
    {
        var natives = Path.Combine(App, "natives");

        Assert.Equal(FakeNatives.Installable(appliance.BuiltNatives), Directory.GetFiles(natives).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(FakeNatives.Tools, tool => Assert.False(File.Exists(Path.Combine(natives, tool)), tool));
        Assert.All(FakeNatives.Installable(appliance.BuiltNatives), name =>
            Assert.Equal(FakeNatives.Sha256(Path.Combine(appliance.BuiltNatives, name)), FakeNatives.Sha256(Path.Combine(natives, name))));
        Assert.Contains("file=libggml-cpu-zen4.so ", File.ReadAllText(Path.Combine(natives, "natives.manifest")), StringComparison.Ordinal);
        Assert.Contains("natives_source=llama.cpp b10361 c2fd87ef425381d62715c8cd067b900ab0b4c11c", File.ReadAllLines(Path.Combine(App, "BUILD-INFO")));
    }

    [Theory]
    [InlineData("linux-arm64", "", "built for 'linux-arm64', not linux-x64")]
    [InlineData("linux-x64", "libggml-cpu-zen4.so", "libggml-cpu-zen4.so does not match its sha256")]
    [InlineData("linux-x64", "llama.abi", "llama.abi does not match abi_sha256")]
    [InlineData("linux-x64", "natives.manifest", "lists no libllama.so")]
    public async Task NativesThatAreNotWhatTheirManifestSaysAreRefusedBeforeThePublish(string platform, string changed, string reason)
    {
        var scratch = Directory.CreateTempSubdirectory("edgellm-image-natives-").FullName;
        try
        {
            var natives = FakeNatives.Create(Path.Combine(scratch, "natives"), platform);
            if (changed == "natives.manifest")
            {
                var manifest = Path.Combine(natives, changed);
                await File.WriteAllLinesAsync(manifest, File.ReadAllLines(manifest).Where(l => !l.StartsWith("file=libllama.so ", StringComparison.Ordinal)));
            }
            else if (changed.Length > 0)
            {
                await File.AppendAllTextAsync(Path.Combine(natives, changed), "changed\n");
            }

            var result = await Command.RunAsync(ApplianceFixture.Script("scripts", "image-steps.sh"),
                ["--rid", "linux-x64", "--rootfs", Path.Combine(scratch, "rootfs"), "--natives", natives]);

            Assert.True(result.ExitCode == 3, result.ToString());
            Assert.Contains(reason, result.StandardError, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(scratch, "rootfs", "opt")));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
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
