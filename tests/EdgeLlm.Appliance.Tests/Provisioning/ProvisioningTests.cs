using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeLlm.Appliance.Tests.Support;
using EdgeLlm.EndToEnd.Tests.Support;

namespace EdgeLlm.Appliance.Tests.Provisioning;

/// <summary>
/// provisioning/provision.sh run into scratch roots (--prefix): what a blank host gets, with which owners and
/// modes; a second run changes nothing and shows no second key; bad inputs are refused before anything is written.
/// </summary>
[Collection(ApplianceCollection.Name)]
public sealed partial class ProvisioningTests(ApplianceFixture appliance)
{
    private string Root => appliance.NativeRoot;

    [Fact]
    public void BothRunsSucceed()
    {
        Assert.True(appliance.FirstProvisioning.ExitCode == 0, appliance.FirstProvisioning.ToString());
        Assert.True(appliance.SecondProvisioning.ExitCode == 0, appliance.SecondProvisioning.ToString());
        Assert.True(appliance.ContainerProvisioning.ExitCode == 0, appliance.ContainerProvisioning.ToString());
    }

    [Fact]
    public void TheDaemonGetsADedicatedSystemUserThatCannotLogIn()
    {
        var (uid, _) = EdgellmIds(Root);
        var entry = File.ReadAllLines(Path.Combine(Root, "etc", "passwd")).Single(l => l.StartsWith("edgellm:", StringComparison.Ordinal)).Split(':');

        Assert.InRange(uid, 1, 999);
        Assert.Equal("/var/lib/edgellm", entry[5]);
        Assert.Equal("/usr/sbin/nologin", entry[6]);
    }

    [Theory]
    [InlineData("etc/edgellm", "d 750 root edgellm")]
    [InlineData("etc/edgellm/edgellm.json", "f 640 root edgellm")]
    [InlineData("etc/edgellm/device-id", "f 644 root root")]
    [InlineData("etc/edgellm/trusted-keys", "d 750 root edgellm")]
    [InlineData("etc/edgellm/trusted-keys/publisher.pub", "f 640 root edgellm")]
    [InlineData("etc/edgellm/credentials", "d 700 root root")]
    [InlineData("etc/edgellm/credentials/mqtt-password", "f 600 root root")]
    [InlineData("etc/edgellm/credentials/api-tls-key", "f 600 root root")]
    [InlineData("etc/edgellm/tls", "d 750 root edgellm")]
    [InlineData("etc/edgellm/tls/ca.crt", "f 644 root edgellm")]
    [InlineData("etc/edgellm/tls/ca.key", "f 600 root root")]
    [InlineData("etc/edgellm/tls/server.crt", "f 644 root edgellm")]
    [InlineData("etc/systemd/system/edgellm.service.d/credentials.conf", "f 644 root root")]
    [InlineData("var/lib/edgellm", "d 750 edgellm edgellm")]
    [InlineData("var/lib/edgellm/incoming", "d 750 edgellm edgellm")]
    [InlineData("var/lib/edgellm/state.db", "f 640 edgellm edgellm")]
    [InlineData("var/log/edgellm", "d 750 edgellm edgellm")]
    [InlineData("opt/edgellm/edgellm", "f 755 root root")]
    [InlineData("opt/edgellm-supervisor/edgellm-release", "f 755 root root")]
    [InlineData("var/lib/edgellm/releases", "d 750 edgellm edgellm")]
    [InlineData("etc/systemd/system/edgellm.service", "f 644 root root")]
    [InlineData("usr/lib/sysusers.d/edgellm.conf", "f 644 root root")]
    [InlineData("usr/local/bin/edgellm", "f 755 root root")]
    [InlineData("usr/local/sbin/edgellm-usb-import", "f 755 root root")]
    public void EachFileHasItsOwnerAndMode(string path, string expected)
    {
        var (uid, gid) = EdgellmIds(Root);
        var expectedParts = expected.Split(' ');
        var owner = expectedParts[2] == "edgellm" ? uid : 0;
        var group = expectedParts[3] == "edgellm" ? gid : 0;

        Assert.Contains($"{expectedParts[0]} {expectedParts[1]} {owner}:{group} ./{path}\n", appliance.NativeRootAfterSecondRun, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSettingsComeFromTheTemplateWithTheTelemetrySectionFilled()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "etc", "edgellm", "edgellm.json")));
        var telemetry = settings.RootElement.GetProperty("Telemetry");
        var deviceId = File.ReadAllText(Path.Combine(Root, "etc", "edgellm", "device-id")).Trim();

        Assert.Equal(["BrokerUri", "Username", "PasswordFile", "Site", "Device"], telemetry.EnumerateObject().Select(p => p.Name));
        Assert.Equal("mqtts://broker.plant-7.lan:8883", telemetry.GetProperty("BrokerUri").GetString());
        Assert.Equal("device-7", telemetry.GetProperty("Username").GetString());
        Assert.Equal("credential:mqtt-password", telemetry.GetProperty("PasswordFile").GetString());
        Assert.Equal("plant-7", telemetry.GetProperty("Site").GetString());
        Assert.Equal(deviceId, telemetry.GetProperty("Device").GetString());
        var allowedHosts = settings.RootElement.GetProperty("Api").GetProperty("AllowedHosts").EnumerateArray().Select(h => h.GetString()).ToList();
        Assert.Equal(["localhost", "127.0.0.1"], allowedHosts.Take(2));
        Assert.Contains(System.Net.Dns.GetHostName(), allowedHosts);
        var model = Assert.Single(settings.RootElement.GetProperty("Inference").GetProperty("Models").EnumerateArray());
        Assert.Equal("stories", model.GetProperty("Name").GetString());
        Assert.Equal("broker-secret\n", File.ReadAllText(Path.Combine(Root, "etc", "edgellm", "credentials", "mqtt-password")));
        Assert.DoesNotContain("broker-secret", File.ReadAllText(Path.Combine(Root, "etc", "edgellm", "edgellm.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void TheApiServesHttpsOnTheLanAndPlainHttpOnlyOnLoopbackWithItsKeyAsACredential()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "etc", "edgellm", "edgellm.json")));
        var api = settings.RootElement.GetProperty("Api");

        Assert.Equal("https://0.0.0.0:8443;http://127.0.0.1:8080", api.GetProperty("Urls").GetString());
        Assert.Equal("/etc/edgellm/tls/server.crt", api.GetProperty("TlsCertificateFile").GetString());
        Assert.Equal("credential:api-tls-key", api.GetProperty("TlsKeyFile").GetString());
    }

    [Fact]
    public void EverySecretIsLoadedAsACredentialByTheUnitAndNoSettingIsNull()
    {
        var dropIn = File.ReadAllLines(Path.Combine(Root, "etc", "systemd", "system", "edgellm.service.d", "credentials.conf"));
        var settings = File.ReadAllText(Path.Combine(Root, "etc", "edgellm", "edgellm.json"));

        Assert.Contains("[Service]", dropIn);
        Assert.Equal(
            ["LoadCredential=api-tls-key:/etc/edgellm/credentials/api-tls-key", "LoadCredential=mqtt-password:/etc/edgellm/credentials/mqtt-password"],
            dropIn.Where(l => l.StartsWith("LoadCredential=", StringComparison.Ordinal)));
        Assert.Equal(["api-tls-key", "mqtt-password"], Directory.GetFiles(Path.Combine(Root, "etc", "edgellm", "credentials")).Select(Path.GetFileName).Order());
        Assert.DoesNotMatch(@":\s*null\b", settings);
    }

    [Fact]
    public void ADeviceProvisionedWithoutASiteHasNoSiteSettingSoTheDaemonsDefaultStands()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(appliance.ContainerRoot, "etc", "edgellm", "edgellm.json")));
        var telemetry = settings.RootElement.GetProperty("Telemetry");

        Assert.False(telemetry.TryGetProperty("Site", out _), telemetry.ToString());
        Assert.Equal(["Device"], telemetry.EnumerateObject().Select(p => p.Name));
        Assert.False(settings.RootElement.GetProperty("Inference").TryGetProperty("Models", out _));
        Assert.DoesNotMatch(@":\s*null\b", settings.RootElement.ToString());
    }

    [Fact]
    public void TheSecondRunFoundTheReleasesLinkDanglingAndKeptIt()
    {
        var link = new FileInfo(Path.Combine(Root, "var", "lib", "edgellm", "releases", "current"));

        Assert.True(appliance.ReleasesLinkDangledBeforeSecondRun, "the second run should have met a releases/current link that leads nowhere");
        Assert.True(appliance.SecondProvisioning.ExitCode == 0, appliance.SecondProvisioning.ToString());
        Assert.Equal("/opt/edgellm", link.LinkTarget);
    }

    [Fact]
    public void TheDeviceIdIsDerivedFromTheMachineIdWithoutRevealingIt()
    {
        var deviceId = File.ReadAllText(Path.Combine(Root, "etc", "edgellm", "device-id")).Trim();

        Assert.Equal(ApplianceFixture.DeviceIdFor(ApplianceFixture.MachineId), deviceId);
        Assert.DoesNotContain(ApplianceFixture.MachineId[..8], deviceId, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAdminKeyIsPrintedByTheFirstRunOnlyAndStoredOnlyAsAHash()
    {
        var key = AdminKey(appliance.FirstProvisioning);

        Assert.DoesNotMatch(KeyPattern(), appliance.SecondProvisioning.StandardOutput);
        Assert.Contains("the admin key 'admin' exists", appliance.SecondProvisioning.StandardOutput, StringComparison.Ordinal);
        // Links left out: releases/current points at /opt/edgellm as the appliance sees it, nothing in the scratch root.
        foreach (var file in Directory.GetFiles(Root, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/opt/", StringComparison.Ordinal) && new FileInfo(f).LinkTarget is null))
        {
            Assert.DoesNotContain(key, File.ReadAllText(file), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheRootHoldsExactlyOneAdminKeyWithEveryScope()
    {
        var listing = await Command.RunToolAsync(Path.Combine(Root, "opt", "edgellm", "edgellm"), "keys", "list", "--data-dir", Path.Combine(Root, "var", "lib", "edgellm"));

        var rows = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        var row = Assert.Single(rows).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("admin", row[1]);
        Assert.Equal("inference,ingest,admin", row[3]);
        Assert.StartsWith(row[0], AdminKey(appliance.FirstProvisioning)["ellm_".Length..], StringComparison.Ordinal);
    }

    [Fact]
    public void ASecondRunLeavesEveryFileModeOwnerAndSettingAsItWas()
    {
        Assert.Equal(appliance.NativeRootAfterFirstRun, appliance.NativeRootAfterSecondRun);
        Assert.Contains("kept the existing", appliance.SecondProvisioning.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void AContainerAppliancesLauncherKnowsItsImageRuntimeGpuAndTheHostsUser()
    {
        var (uid, gid) = EdgellmIds(appliance.ContainerRoot);
        var environment = File.ReadAllLines(Path.Combine(appliance.ContainerRoot, "etc", "edgellm", "container.env"));

        Assert.Contains("EDGELLM_IMAGE=edgellm:9.8.7-cuda", environment);
        Assert.Contains("EDGELLM_CONTAINER_RUNTIME=podman", environment);
        Assert.Contains("EDGELLM_GPU=cdi", environment);
        Assert.Contains($"EDGELLM_UID={uid}", environment);
        Assert.Contains($"EDGELLM_GID={gid}", environment);
        Assert.True(File.Exists(Path.Combine(appliance.ContainerRoot, "etc", "systemd", "system", "edgellm-container.service")));
        Assert.False(File.Exists(Path.Combine(appliance.ContainerRoot, "etc", "systemd", "system", "edgellm.service")));
        Assert.Contains("LoadCredential=api-tls-key:/etc/edgellm/credentials/api-tls-key",
            File.ReadAllLines(Path.Combine(appliance.ContainerRoot, "etc", "systemd", "system", "edgellm-container.service.d", "credentials.conf")));
        Assert.False(Directory.Exists(Path.Combine(appliance.ContainerRoot, "etc", "systemd", "system", "edgellm.service.d")));
        Assert.Contains("after edgellm-usb-import, create the admin key", appliance.ContainerProvisioning.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileThatIsNotAMinisignPublicKeyIsRefusedBeforeAnythingIsWritten()
    {
        var root = Path.Combine(appliance.Scratch, "refused-key");
        var notAKey = Path.Combine(appliance.Scratch, "not-a-key.pub");
        await File.WriteAllTextAsync(notAKey, "untrusted comment: nothing\nbm90IGEga2V5\n");

        var result = await ApplianceFixture.ProvisionAsync("--prefix", root, "--payload", Path.Combine(appliance.Rootfs, "opt", "edgellm"), "--trusted-key", notAKey);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("is not a minisign public key", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "etc", "edgellm")));
    }

    [Fact]
    public async Task AModelInTheUpdateInstallersFolderIsRefusedBecauseTheInstallerWouldRemoveIt()
    {
        var root = Path.Combine(appliance.Scratch, "refused-model");

        var result = await ApplianceFixture.ProvisionAsync(
            "--prefix", root, "--mode", "container", "--image", "edgellm:9.8.7-cpu", "--model", "stories=/var/lib/edgellm/models/stories/1/model.gguf");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("belongs to the update installer", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "etc", "edgellm")));
    }

    [Fact]
    public async Task AnEnrolledDeviceKeepsItsIdentity()
    {
        var result = await ApplianceFixture.ProvisionAsync("--prefix", Root, "--device-id", "another-device");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("an id never changes", result.StandardError, StringComparison.Ordinal);
    }

    internal static string AdminKey(CommandResult provisioning) =>
        Assert.Single(KeyPattern().Matches(provisioning.StandardOutput)).Value;

    private static (int Uid, int Gid) EdgellmIds(string root)
    {
        var entry = File.ReadAllLines(Path.Combine(root, "etc", "passwd")).Single(l => l.StartsWith("edgellm:", StringComparison.Ordinal)).Split(':');
        return (int.Parse(entry[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(entry[3], System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"ellm_[a-z0-9]{12}_[A-Za-z0-9_-]+")]
    private static partial Regex KeyPattern();
}
