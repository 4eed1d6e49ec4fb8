using Microsoft.Extensions.Configuration;

namespace EdgeLlm.Daemon.Settings;

/// <summary>
/// The settings that name a file holding a secret, and the rules for them: the value is an absolute path or
/// <c>credential:NAME</c>, a systemd credential (<c>LoadCredential=NAME:…</c> puts the file in
/// <c>$CREDENTIALS_DIRECTORY</c>, readable by the service alone); and the file must be private to the daemon's user
/// and group, so a key or password left world-readable stops the start instead of being used.
/// </summary>
internal static class SecretFiles
{
    public const string CredentialsDirectoryVariable = "CREDENTIALS_DIRECTORY";

    public const string CredentialPrefix = "credential:";

    /// <summary>Every setting whose file is a secret. A test holds every <c>…KeyFile</c> and <c>…PasswordFile</c> setting to this list.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["Api:TlsKeyFile", "Telemetry:PasswordFile", "Telemetry:ClientKeyFile"];

    /// <summary>
    /// Resolves the credential references among the secret settings and checks each secret file. Returns the
    /// resolved paths (to lay over the settings) and one failure per unusable secret, naming the setting and the file.
    /// </summary>
    public static (Dictionary<string, string?> Resolved, List<string> Failures) Check(IConfiguration configuration, string? credentialsDirectory)
    {
        var resolved = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var failures = new List<string>();
        foreach (var key in Keys)
        {
            var value = configuration[key];
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            var (path, problem) = Resolve(value, credentialsDirectory);
            var credential = value.StartsWith(CredentialPrefix, StringComparison.Ordinal);
            problem ??= path is null ? null : Privacy(path, UnixFileStatus.Read(path), UnixFileStatus.EffectiveUserId, UnixFileStatus.ProcessInGroup, credential) ?? Readable(path);
            if (problem is not null)
            {
                failures.Add($"{key}: {problem}");
            }
            else if (path != value)
            {
                resolved[key] = path;
            }
        }

        return (resolved, failures);
    }

    private static (string? Path, string? Problem) Resolve(string value, string? credentialsDirectory)
    {
        if (!value.StartsWith(CredentialPrefix, StringComparison.Ordinal))
        {
            return Path.IsPathFullyQualified(value) ? (value, null) : (null, $"'{value}' is neither an absolute path nor {CredentialPrefix}NAME");
        }

        var name = value[CredentialPrefix.Length..];
        if (name.Length is 0 or > 255 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal))
        {
            return (null, $"'{name}' is not a credential name");
        }

        return string.IsNullOrEmpty(credentialsDirectory)
            ? (null, $"names the systemd credential {name}, but ${CredentialsDirectoryVariable} is not set: start the daemon under systemd with LoadCredential={name}:FILE")
            : (Path.Combine(credentialsDirectory, name), null);
    }

    /// <summary>Why the daemon, running as <paramref name="user"/>, must not take the file's secret, or null when it may.</summary>
    /// <param name="path">The file, for the message.</param>
    /// <param name="file">Its owner, group and mode; null when it cannot be read.</param>
    /// <param name="user">The daemon's effective user id.</param>
    /// <param name="inGroup">Whether the daemon is in a group.</param>
    /// <param name="credential">
    /// The file is a systemd credential. systemd 256 and later leave it root's, mode 0400, and let the service's user
    /// read it through an ACL entry, whose mask <c>stat</c> shows as group bits: only the "other" bits tell there.
    /// </param>
    internal static string? Privacy(string path, UnixFileStatus? file, uint user, Func<uint, bool> inGroup, bool credential)
    {
        if (file is not { } status)
        {
            return $"{path} does not exist or cannot be read";
        }

        if (!status.IsRegularFile)
        {
            return $"{path} is not a regular file";
        }

        var mode = $"mode {Convert.ToString(status.Permissions, 8).PadLeft(4, '0')}";
        if ((status.Permissions & 0b000_000_111) != 0)
        {
            return $"{path} is readable by others than the daemon's user and group ({mode}); make it 0640 or stricter";
        }

        if (!credential && (status.Permissions & 0b000_111_000) != 0 && !inGroup(status.GroupId))
        {
            return $"{path} is readable by others than the daemon's user and group: its group {status.GroupId} is not the daemon's ({mode}); give it the daemon's group or make it 0600";
        }

        return status.OwnerId != user && status.OwnerId != 0 ? $"{path} belongs to user {status.OwnerId}, neither this daemon's user nor root" : null;
    }

    private static string? Readable(string path)
    {
        try
        {
            using var _ = File.OpenRead(path);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"{path} cannot be read: {ex.Message}";
        }
    }
}
