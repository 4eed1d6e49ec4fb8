using System.Text.RegularExpressions;
using EdgeLlm.Appliance.Tests.Provisioning;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Appliance.Tests.Support;

/// <summary>
/// An appliance as a site gets it, run here: a real Mosquitto with TLS and a password file, a scratch root
/// provisioned for it (its broker, user name, password file and CA; the API's TLS made by provisioning; no
/// --site), then the daemon provisioning installed, started as systemd would start it: <c>serve --config</c> on
/// the edgellm.json provisioning wrote (remapped into the root only, <see cref="ScratchRootSettings"/>), with
/// <c>CREDENTIALS_DIRECTORY</c> filled as LoadCredential= fills it. A fleet subscriber with its own login
/// listens to everything the appliance publishes.
/// </summary>
public sealed partial class InstalledAppliance(ApplianceFixture appliance) : IAsyncLifetime
{
    public const string DeviceUser = "device-e2e";
    public const string DevicePassword = "device-secret-5f3a9c";
    private const string ModelPath = "/var/lib/edgellm/local/stories.gguf";
    private InstalledDaemon? _daemon;

    public string Scratch { get; } = Path.Combine(appliance.Scratch, "installed");

    public string Root => Path.Combine(Scratch, "root");

    public string Executable => Path.Combine(Root, "opt", "edgellm", "edgellm");

    /// <summary>The CA provisioning made for the API, as clients get it.</summary>
    public string CaFile => Path.Combine(Root, "etc", "edgellm", "tls", "ca.crt");

    /// <summary>Another CA: the broker's, which has nothing to do with the API.</summary>
    public string OtherCaFile => Path.Combine(Scratch, "broker", "ca.pem");

    public string CredentialsDirectory => Path.Combine(Scratch, "credentials");

    public string DeviceId => File.ReadAllText(Path.Combine(Root, "etc", "edgellm", "device-id")).Trim();

    internal CommandResult Provisioning { get; private set; } = null!;

    internal ScratchRootSettings Settings { get; private set; } = null!;

    internal MosquittoBroker Broker { get; private set; } = null!;

    internal TestSubscriber Fleet { get; private set; } = null!;

    internal InstalledDaemon Daemon => _daemon ?? throw new InvalidOperationException("The appliance is not started.");

    public string AdminKey => ProvisioningTests.AdminKey(Provisioning);

    /// <summary>What systemd gives the service: here, only where its credentials are.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["CREDENTIALS_DIRECTORY"] = CredentialsDirectory };

    public async Task InitializeAsync()
    {
        var brokerFiles = TestCertificates.Create(Directory.CreateDirectory(Path.Combine(Scratch, "broker")).FullName);
        Broker = await MosquittoBroker.StartAsync(brokerFiles, users: [(DeviceUser, DevicePassword), ("fleet", "fleet-secret")]);
        Fleet = await TestSubscriber.StartAsync(Broker.Port, credentials: ("fleet", "fleet-secret"));
        var passwordFile = Path.Combine(Scratch, "mqtt-password.txt");
        await File.WriteAllTextAsync(passwordFile, DevicePassword + "\n");

        Provisioning = await ApplianceFixture.ProvisionAsync(
            "--prefix", Root, "--payload", Path.Combine(appliance.Rootfs, "opt", "edgellm"), "--model", "stories=" + ModelPath,
            "--mqtt-broker", $"mqtts://127.0.0.1:{Broker.TlsPort}", "--mqtt-username", DeviceUser, "--mqtt-password-file", passwordFile,
            "--mqtt-ca", brokerFiles.CaFile);
        if (Provisioning.ExitCode != 0)
        {
            throw new InvalidOperationException($"provisioning failed: {Provisioning}");
        }

        var model = Root + ModelPath;
        Directory.CreateDirectory(Path.GetDirectoryName(model)!);
        File.Copy(TestModels.Stories260K, model);
        Settings = ScratchRootSettings.Write(Root);
        FillCredentialsDirectory();

        _daemon = InstalledDaemon.Start(Executable, ["serve", "--config", Settings.File], Environment);
        using var plain = new SocketsHttpHandler();
        await _daemon.WaitUntilReadyAsync(plain, new Uri(Settings.Http, "/readyz"), TimeSpan.FromMinutes(2));
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.TerminateAsync(TimeSpan.FromSeconds(45));
            await _daemon.DisposeAsync();
        }

        await Fleet.DisposeAsync();
        await Broker.DisposeAsync();
    }

    /// <summary>An HTTPS client on the appliance that trusts <paramref name="caFile"/> alone.</summary>
    public HttpClient HttpsClient(string caFile, bool followRedirects = true) =>
        new(CertificateAuthorityTrust.Handler(caFile, followRedirects)) { BaseAddress = Settings.Https, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Runs the installed edgellm command to its end, with the service's environment.</summary>
    internal Task<CommandResult> RunAsync(params string[] arguments) =>
        Command.RunAsync(Executable, arguments, Environment, timeout: TimeSpan.FromMinutes(1));

    /// <summary>As systemd's LoadCredential= does: a copy of each credential the unit's drop-in names, readable by the service alone.</summary>
    private void FillCredentialsDirectory()
    {
        var dropIn = File.ReadAllLines(Path.Combine(Root, "etc", "systemd", "system", "edgellm.service.d", "credentials.conf"));
        Directory.CreateDirectory(CredentialsDirectory);
        foreach (var match in dropIn.Select(l => LoadCredential().Match(l)).Where(m => m.Success))
        {
            var copy = Path.Combine(CredentialsDirectory, match.Groups["name"].Value);
            File.Copy(Root + match.Groups["source"].Value, copy);
            File.SetUnixFileMode(copy, UnixFileMode.UserRead);
        }

        File.SetUnixFileMode(CredentialsDirectory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
    }

    [GeneratedRegex("^LoadCredential=(?<name>[^:]+):(?<source>/.+)$")]
    private static partial Regex LoadCredential();
}
