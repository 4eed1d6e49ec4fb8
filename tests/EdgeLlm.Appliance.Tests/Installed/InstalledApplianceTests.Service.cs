using System.Net;
using EdgeLlm.Appliance.Tests.Support;
using EdgeLlm.EndToEnd.Tests.Support;

namespace EdgeLlm.Appliance.Tests.Installed;

/// <summary>
/// The installed service as it runs: its root provisioned twice, the second run changing nothing; then started as
/// edgellm.service starts it, through the release launcher, as the provisioned edgellm user and group, reading the
/// root:edgellm 0640 settings through its group and credentials laid out both ways systemd lays them out.
/// </summary>
public sealed partial class InstalledApplianceTests
{
    [Fact]
    public void TheRootWasProvisionedTwiceAndTheSecondRunChangedNoFileModeOwnerOrContent()
    {
        Assert.Contains("kept the existing", appliance.SecondProvisioning.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(appliance.RootAfterFirstRun, appliance.RootAfterSecondRun);
    }

    [Fact]
    public async Task TheRunningDaemonsOwnFolderHoldsTheProvisionedNativesWhichItsUserCanRead()
    {
        var (uid, gid) = appliance.ServiceUser;
        var executable = new FileInfo($"/proc/{appliance.Daemon.ProcessId}/exe").ResolveLinkTarget(returnFinalTarget: true)!.FullName;

        // Where the daemon's default Inference:NativeDirectory looks: natives/ beside the program it runs.
        var manifest = Path.Combine(Path.GetDirectoryName(executable)!, "natives", "natives.manifest");
        var read = await Command.RunToolAsync("setpriv", "--reuid", $"{uid}", "--regid", $"{gid}", "--clear-groups", "cat", manifest);

        Assert.Equal(Path.Combine(appliance.Root, "opt", "edgellm", "edgellm"), executable);
        Assert.Equal(File.ReadAllText(Path.Combine(appliance.BuiltNatives, "natives.manifest")), read);
    }

    [Fact]
    public async Task TheDaemonRunsAsTheProvisionedUserAndGroupAloneWithTheUnitsUmask()
    {
        var (uid, gid) = appliance.ServiceUser;

        var status = await File.ReadAllLinesAsync($"/proc/{appliance.Daemon.ProcessId}/status");

        Assert.NotEqual(0, uid);
        Assert.Contains($"Uid:\t{uid}\t{uid}\t{uid}\t{uid}", status);
        Assert.Contains($"Gid:\t{gid}\t{gid}\t{gid}\t{gid}", status);
        Assert.Equal("", status.Single(l => l.StartsWith("Groups:", StringComparison.Ordinal))["Groups:".Length..].Trim());
        Assert.Contains("Umask:\t0027", status);
        var logs = Directory.GetFiles(Path.Combine(appliance.Root, "var", "log", "edgellm"));
        Assert.NotEmpty(logs);
        foreach (var log in logs)
        {
            Assert.Equal($"{uid}:{gid} 640", (await Command.RunToolAsync("stat", "-c", "%u:%g %a", log)).Trim());
        }
    }

    [Fact]
    public void TheReleaseLauncherStartedTheProvisionedDaemonAfterItsGuardPointedReleasesCurrentAtIt()
    {
        var daemon = Path.Combine(appliance.Root, "opt", "edgellm");

        Assert.Equal(Path.Combine(daemon, "edgellm"), new FileInfo($"/proc/{appliance.Daemon.ProcessId}/exe").LinkTarget);
        Assert.Equal(daemon, new FileInfo(Path.Combine(appliance.Root, "var", "lib", "edgellm", "releases", "current")).LinkTarget);
    }

    [Fact]
    public async Task OneCredentialReadThroughAnAclAndOneOfTheServiceUsersOwnAreBothUsed()
    {
        var (uid, gid) = appliance.ServiceUser;
        var throughAcl = Path.Combine(appliance.CredentialsDirectory, InstalledAppliance.AclCredential);
        var owned = Path.Combine(appliance.CredentialsDirectory, "api-tls-key");

        using var client = appliance.HttpsClient(appliance.CaFile);
        using var healthz = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        await AdminStatusOnceConnectedAsync();

        Assert.Equal("0:0 440", (await Command.RunToolAsync("stat", "-c", "%u:%g %a", throughAcl)).Trim());
        Assert.Contains($"user:{uid}:r--", await Command.RunToolAsync("getfacl", "-n", throughAcl), StringComparison.Ordinal);
        Assert.Equal($"{uid}:{gid} 400", (await Command.RunToolAsync("stat", "-c", "%u:%g %a", owned)).Trim());
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
    }

    [Fact]
    public async Task TheHealthCommandRunByAUserOutsideTheDaemonsGroupSaysOnOneLineThatItCannotReadTheSettings()
    {
        // The settings file as provisioning leaves it (root:edgellm 0640), in a folder anyone may enter.
        var folder = Directory.CreateDirectory(Path.Combine(appliance.Scratch, "outsider")).FullName;
        var settings = Path.Combine(folder, "edgellm.json");
        File.Copy(appliance.Settings.File, settings, overwrite: true);
        await Command.RunToolAsync("chown", "--reference=" + appliance.Settings.File, settings);
        await Command.RunToolAsync("chmod", "--reference=" + appliance.Settings.File, settings);

        var result = await Command.RunAsync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", appliance.Executable, "health", "--config", settings]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("edgellm: cannot read the settings: ", line, StringComparison.Ordinal);
        Assert.Contains(settings, line, StringComparison.Ordinal);
        Assert.Contains("denied", line, StringComparison.Ordinal);
    }
}
