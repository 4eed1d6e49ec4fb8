using System.CommandLine;
using EdgeLlm.Daemon.Hosting;
using EdgeLlm.Daemon.Settings;
using EdgeLlm.Storage;
using EdgeLlm.Updates;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.Signing;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Configuration;

namespace EdgeLlm.Daemon.Cli;

/// <summary>
/// <c>edgellm import PATH</c>: checks a bundle (a folder or a <c>.tar</c>, e.g. on a USB stick) against this
/// device's trusted keys, expiry, target and replay floor at once, then copies it into the drop folder while
/// checking every artifact's size and SHA-256 (<see cref="ImportCopy"/>, with a progress bar on a terminal), so the
/// operator hears of a refusal or a damaged copy on the spot; the daemon installs what was queued (at once when it
/// runs, otherwise at its next start). Exit 0 queued, 1 refused (nothing queued), 2 usage or unreadable.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(Option<string> dataDirectory)
    {
        var path = new Argument<string>("PATH") { Description = "The bundle: a folder or a .tar holding manifest.json and manifest.json.minisig." };
        var config = new Option<string?>("--config") { Description = "JSON settings file, as for 'serve'." };
        var command = new Command("import", "Check a signed bundle and queue it in the drop folder for the daemon to install. Any '--Section:Key value' pair sets that setting.")
        {
            path, config,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, cancellationToken) => RunAsync(
            Path.GetFullPath(parse.GetValue(path)!), new ServeArguments(parse.GetValue(dataDirectory), null, null, parse.GetValue(config), parse.UnmatchedTokens.ToList()), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string bundle, ServeArguments arguments, CancellationToken cancellationToken)
    {
        if (!Path.Exists(bundle))
        {
            await Console.Error.WriteLineAsync($"edgellm import: {bundle} does not exist.");
            return 2;
        }

        UpdatesOptions updates;
        DaemonOptions daemon;
        try
        {
            var configuration = SettingsSources.Load(arguments);
            updates = configuration.GetSection(UpdatesOptions.SectionName).Get<UpdatesOptions>() ?? new UpdatesOptions();
            daemon = configuration.GetSection(DaemonOptions.SectionName).Get<DaemonOptions>() ?? new DaemonOptions();
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or FormatException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync("edgellm import: cannot read settings: " + ex.Message);
            return 2;
        }

        var layout = new DataDirectoryLayout(daemon.DataDirectory);
        var paths = new UpdatePaths(layout);
        BundleCheck check;
        using (var stateDatabase = new StateDatabase(layout.StateDatabase))
        {
            var state = new UpdateStateStore(stateDatabase, TimeProvider.System);
            var verifier = new BundleVerifier(new MinisignVerifier(TrustedKeyRing.Load(updates.TrustedKeysDirectory), updates.AllowLegacySignatures), state, updates.DeviceClass);
            check = Directory.Exists(bundle) ? verifier.Check(bundle) : await new BundleArchive(verifier).CheckAsync(bundle, cancellationToken);
        }

        if (check is BundleCheck.Refused refused)
        {
            await Console.Error.WriteLineAsync($"edgellm import: refused: {refused.Code}: {refused.Message}");
            return 1;
        }

        var manifest = ((BundleCheck.Accepted)check).Manifest;
        Directory.CreateDirectory(paths.Incoming);
        var target = Path.Combine(paths.Incoming, $"{DateTime.UtcNow:yyyyMMddTHHmmssfff}-{Path.GetFileName(bundle.TrimEnd('/'))}");
        BundleCheck.Refused? damaged;
        try
        {
            damaged = await new ImportCopy(new ImportProgress(Console.Error, interactive: !Console.IsErrorRedirected)).QueueAsync(bundle, manifest, target, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync($"edgellm import: the copy failed, nothing was queued: {ex.Message}");
            return 2;
        }

        if (damaged is not null)
        {
            await Console.Error.WriteLineAsync($"edgellm import: refused: {damaged.Code}: {damaged.Message}");
            return 1;
        }

        Console.WriteLine($"verified {manifest.Name} (channel {manifest.Channel}, sequence {manifest.Sequence}) and its {manifest.Artifacts.Count} artifact(s); queued as {target}; the daemon installs it now, or at its next start");
        return 0;
    }
}
