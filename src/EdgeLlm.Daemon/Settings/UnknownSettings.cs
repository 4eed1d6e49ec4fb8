using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace EdgeLlm.Daemon.Settings;

/// <summary>
/// Finds every key a settings source gives that the daemon does not read. Such a key would otherwise be ignored
/// silently (a misspelt broker address leaves the uplink off, and nothing says why), so each one is a start-up
/// failure that names the key, where it came from and the nearest setting that does exist.
/// </summary>
internal static class UnknownSettings
{
    /// <summary>Settings renamed since devices were first provisioned, with what replaced them.</summary>
    private static readonly Dictionary<string, string> Replaced = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Telemetry:BrokerHost"] = "Telemetry:BrokerUri (mqtts://host:port)",
        ["Telemetry:BrokerPort"] = "Telemetry:BrokerUri (mqtts://host:port)",
        ["Telemetry:UseTls"] = "the scheme of Telemetry:BrokerUri (mqtts:// or mqtt://)",
        ["Telemetry:Password"] = "Telemetry:PasswordFile (a secret file, or credential:NAME)",
        ["Telemetry:CaCertificatePath"] = "Telemetry:CaCertificateFile",
        ["Telemetry:ClientCertificatePath"] = "Telemetry:ClientCertificateFile",
        ["Telemetry:ClientKeyPath"] = "Telemetry:ClientKeyFile",
        ["Updates:DataDirectory"] = "Daemon:DataDirectory (updates live in its models/, incoming/, staging/ and releases/)",
        ["Api:Authentication:StateDatabasePath"] = "Daemon:DataDirectory (the keys live in its state.db)",
    };

    public static List<string> Find(IConfigurationRoot configuration)
    {
        var failures = new List<string>();
        foreach (var provider in configuration.Providers)
        {
            foreach (var key in Leaves(provider, null))
            {
                provider.TryGet(key, out var value);
                if (Problem(key, value) is { } problem)
                {
                    failures.Add($"{problem} ({Origin(provider, key)}){Advice(key)}");
                }
            }
        }

        return failures;
    }

    private static string? Problem(string key, string? value)
    {
        var pattern = Pattern(key);
        foreach (var setting in SettingsCatalog.All)
        {
            var list = SettingsCatalog.ListElement(setting.Property.PropertyType);
            if (string.Equals(pattern, setting.Key, StringComparison.OrdinalIgnoreCase))
            {
                return list is null || string.IsNullOrEmpty(value)
                    ? null
                    : $"{key} is a list: give its items as {key}:0, {key}:1, …";
            }

            if (list is not null && string.Equals(pattern, setting.Key + ":" + SettingsCatalog.Index, StringComparison.OrdinalIgnoreCase)
                && !SettingsCatalog.All.Any(s => s.Key.StartsWith(pattern + ":", StringComparison.OrdinalIgnoreCase)))
            {
                return null;
            }
        }

        return $"{key} is not a setting";
    }

    private static string Advice(string key)
    {
        if (Replaced.TryGetValue(key, out var replacement))
        {
            return $"; it was replaced by {replacement}";
        }

        var pattern = Pattern(key);
        var last = pattern[(pattern.LastIndexOf(':') + 1)..];
        var (nearest, distance) = SettingsCatalog.All
            .Select(s => (s.Key, Distance: Levenshtein(pattern.ToUpperInvariant(), s.Key.ToUpperInvariant())))
            .MinBy(c => c.Distance);
        return nearest is not null && distance <= Math.Max(3, last.Length / 2)
            ? $"; did you mean {WithIndices(nearest, key)}?"
            : "; 'edgellm settings' lists every setting";
    }

    /// <summary>The key with each list index replaced by <see cref="SettingsCatalog.Index"/>.</summary>
    private static string Pattern(string key) =>
        string.Join(':', key.Split(':').Select(segment => segment.Length > 0 && segment.All(char.IsAsciiDigit) ? SettingsCatalog.Index : segment));

    /// <summary>A catalog key with the indices the operator used put back, so the suggestion can be pasted.</summary>
    private static string WithIndices(string catalogKey, string key)
    {
        var given = key.Split(':');
        var known = catalogKey.Split(':');
        for (var i = 0; i < known.Length && i < given.Length; i++)
        {
            if (known[i] == SettingsCatalog.Index && given[i].All(char.IsAsciiDigit))
            {
                known[i] = given[i];
            }
        }

        return string.Join(':', known);
    }

    private static string Origin(IConfigurationProvider provider, string key) => provider switch
    {
        SettingsFileProvider file => "in " + file.FilePath,
        EnvironmentVariablesConfigurationProvider => $"from the environment variable {SettingsSources.EnvironmentPrefix}{key.Replace(":", "__", StringComparison.Ordinal)}",
        CommandLineConfigurationProvider => $"on the command line, --{key}",
        _ => "from the command line options",
    };

    private static IEnumerable<string> Leaves(IConfigurationProvider provider, string? parent)
    {
        foreach (var child in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var path = parent is null ? child : ConfigurationPath.Combine(parent, child);
            var hasChildren = provider.GetChildKeys([], path).Any();
            if (!hasChildren || provider.TryGet(path, out _))
            {
                yield return path;
            }

            if (hasChildren)
            {
                foreach (var leaf in Leaves(provider, path))
                {
                    yield return leaf;
                }
            }
        }
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
