using System.Globalization;
using System.Text.RegularExpressions;
using EdgeLlm.Appliance.Tests.Support;
using EdgeLlm.EndToEnd.Tests.Support;

namespace EdgeLlm.Appliance.Tests.Systemd;

/// <summary>
/// The units in systemd/ pass <c>systemd-analyze verify</c> as provisioning installs them: in a private mount
/// namespace whose /opt is the provisioned scratch root's, so verify also finds the very executables the units
/// start. The native unit keeps its supervision and hardening, and its exposure score stays where the README says.
/// </summary>
[Collection(ApplianceCollection.Name)]
public sealed partial class UnitTests(ApplianceFixture appliance)
{
    /// <summary>The score README.md records (systemd-analyze security); a unit that gets more exposed fails here.</summary>
    private const double NativeExposureLimit = 2.0;

    [Theory]
    [InlineData("native", "edgellm.service")]
    [InlineData("container", "edgellm-container.service")]
    public async Task EveryUnitPassesSystemdAnalyzeVerifyWithTheProvisionedProgram(string root, string unit)
    {
        var result = await VerifyAsync(Path.Combine(appliance.Scratch, root), Path.Combine(appliance.Scratch, root, "etc", "systemd", "system", unit));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.StandardError.Trim());
    }

    [Theory]
    [InlineData("Type=notify", "Type=notfy")]
    [InlineData("ExecStart=/opt/edgellm-supervisor/edgellm-release run", "ExecStart=/opt/edgellm-supervisor/edgellm-releasd run")]
    public async Task VerifyRefusesABrokenUnitSoItsPassMeansSomething(string original, string broken)
    {
        var copy = Path.Combine(appliance.Scratch, "broken", "edgellm.service");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        await File.WriteAllTextAsync(copy, (await File.ReadAllTextAsync(ApplianceFixture.Script("systemd", "edgellm.service"))).Replace(original, broken, StringComparison.Ordinal));

        var result = await VerifyAsync(appliance.NativeRoot, copy);

        Assert.NotEqual(string.Empty, result.StandardError.Trim());
    }

    [Theory]
    [InlineData("Type", "notify")]
    [InlineData("Restart", "on-failure")]
    [InlineData("StartLimitIntervalSec", "0")]
    [InlineData("NoNewPrivileges", "yes")]
    [InlineData("ProtectSystem", "strict")]
    [InlineData("ProtectHome", "yes")]
    [InlineData("PrivateTmp", "yes")]
    [InlineData("StateDirectory", "edgellm")]
    [InlineData("LogsDirectory", "edgellm")]
    [InlineData("CapabilityBoundingSet", "")]
    [InlineData("AmbientCapabilities", "")]
    [InlineData("User", "edgellm")]
    [InlineData("DevicePolicy", "closed")]
    public async Task TheNativeUnitSupervisesAndConfinesTheDaemon(string key, string value)
    {
        var unit = await File.ReadAllLinesAsync(ApplianceFixture.Script("systemd", "edgellm.service"));

        Assert.Contains($"{key}={value}", unit);
    }

    [Fact]
    public async Task BothUnitsHaveAWatchdogAndOnlyTheGpuDevicesAreAllowed()
    {
        var native = await File.ReadAllLinesAsync(ApplianceFixture.Script("systemd", "edgellm.service"));
        var container = await File.ReadAllLinesAsync(ApplianceFixture.Script("systemd", "edgellm-container.service"));

        Assert.Contains(native, l => l.StartsWith("WatchdogSec=", StringComparison.Ordinal));
        Assert.Contains(container, l => l.StartsWith("WatchdogSec=", StringComparison.Ordinal));
        Assert.Contains("StartLimitIntervalSec=0", container);
        Assert.Contains("Type=notify", container);
        var devices = native.Where(l => l.StartsWith("DeviceAllow=", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(devices);
        Assert.All(devices, d => Assert.Matches(@"^DeviceAllow=(char-nvidia[a-z-]*|/dev/nv[a-z0-9/_-]+) (r|rw)$", d));
    }

    [Fact]
    public async Task TheNativeUnitsExposureScoreStaysWithinTheRecordedLimit()
    {
        var result = await Command.RunAsync("systemd-analyze", ["security", "--offline=yes", ApplianceFixture.Script("systemd", "edgellm.service")]);

        var score = double.Parse(Exposure().Match(result.StandardOutput).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(score, 0, NativeExposureLimit);
    }

    /// <summary>systemd-analyze verify, with /opt bound to <paramref name="root"/>'s so the unit's executables are the provisioned ones.</summary>
    private static Task<CommandResult> VerifyAsync(string root, string unit) =>
        Command.RunAsync("unshare", ["--mount", "bash", "-c", "mount --bind \"$1/opt\" /opt && exec systemd-analyze verify \"$2\"", "verify", root, unit]);

    [GeneratedRegex(@"Overall exposure level for edgellm\.service: ([0-9.]+)")]
    private static partial Regex Exposure();
}
