using System.CommandLine;
using System.Globalization;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Daemon.Hosting;
using EdgeLlm.Daemon.Settings;
using EdgeLlm.Storage;
using Microsoft.Extensions.Configuration;

namespace EdgeLlm.Daemon.Cli;

/// <summary>
/// <c>edgellm keys create|list|revoke</c>: API-key administration on the device itself, against
/// <c>&lt;data-dir&gt;/state.db</c>. The store opens the file in shared mode, so this runs safely while the
/// daemon is serving; run it as the daemon's user so both share the file's lock.
/// </summary>
internal static class KeysCommand
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss'Z'";

    public static Command Create(Option<string> dataDirOption)
    {
        ArgumentNullException.ThrowIfNull(dataDirOption);
        return new Command("keys", "Create, list and revoke the API keys clients use to call this appliance.")
        {
            CreateSubcommand(dataDirOption),
            ListSubcommand(dataDirOption),
            RevokeSubcommand(dataDirOption),
        };
    }

    private static Command CreateSubcommand(Option<string> dataDirOption)
    {
        var name = new Option<string>("--name")
        {
            Description = "A label for who or what uses the key (1-64 of A-Z a-z 0-9 . _ -).",
            Required = true,
        };
        var tenant = new Option<string>("--tenant")
        {
            Description = "The tenant the key acts for; it sees only that tenant's collections (1-64 of A-Z a-z 0-9 . _ -).",
            Required = true,
        };
        var scope = new Option<string[]>("--scope")
        {
            Description = $"A scope to grant: {string.Join(", ", ApiScopes.All)}. Repeat for several; none implies another.",
            Required = true,
        };
        scope.AcceptOnlyFromAmong([.. ApiScopes.All]);

        var expires = new Option<string?>("--expires-in") { Description = "Make the key stop working after this long, e.g. 90d, 12h, 30m. Default: it does not expire." };
        var command = new Command("create", "Create a key and print it. It is shown only this once.") { name, tenant, scope, expires };
        command.SetAction(parseResult => WithStore(parseResult, dataDirOption, store =>
        {
            CreatedApiKey created;
            try
            {
                var lifetime = parseResult.GetValue(expires) is { } text ? Durations.Parse(text, "--expires-in") : (TimeSpan?)null;
                created = store.Create(
                    parseResult.GetRequiredValue(name), parseResult.GetRequiredValue(tenant), parseResult.GetRequiredValue(scope), DateTimeOffset.UtcNow + lifetime);
            }
            catch (ArgumentException error)
            {
                parseResult.InvocationConfiguration.Error.WriteLine(error.Message);
                return 1;
            }

            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Created API key:");
            output.WriteLine();
            output.WriteLine("    " + created.Key);
            output.WriteLine();
            output.WriteLine($"id:      {created.Info.Id}");
            output.WriteLine($"name:    {created.Info.Name}");
            output.WriteLine($"tenant:  {created.Info.Tenant}");
            output.WriteLine($"scopes:  {string.Join(", ", created.Info.Scopes)}");
            output.WriteLine($"expires: {(created.Info.ExpiresAt is null ? "never" : Format(created.Info.ExpiresAt))}");
            output.WriteLine();
            output.WriteLine("Copy the key now: it cannot be shown again. Only a hash of it is stored.");
            return 0;
        }));
        return command;
    }

    private static Command ListSubcommand(Option<string> dataDirOption)
    {
        var command = new Command("list", "List every key with its tenant, scopes and state. Never shows secrets.");
        command.SetAction(parseResult => WithStore(parseResult, dataDirOption, store =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var keys = store.List();
            if (keys.Count == 0)
            {
                output.WriteLine("No API keys. Create one with: edgellm keys create --name NAME --tenant TENANT --scope inference");
                return 0;
            }

            string[] header = ["ID", "NAME", "TENANT", "SCOPES", "CREATED", "LAST USED", "EXPIRES", "REVOKED"];
            var rows = keys.Select(k => new[]
            {
                k.Id, k.Name, k.Tenant, string.Join(",", k.Scopes), Format(k.CreatedAt), Format(k.LastUsedAt), Format(k.ExpiresAt), Format(k.RevokedAt),
            });
            WriteTable(output, header, [.. rows]);
            return 0;
        }));
        return command;
    }

    private static Command RevokeSubcommand(Option<string> dataDirOption)
    {
        var id = new Argument<string>("id") { Description = "The id of the key to revoke, as shown by 'edgellm keys list'." };
        var command = new Command("revoke", "Revoke a key. A running daemon refuses it within its key cache time (5 s by default).") { id };
        command.SetAction(parseResult => WithStore(parseResult, dataDirOption, store =>
        {
            var keyId = parseResult.GetRequiredValue(id);
            if (!store.Revoke(keyId))
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"No API key has the id '{keyId}'.");
                return 1;
            }

            parseResult.InvocationConfiguration.Output.WriteLine($"Revoked API key {keyId}.");
            return 0;
        }));
        return command;
    }

    private static int WithStore(ParseResult parseResult, Option<string> dataDirOption, Func<ApiKeyStore, int> action)
    {
        // Without --data-dir the keys live where the daemon's settings say it keeps its data.
        var given = parseResult.GetValue(dataDirOption) is { Length: > 0 } directory ? directory : null;
        DataDirectoryLayout layout;
        try
        {
            var settings = SettingsSources.Load(new ServeArguments(given, null, null, null, []));
            layout = new DataDirectoryLayout(settings.GetSection(DaemonOptions.SectionName).Get<DaemonOptions>()?.DataDirectory ?? new DaemonOptions().DataDirectory);
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("edgellm keys: cannot read settings: " + ex.Message);
            return 2;
        }

        using var state = new StateDatabase(layout.StateDatabase);
        return action(new ApiKeyStore(state));
    }

    private static string Format(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture) ?? "-";

    private static void WriteTable(TextWriter output, string[] header, string[][] rows)
    {
        var widths = header.Select((title, column) => Math.Max(title.Length, rows.Max(r => r[column].Length))).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            output.WriteLine(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        }
    }
}
