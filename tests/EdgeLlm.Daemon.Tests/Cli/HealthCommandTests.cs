using EdgeLlm.Daemon.Cli;
using EdgeLlm.Daemon.Hosting;
using Xunit;

namespace EdgeLlm.Daemon.Tests.Cli;

/// <summary>Where <c>edgellm health</c> (the images' HEALTHCHECK) knocks: the first of Api:Urls, as a local client reaches it.</summary>
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
        Assert.Equal("/etc/edgellm/tls/ca.crt", HealthCommand.DefaultCaFile(null));
        Assert.Equal("/srv/appliance/etc/edgellm/tls/ca.crt", HealthCommand.DefaultCaFile("/srv/appliance/etc/edgellm/edgellm.json"));
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

    private static ServeArguments Arguments(params string[] settings) =>
        new(Path.Combine(Path.GetTempPath(), "edgellm-health-" + Guid.NewGuid().ToString("N")), null, null, null, settings);
}
