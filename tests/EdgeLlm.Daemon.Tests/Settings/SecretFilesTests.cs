using EdgeLlm.Daemon.Settings;
using Microsoft.Extensions.Configuration;

namespace EdgeLlm.Daemon.Tests.Settings;

[Collection(ProcessEnvironment.Name)]
public sealed class SecretFilesTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupReadable = Private | UnixFileMode.GroupRead;
    private readonly SettingsScratch _scratch = new();

    [Fact]
    public void APrivateSecretFileIsTakenAsItIs()
    {
        var password = _scratch.Secret("password", Private);

        var (resolved, failures) = Check(("Telemetry:PasswordFile", password));

        Assert.Empty(failures);
        Assert.Empty(resolved);
    }

    [Fact]
    public void ASecretFileEveryUserCanReadStopsTheStartNamingTheSettingAndTheFile()
    {
        var key = _scratch.Secret("tls.key", GroupReadable | UnixFileMode.OtherRead);

        var failure = Assert.Single(Check(("Api:TlsKeyFile", key)).Failures);

        Assert.Equal($"Api:TlsKeyFile: {key} is readable by others than the daemon's user and group (mode 0644); make it 0640 or stricter", failure);
    }

    [Fact]
    public void ACredentialReferenceResolvesToTheFileSystemdPutInTheCredentialsDirectory()
    {
        var credentials = Directory.CreateDirectory(_scratch.File("credentials")).FullName;
        _scratch.Secret("credentials/mqtt-password", UnixFileMode.UserRead);

        var (resolved, failures) = Check(credentials, ("Telemetry:PasswordFile", "credential:mqtt-password"));

        Assert.Empty(failures);
        Assert.Equal(Path.Combine(credentials, "mqtt-password"), resolved["Telemetry:PasswordFile"]);
    }

    [Fact]
    public void ACredentialReferenceOutsideSystemdSaysHowToProvideIt()
    {
        var failure = Assert.Single(Check(("Telemetry:ClientKeyFile", "credential:mqtt-client-key")).Failures);

        Assert.Equal("Telemetry:ClientKeyFile: names the systemd credential mqtt-client-key, but $CREDENTIALS_DIRECTORY is not set: start the daemon under systemd with LoadCredential=mqtt-client-key:FILE", failure);
    }

    [Theory]
    [InlineData("credential:../etc/shadow")]
    [InlineData("credential:")]
    [InlineData("relative/password")]
    public void ASecretThatIsNeitherAPathNorACredentialNameIsRefused(string value) =>
        Assert.Single(Check(_scratch.Directory, ("Telemetry:PasswordFile", value)).Failures);

    [Fact]
    public void AMissingSecretFileIsNamed()
    {
        var missing = _scratch.File("absent");

        Assert.Equal($"Telemetry:PasswordFile: {missing} does not exist or cannot be read", Assert.Single(Check(("Telemetry:PasswordFile", missing)).Failures));
    }

    [Fact]
    public void GroupBitsAreAllowedOnlyForTheDaemonsOwnGroup()
    {
        var file = new UnixFileStatus(OwnerId: 0, GroupId: 990, Permissions: 0b110_100_000, IsRegularFile: true);

        Assert.Null(SecretFiles.Privacy("/etc/edgellm/x.key", file, user: 990, inGroup: g => g == 990, credential: false));
        Assert.Contains("its group 990 is not the daemon's", SecretFiles.Privacy("/etc/edgellm/x.key", file, user: 1000, inGroup: g => g == 1000, credential: false), StringComparison.Ordinal);
    }

    [Fact]
    public void ASecretOwnedByAnotherUserIsRefusedEvenWhenPrivate()
    {
        var file = new UnixFileStatus(OwnerId: 1234, GroupId: 1234, Permissions: 0b110_000_000, IsRegularFile: true);

        Assert.Contains("belongs to user 1234", SecretFiles.Privacy("/k", file, user: 990, inGroup: _ => false, credential: false), StringComparison.Ordinal);
    }

    [Fact]
    public void ACredentialSystemdGrantedThroughAnAclIsTakenButNotOneOpenToEveryone()
    {
        // systemd 256+: root's, 0400 plus user:edgellm:r-- — stat shows the ACL mask as the group's read bit.
        var granted = new UnixFileStatus(OwnerId: 0, GroupId: 0, Permissions: 0b100_100_000, IsRegularFile: true);
        var open = granted with { Permissions = 0b100_100_100 };

        Assert.Null(SecretFiles.Privacy("/run/credentials/edgellm.service/mqtt-password", granted, user: 990, inGroup: g => g == 990, credential: true));
        Assert.Contains("readable by others", SecretFiles.Privacy("/run/credentials/edgellm.service/mqtt-password", open, user: 990, inGroup: g => g == 990, credential: true), StringComparison.Ordinal);
        Assert.NotNull(SecretFiles.Privacy("/etc/edgellm/mqtt-password", granted, user: 990, inGroup: g => g == 990, credential: false));
    }

    [Fact]
    public void EverySettingThatNamesAKeyOrPasswordFileIsASecret()
    {
        var named = SettingsCatalog.All.Select(s => s.Key).Where(k => k.EndsWith("KeyFile", StringComparison.Ordinal) || k.EndsWith("PasswordFile", StringComparison.Ordinal));

        Assert.Equal(named.Order(), SecretFiles.Keys.Order());
    }

    [Fact]
    public void LoadingLaysTheResolvedCredentialOverTheSettings()
    {
        var credentials = Directory.CreateDirectory(_scratch.File("credentials")).FullName;
        _scratch.Secret("credentials/api-tls-key", UnixFileMode.UserRead);
        Environment.SetEnvironmentVariable(SecretFiles.CredentialsDirectoryVariable, credentials);
        try
        {
            var configuration = SettingsSources.Load(new ConfigurationManager(), _scratch.Arguments("""{ "Api": { "TlsKeyFile": "credential:api-tls-key" } }"""), checkSecrets: true);

            Assert.Equal(Path.Combine(credentials, "api-tls-key"), configuration["Api:TlsKeyFile"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(SecretFiles.CredentialsDirectoryVariable, null);
        }
    }

    public void Dispose() => _scratch.Dispose();

    private static (Dictionary<string, string?> Resolved, List<string> Failures) Check(params (string Key, string Value)[] settings) => Check(null, settings);

    private static (Dictionary<string, string?> Resolved, List<string> Failures) Check(string? credentialsDirectory, params (string Key, string Value)[] settings) =>
        SecretFiles.Check(new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build(), credentialsDirectory);
}
