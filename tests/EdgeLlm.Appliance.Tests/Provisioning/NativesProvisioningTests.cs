using EdgeLlm.Appliance.Tests.Support;
using EdgeLlm.EndToEnd.Tests.Support;

namespace EdgeLlm.Appliance.Tests.Provisioning;

/// <summary>
/// provision.sh and the llama.cpp natives (provisioning/natives.bash): the payload's natives/ come with the daemon;
/// --natives puts a folder scripts/build-natives.sh built in their place, or into an installed daemon on a rerun,
/// with only the libraries, manifest and ABI, root's and read-only; a rerun with the same folder changes nothing;
/// natives that need a library the host lacks are installed with a warning naming it; a folder that is not what its manifest says, or is for another platform, is refused before anything is written.
/// </summary>
[Collection(ApplianceCollection.Name)]
public sealed class NativesProvisioningTests(ApplianceFixture appliance) : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("edgellm-natives-").FullName;

    private string Payload => Path.Combine(appliance.Rootfs, "opt", "edgellm");

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void ThePayloadsNativesAreInstalledWithTheDaemonRootsAndReadOnly()
    {
        var natives = Path.Combine(appliance.NativeRoot, "opt", "edgellm", "natives");

        Assert.Equal(FakeNatives.Installable(appliance.BuiltNatives), Directory.GetFiles(natives).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("d 755 0:0 ./opt/edgellm/natives\n", appliance.NativeRootAfterSecondRun, StringComparison.Ordinal);
        Assert.Contains("f 644 0:0 ./opt/edgellm/natives/natives.manifest\n", appliance.NativeRootAfterSecondRun, StringComparison.Ordinal);
        Assert.Contains("f 644 0:0 ./opt/edgellm/natives/libggml-cpu-zen4.so\n", appliance.NativeRootAfterSecondRun, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenNativesReplaceThePayloadsAndARerunWithThemChangesNothing()
    {
        var root = Path.Combine(_scratch, "root");
        var natives = FakeNatives.Create(Path.Combine(_scratch, "built"), "linux-x64", "x64", "sandybridge", "icelake");

        var first = await ApplianceFixture.ProvisionAsync("--prefix", root, "--payload", Payload, "--natives", natives);
        var installed = Path.Combine(root, "opt", "edgellm", "natives");
        var afterFirst = await ApplianceFixture.ListAsync(root);
        var rerun = await ApplianceFixture.ProvisionAsync("--prefix", root, "--natives", natives);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("natives installed in", first.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(FakeNatives.Installable(natives), Directory.GetFiles(installed).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("libggml-cpu-zen4.so", Directory.GetFiles(installed).Select(Path.GetFileName));
        Assert.Equal(File.ReadAllText(Path.Combine(natives, "natives.manifest")), File.ReadAllText(Path.Combine(installed, "natives.manifest")));
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains("natives unchanged", rerun.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(afterFirst, await ApplianceFixture.ListAsync(root));
    }

    [Fact]
    public async Task ARerunWithNewNativesReplacesTheInstalledOnesWhole()
    {
        var root = Path.Combine(_scratch, "root");
        var newer = FakeNatives.Create(Path.Combine(_scratch, "newer"), "linux-x64", "x64", "alderlake");
        var first = await ApplianceFixture.ProvisionAsync("--prefix", root, "--payload", Payload);

        var rerun = await ApplianceFixture.ProvisionAsync("--prefix", root, "--natives", newer);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        var installed = Path.Combine(root, "opt", "edgellm", "natives");
        Assert.Equal(FakeNatives.Installable(newer), Directory.GetFiles(installed).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["natives"], Directory.GetDirectories(Path.Combine(root, "opt", "edgellm")).Select(Path.GetFileName).Where(n => n!.Contains("natives", StringComparison.Ordinal)));
        Assert.Contains("f 644 0:0 ./opt/edgellm/natives/libggml-cpu-alderlake.so\n", await ApplianceFixture.ListAsync(root), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NativesThatNeedALibraryThisHostLacksAreInstalledWithAWarningThatNamesIt()
    {
        var root = Path.Combine(_scratch, "root");
        var natives = FakeNatives.Create(Path.Combine(_scratch, "built"));
        var absent = Directory.CreateDirectory(Path.Combine(_scratch, "absent")).FullName;
        var source = Path.Combine(_scratch, "library.c");
        await File.WriteAllTextAsync(source, "int edgellm_stand_in(void) { return 0; }\n");
        await Command.RunToolAsync("gcc", "-shared", "-fPIC", "-o", Path.Combine(absent, "libedgellm-absent.so.1"), "-Wl,-soname,libedgellm-absent.so.1", source);
        await Command.RunToolAsync("gcc", "-shared", "-fPIC", "-o", Path.Combine(natives, "libllama.so"), source, "-Wl,--no-as-needed", $"-L{absent}", "-l:libedgellm-absent.so.1");
        FakeNatives.WriteManifest(natives);

        var result = await ApplianceFixture.ProvisionAsync("--prefix", root, "--payload", Payload, "--natives", natives);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("warning: the natives need libedgellm-absent.so.1 which this host lacks", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(FakeNatives.Sha256(Path.Combine(natives, "libllama.so")), FakeNatives.Sha256(Path.Combine(root, "opt", "edgellm", "natives", "libllama.so")));
    }

    [Theory]
    [InlineData("linux-arm64", "", 3, "built for 'linux-arm64', not linux-x64")]
    [InlineData("linux-x64", "libllama.so", 3, "libllama.so does not match its sha256")]
    [InlineData("linux-x64", "missing", 3, "has no libggml-cpu-x64.so, which natives.manifest lists")]
    public async Task NativesThatAreNotWhatTheirManifestSaysAreRefusedBeforeAnythingIsWritten(string platform, string changed, int exitCode, string reason)
    {
        var root = Path.Combine(_scratch, "refused");
        var natives = FakeNatives.Create(Path.Combine(_scratch, "built"), platform, "x64");
        if (changed == "missing")
        {
            File.Delete(Path.Combine(natives, "libggml-cpu-x64.so"));
        }
        else if (changed.Length > 0)
        {
            await File.AppendAllTextAsync(Path.Combine(natives, changed), "changed\n");
        }

        var result = await ApplianceFixture.ProvisionAsync("--prefix", root, "--payload", Payload, "--natives", natives);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(reason, result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "etc", "edgellm")));
        Assert.False(Directory.Exists(Path.Combine(root, "opt")));
    }

    [Fact]
    public async Task NativesAreRefusedForAContainerApplianceWhoseImageCarriesItsOwn()
    {
        var root = Path.Combine(_scratch, "container");

        var result = await ApplianceFixture.ProvisionAsync(
            "--prefix", root, "--mode", "container", "--image", "edgellm:9.8.7-cpu", "--natives", appliance.BuiltNatives);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("an image carries its own natives", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "etc", "edgellm")));
    }
}
