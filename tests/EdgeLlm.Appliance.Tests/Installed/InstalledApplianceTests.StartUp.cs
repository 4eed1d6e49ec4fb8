using System.Net;
using EdgeLlm.Appliance.Tests.Support;
using EdgeLlm.EndToEnd.Tests.Support;

namespace EdgeLlm.Appliance.Tests.Installed;

/// <summary>
/// Start-ups of the installed daemon, as root, on the provisioned settings with one thing changed on its command
/// line (as an operator would): its own data directory, log folder, ports and device name, so it never meets the
/// running appliance, and then the one setting each test is about.
/// </summary>
public sealed partial class InstalledApplianceTests
{
    [Fact]
    public async Task APlainRequestIsRedirectedToTheHttpsAddressWhenTheApplianceAsksForIt()
    {
        var (https, http, arguments) = Elsewhere("redirect", "--Api:RedirectHttpToHttps", "true");
        await using var daemon = InstalledDaemon.Start(appliance.Executable, arguments, appliance.Environment);
        using var trusting = CertificateAuthorityTrust.Handler(appliance.CaFile);
        await daemon.WaitUntilReadyAsync(trusting, new Uri(https, "/readyz"), TimeSpan.FromMinutes(1));
        using var plain = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });

        using var secure = new HttpClient(trusting, disposeHandler: false);

        using var redirect = await plain.GetAsync(new Uri(http, "/v1/models?limit=1"));
        using var followed = await secure.GetAsync(redirect.Headers.Location);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        Assert.Equal(new Uri(https, "/v1/models?limit=1"), redirect.Headers.Location);
        Assert.Equal(HttpStatusCode.Unauthorized, followed.StatusCode);
        Assert.Equal(0, await daemon.TerminateAsync(TimeSpan.FromSeconds(45)));
    }

    [Fact]
    public async Task ATlsKeyOthersCanReadGivenAsAPlainPathStopsStartUpNamingTheFile()
    {
        var key = Path.Combine(appliance.Scratch, "loose", "api-tls.key");
        Directory.CreateDirectory(Path.GetDirectoryName(key)!);
        File.Copy(Path.Combine(appliance.Root, "etc", "edgellm", "credentials", "api-tls-key"), key, overwrite: true);
        File.SetUnixFileMode(key, (UnixFileMode)Convert.ToInt32("644", 8));

        var result = await Command.RunAsync(appliance.Executable, Elsewhere("loose-key", "--Api:TlsKeyFile", key).Arguments, appliance.Environment, timeout: TimeSpan.FromMinutes(1));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("Api:TlsKeyFile", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(key, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACredentialOthersCanReadStopsStartUpNamingTheFile()
    {
        var credentials = Path.Combine(appliance.Scratch, "loose-credentials");
        Directory.CreateDirectory(credentials);
        foreach (var file in Directory.GetFiles(appliance.RootCredentialsDirectory))
        {
            File.Copy(file, Path.Combine(credentials, Path.GetFileName(file)), overwrite: true);
        }

        File.SetUnixFileMode(Path.Combine(credentials, "mqtt-password"), (UnixFileMode)Convert.ToInt32("644", 8));
        var environment = new Dictionary<string, string> { ["CREDENTIALS_DIRECTORY"] = credentials };

        var result = await Command.RunAsync(appliance.Executable, Elsewhere("loose-credential").Arguments, environment, timeout: TimeSpan.FromMinutes(1));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("Telemetry:PasswordFile", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(credentials, "mqtt-password"), result.StandardError, StringComparison.Ordinal);
    }

    /// <summary><c>serve</c> on the provisioned settings, moved onto its own folders, ports and device name, plus <paramref name="settings"/>.</summary>
    private (Uri Https, Uri Http, string[] Arguments) Elsewhere(string name, params string[] settings)
    {
        var data = Directory.CreateDirectory(Path.Combine(appliance.Scratch, name, "data")).FullName;
        var https = new Uri($"https://127.0.0.1:{FreePort()}");
        var http = new Uri($"http://127.0.0.1:{FreePort()}");
        return (https, http,
        [
            "serve", "--config", appliance.Settings.File,
            "--Daemon:DataDirectory", data, "--Daemon:LogDirectory", Path.Combine(data, "logs"),
            "--Api:Urls", $"{https.GetLeftPart(UriPartial.Authority)};{http.GetLeftPart(UriPartial.Authority)}",
            "--Telemetry:Device", name, .. settings,
        ]);

        static int FreePort() => EdgeLlm.Testing.MosquittoBroker.FreeLoopbackPort();
    }
}
