using System.Text.RegularExpressions;
using EdgeLlm.Appliance.Tests.Provisioning;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Appliance.Tests.Support;

/// <summary>
/// An appliance as a site gets it, run here: a real Mosquitto with TLS and a password file, a scratch root
/// provisioned for it twice (its broker, user name, password file and CA; the API's TLS made by provisioning; no
/// --site; the root listed after each run), then the installed edgellm.service started as systemd would start it
/// (<see cref="InstalledService"/>): the release launcher's guard and run, as the provisioned edgellm user and
/// group, on the edgellm.json provisioning wrote (remapped into the root only, <see cref="ScratchRootSettings"/>),
/// with <c>CREDENTIALS_DIRECTORY</c> filled as LoadCredential= fills it: the MQTT password as systemd 256 and later
/// leave a credential on tmpfs (root's, 0400, read through an ACL entry for the service user, so its mode shows
/// 0440), the others as on ramfs (the service user's own, 0400). A fleet subscriber with its own login listens to
/// everything the appliance publishes.
/// </summary>
public sealed partial class InstalledAppliance(ApplianceFixture appliance) : IAsyncLifetime
{
    public const string DeviceUser = "device-e2e";
    public const string DevicePassword = "device-secret-5f3a9c";

    /// <summary>The credential laid out as systemd 256 and later do (an ACL entry); the others as on ramfs.</summary>
    public const string AclCredential = "mqtt-password";
    private const string ModelPath = "/var/lib/edgellm/local/stories.gguf";
    private InstalledDaemon? _daemon;

    public string Scratch { get; } = Path.Combine(appliance.Scratch, "installed");

    public string Root => Path.Combine(Scratch, "root");

    /// <summary>The natives folder the image steps put into the payload provisioning installed (<see cref="ApplianceFixture.BuiltNatives"/>).</summary>
    public string BuiltNatives => appliance.BuiltNatives;

    public string Executable => Path.Combine(Root, "opt", "edgellm", "edgellm");

    /// <summary>The CA provisioning made for the API, as clients get it.</summary>
    public string CaFile => Path.Combine(Root, "etc", "edgellm", "tls", "ca.crt");

    /// <summary>Another CA: the broker's, which has nothing to do with the API.</summary>
    public string OtherCaFile => Path.Combine(Scratch, "broker", "ca.pem");

    /// <summary>The service's credentials, as systemd hands them to a service running as the edgellm user.</summary>
    public string CredentialsDirectory => Path.Combine(Scratch, "credentials");

    /// <summary>The same credentials as systemd hands them to a service running as root: root's, 0400, no ACL.</summary>
    public string RootCredentialsDirectory => Path.Combine(Scratch, "root-credentials");

    public string DeviceId => File.ReadAllText(Path.Combine(Root, "etc", "edgellm", "device-id")).Trim();

    internal CommandResult FirstProvisioning { get; private set; } = null!;

    internal CommandResult SecondProvisioning { get; private set; } = null!;

    /// <summary>Every path of the root with its type, mode and owner, and a hash of each file in etc/ and usr/ (<see cref="ApplianceFixture.ListAsync"/>).</summary>
    public string RootAfterFirstRun { get; private set; } = string.Empty;

    public string RootAfterSecondRun { get; private set; } = string.Empty;

    internal InstalledService Service { get; private set; } = null!;

    /// <summary>The edgellm user's and group's ids in the root, which the service runs as.</summary>
    public (int Uid, int Gid) ServiceUser { get; private set; }

    internal ScratchRootSettings Settings { get; private set; } = null!;

    internal MosquittoBroker Broker { get; private set; } = null!;

    internal TestSubscriber Fleet { get; private set; } = null!;

    internal InstalledDaemon Daemon => _daemon ?? throw new InvalidOperationException("The appliance is not started.");

    public string AdminKey => ProvisioningTests.AdminKey(FirstProvisioning);

    /// <summary>What systemd gives a service run as root, for the commands a test runs as root: where its credentials are.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["CREDENTIALS_DIRECTORY"] = RootCredentialsDirectory };

    public async Task InitializeAsync()
    {
        var brokerFiles = TestCertificates.Create(Directory.CreateDirectory(Path.Combine(Scratch, "broker")).FullName);
        Broker = await MosquittoBroker.StartAsync(brokerFiles, users: [(DeviceUser, DevicePassword), ("fleet", "fleet-secret")]);
        Fleet = await TestSubscriber.StartAsync(Broker.Port, credentials: ("fleet", "fleet-secret"));
        var passwordFile = Path.Combine(Scratch, "mqtt-password.txt");
        await File.WriteAllTextAsync(passwordFile, DevicePassword + "\n");

        string[] provisioning =
        [
            "--prefix", Root, "--payload", Path.Combine(appliance.Rootfs, "opt", "edgellm"), "--model", "stories=" + ModelPath,
            "--mqtt-broker", $"mqtts://127.0.0.1:{Broker.TlsPort}", "--mqtt-username", DeviceUser, "--mqtt-password-file", passwordFile,
            "--mqtt-ca", brokerFiles.CaFile,
        ];
        FirstProvisioning = await ProvisionAsync(provisioning);
        RootAfterFirstRun = await ApplianceFixture.ListAsync(Root);
        SecondProvisioning = await ProvisionAsync(provisioning);
        RootAfterSecondRun = await ApplianceFixture.ListAsync(Root);

        var model = Root + ModelPath;
        Directory.CreateDirectory(Path.GetDirectoryName(model)!);
        File.Copy(TestModels.Stories260K, model);
        Settings = await ScratchRootSettings.WriteAsync(Root);
        Service = InstalledService.Read(Root, Settings.File);
        ServiceUser = Service.Ids();
        await FillCredentialsDirectoryAsync();
        LetTheServiceUserThrough();
        var home = await ServiceFolderAsync("service-home");
        var temporary = await ServiceFolderAsync("service-tmp");

        _daemon = InstalledDaemon.Start(Service.StartInfo(ServiceUser, CredentialsDirectory, home, temporary));
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

    private static async Task<CommandResult> ProvisionAsync(string[] arguments)
    {
        var result = await ApplianceFixture.ProvisionAsync(arguments);
        return result.ExitCode == 0 ? result : throw new InvalidOperationException($"provisioning failed: {result}");
    }

    /// <summary>
    /// As systemd's LoadCredential= does: a copy of each credential the unit's drop-in names, readable by the service
    /// alone, in a folder only the service may enter (root's, 0500, with an ACL entry for the service user); and the
    /// root's copy for the commands a test runs as root.
    /// </summary>
    private async Task FillCredentialsDirectoryAsync()
    {
        var dropIn = File.ReadAllLines(Path.Combine(Root, "etc", "systemd", "system", "edgellm.service.d", "credentials.conf"));
        Directory.CreateDirectory(CredentialsDirectory);
        Directory.CreateDirectory(RootCredentialsDirectory);
        foreach (var match in dropIn.Select(l => LoadCredential().Match(l)).Where(m => m.Success))
        {
            var name = match.Groups["name"].Value;
            var source = Root + match.Groups["source"].Value;
            File.Copy(source, Path.Combine(RootCredentialsDirectory, name));
            File.SetUnixFileMode(Path.Combine(RootCredentialsDirectory, name), UnixFileMode.UserRead);
            var copy = Path.Combine(CredentialsDirectory, name);
            File.Copy(source, copy);
            File.SetUnixFileMode(copy, UnixFileMode.UserRead);
            if (name == AclCredential)
            {
                await Command.RunToolAsync("setfacl", "-m", $"u:{ServiceUser.Uid}:r", copy);
            }
            else
            {
                await Command.RunToolAsync("chown", $"{ServiceUser.Uid}:{ServiceUser.Gid}", copy);
            }
        }

        File.SetUnixFileMode(RootCredentialsDirectory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.SetUnixFileMode(CredentialsDirectory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        await Command.RunToolAsync("setfacl", "-m", $"u:{ServiceUser.Uid}:rx", CredentialsDirectory);
    }

    /// <summary>
    /// The service user must reach the root through the folders above it, as it reaches / on an appliance: the
    /// scratch folder (made 0700) lets others through, and a folder above it that does not is a clear failure.
    /// </summary>
    private void LetTheServiceUserThrough()
    {
        File.SetUnixFileMode(appliance.Scratch, File.GetUnixFileMode(appliance.Scratch) | UnixFileMode.OtherExecute);
        for (var folder = new DirectoryInfo(Root).Parent; folder is not null; folder = folder.Parent)
        {
            if (!folder.UnixFileMode.HasFlag(UnixFileMode.OtherExecute))
            {
                throw new InvalidOperationException(
                    $"{folder.FullName} does not let other users through ({folder.UnixFileMode}), so the edgellm user cannot reach the scratch root {Root}: set TMPDIR to a folder they may traverse.");
            }
        }
    }

    /// <summary>A folder of the service user's own, 0700, for what systemd would give it (HOME, a private /tmp).</summary>
    private async Task<string> ServiceFolderAsync(string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Scratch, name)).FullName;
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await Command.RunToolAsync("chown", $"{ServiceUser.Uid}:{ServiceUser.Gid}", folder);
        return folder;
    }

    [GeneratedRegex("^LoadCredential=(?<name>[^:]+):(?<source>/.+)$")]
    private static partial Regex LoadCredential();
}
