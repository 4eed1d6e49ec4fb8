using System.CommandLine;
using EdgeLlm.Daemon.Cli;
using EdgeLlm.Daemon.Hosting;
using EdgeLlm.Daemon.Tests.Settings;
using Xunit;

namespace EdgeLlm.Daemon.Tests.Cli;

/// <summary>
/// Where <c>edgellm health</c> (the images' HEALTHCHECK) knocks: the first of Api:Urls, as a local client reaches it;
/// which CA it trusts; and settings it cannot use end it with one line and exit code 2, never a stack trace.
/// </summary>
public sealed class HealthCommandTests
{
    [Theory]
    [InlineData("http://0.0.0.0:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://*:9000;http://10.1.2.3:9001", "http://127.0.0.1:9000/")]
    [InlineData("http://+:9000", "http://127.0.0.1:9000/")]
    [InlineData("http://[::]:8080", "http://[::1]:8080/")]
    [InlineData("https://edge-7.plant.lan:8443", "https://edge-7.plant.lan:8443/")]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/")]
    public void TheFirstConfiguredAddressIsProbedWithWildcardHostsReadAsLoopback(string urls, string expected)
    {
        var address = HealthCommand.LoopbackAddress(Arguments("--Api:Urls", urls));

        Assert.Equal(new Uri(expected), address);
    }

    [Theory]
    [InlineData("https://0.0.0.0:8443;http://127.0.0.1:8080", "http://127.0.0.1:8080/")]
    [InlineData("https://0.0.0.0:8443", "https://127.0.0.1:8443/")]
    public void APlainHttpAddressIsPreferredSoAProvisionedApplianceIsProbedOnLoopbackWithoutTls(string urls, string expected)
    {
        var address = HealthCommand.LoopbackAddress(Arguments("--Api:Urls", urls));

        Assert.Equal(new Uri(expected), address);
    }

    [Fact]
    public void TheDefaultCaIsTheOneProvisioningWritesBesideTheSettingsFile()
    {
        Assert.Equal("/etc/edgellm/tls/ca.crt", HealthCommand.DefaultCaFile(null, null));
        Assert.Equal("/srv/appliance/etc/edgellm/tls/ca.crt", HealthCommand.DefaultCaFile("/srv/appliance/etc/edgellm/edgellm.json", null));
        Assert.Equal("/srv/appliance/etc/edgellm/tls/ca.crt", HealthCommand.DefaultCaFile("/srv/appliance/etc/edgellm/edgellm.json", "/srv/instance"));
    }

    [Fact]
    public void ADataDirectoryInstancesDefaultCaIsItsOwnNeverTheHosts()
    {
        Assert.Equal("/srv/instance/tls/ca.crt", HealthCommand.DefaultCaFile(null, "/srv/instance"));
    }

    [Fact]
    public async Task ADataDirectoryInstanceOverHttpsReadsTheCaInsideIt()
    {
        using var scratch = new SettingsScratch();
        Directory.CreateDirectory(scratch.File("tls"));
        await File.WriteAllTextAsync(scratch.File("tls/ca.crt"), "not a certificate\n");

        var (exitCode, _, error) = await InvokeAsync("health", "--data-dir", scratch.Directory, "--url", "https://127.0.0.1:9/");

        Assert.Equal(2, exitCode);
        Assert.Equal($"edgellm: the CA {scratch.File("tls/ca.crt")} is not a readable PEM certificate file.", error.TrimEnd('\n'));
    }

    [Fact]
    public async Task ASettingsFileWithAnUnknownKeyEndsTheProbeWithOneLineNamingTheKeyAndExitCode2()
    {
        using var scratch = new SettingsScratch();
        await File.WriteAllTextAsync(scratch.ConfigFile, """{ "Telemetry": { "BrokerHost": "broker.lan" }, "Api": { "Url": "http://127.0.0.1:9" } }""");

        var (exitCode, _, error) = await InvokeAsync("health", "--config", scratch.ConfigFile);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("edgellm: invalid settings: ", line, StringComparison.Ordinal);
        Assert.Contains("Telemetry:BrokerHost", line, StringComparison.Ordinal);
        Assert.Contains("Api:Url ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASettingsFileThatIsNotJsonEndsTheProbeWithOneLineNamingTheFileAndExitCode2()
    {
        using var scratch = new SettingsScratch();
        await File.WriteAllTextAsync(scratch.ConfigFile, "{ \"Api\": { \"Urls\": \n");

        var (exitCode, _, error) = await InvokeAsync("health", "--config", scratch.ConfigFile);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("edgellm: cannot read the settings: ", line, StringComparison.Ordinal);
        Assert.Contains(scratch.ConfigFile, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingSettingsFileEndsTheProbeWithOneLineAndExitCode2()
    {
        using var scratch = new SettingsScratch();

        var (exitCode, _, error) = await InvokeAsync("health", "--config", scratch.File("absent.json"));

        Assert.Equal(2, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(scratch.File("absent.json"), line, StringComparison.Ordinal);
    }

    [Fact]
    public void ASettingsFileThisUserMayNotReadIsReportedOnOneLine()
    {
        // Root reads any file, so the refusal is handed in at the seam; the installed appliance's tests meet the real one.
        var problem = HealthCommand.SettingsProblem(new UnauthorizedAccessException("Access to the path '/etc/edgellm/edgellm.json' is denied.", new IOException("Permission denied")));

        Assert.Equal("cannot read the settings: Access to the path '/etc/edgellm/edgellm.json' is denied: Permission denied", problem);
    }

    [Fact]
    public void AnExceptionThatIsNotAboutTheSettingsIsNotTakenForOne()
    {
        Assert.Null(HealthCommand.SettingsProblem(new InvalidOperationException("a broken invariant")));
    }

    [Fact]
    public void AnAddressThatIsNotHttpGivesNothingToProbe()
    {
        Assert.Null(HealthCommand.LoopbackAddress(Arguments("--Api:Urls", "unix:/run/edgellm.sock")));
    }

    [Fact]
    public async Task NoAnswerMeansUnhealthy()
    {
        var exitCode = await EdgeLlmCommandLine.Create().Parse(["health", "--url", "http://127.0.0.1:9/"]).InvokeAsync();

        Assert.Equal(1, exitCode);
    }

    private static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await EdgeLlmCommandLine.Create().Parse(arguments).InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        return (exitCode, output.ToString(), error.ToString());
    }

    private static ServeArguments Arguments(params string[] settings) =>
        new(Path.Combine(Path.GetTempPath(), "edgellm-health-" + Guid.NewGuid().ToString("N")), null, null, null, settings);
}
