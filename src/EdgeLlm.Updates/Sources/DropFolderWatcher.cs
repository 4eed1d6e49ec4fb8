using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Install;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Sources;

/// <summary>
/// Installs bundles put in <c>incoming/</c> (a folder or a <c>.tar</c>), once each has stayed unchanged for
/// <c>Updates:IncomingSettleTime</c> so a copy in progress is never read. An installed bundle is removed; a refused
/// one is moved to <c>incoming/rejected/</c> next to a <c>.reason.txt</c> saying why. Names starting with a dot are
/// copies in progress (<c>edgellm import</c> writes there first) and are left alone.
/// </summary>
internal sealed class DropFolderWatcher(
    UpdatePaths paths,
    UpdateInstaller installer,
    BundleVerifier verifier,
    BundleArchive archive,
    IOptions<UpdatesOptions> options,
    TimeProvider time,
    ILogger<DropFolderWatcher> logger) : BackgroundService
{
    private readonly Dictionary<string, (string Fingerprint, DateTimeOffset Since)> _seen = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changed = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WatchIncoming)
        {
            return;
        }

        Directory.CreateDirectory(paths.Incoming);
        using var watcher = new FileSystemWatcher(paths.Incoming) { IncludeSubdirectories = true, EnableRaisingEvents = true };
        watcher.Created += (_, _) => Wake();
        watcher.Changed += (_, _) => Wake();
        watcher.Renamed += (_, _) => Wake();
        var settle = options.Value.IncomingSettleTime;
        var poll = TimeSpan.FromMilliseconds(Math.Clamp(settle.TotalMilliseconds / 2, 100, 5000));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                foreach (var entry in SettledEntries(settle))
                {
                    await ProcessAsync(entry, stoppingToken);
                }

                await _changed.WaitAsync(poll, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; an install cut short here is rolled back at the next start.
        }
    }

    private void Wake()
    {
        if (_changed.CurrentCount == 0)
        {
            _changed.Release();
        }
    }

    private List<string> SettledEntries(TimeSpan settle)
    {
        var now = time.GetUtcNow();
        var settled = new List<string>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(paths.Incoming).EnumerateFileSystemInfos())
        {
            if (entry.Name.StartsWith('.') || entry.FullName == paths.Rejected)
            {
                continue;
            }

            present.Add(entry.FullName);
            var fingerprint = Fingerprint(entry);
            if (_seen.TryGetValue(entry.FullName, out var seen) && seen.Fingerprint == fingerprint)
            {
                if (now - seen.Since >= settle)
                {
                    settled.Add(entry.FullName);
                }
            }
            else
            {
                _seen[entry.FullName] = (fingerprint, now);
            }
        }

        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _seen.Remove(gone);
        }

        return settled;
    }

    private async Task ProcessAsync(string entry, CancellationToken cancellationToken)
    {
        _seen.Remove(entry);
        try
        {
            InstallOutcome outcome;
            if (File.Exists(entry) && !entry.EndsWith(".tar", StringComparison.OrdinalIgnoreCase))
            {
                outcome = new InstallOutcome.Refused(BundleErrors.Incomplete, "Only bundle folders and .tar files are installed from the drop folder.");
            }
            else
            {
                outcome = await installer.InstallAsync("incoming", BundleFolder.StagerFor(entry, verifier, archive), cancellationToken, () => Remove(entry));
            }

            switch (outcome)
            {
                case InstallOutcome.Installed:
                    Remove(entry);
                    break;
                case InstallOutcome.Refused(var code, var message):
                    Reject(entry, code, message);
                    break;
                case InstallOutcome.Failed(var code, var message):
                    Reject(entry, code, message);
                    break;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            UpdatesLog.IncomingFailed(logger, entry, ex);
            Reject(entry, "incoming_unreadable", ex.Message);
        }
    }

    private static void Remove(string entry)
    {
        if (Directory.Exists(entry))
        {
            Directory.Delete(entry, recursive: true);
        }
        else
        {
            File.Delete(entry);
        }
    }

    private void Reject(string entry, string code, string message)
    {
        if (!Path.Exists(entry))
        {
            return;
        }

        Directory.CreateDirectory(paths.Rejected);
        var name = $"{time.GetUtcNow():yyyyMMddTHHmmssZ}-{Path.GetFileName(entry)}";
        var target = Path.Combine(paths.Rejected, name);
        if (Directory.Exists(entry))
        {
            Directory.Move(entry, target);
        }
        else
        {
            File.Move(entry, target);
        }

        File.WriteAllText(target + ".reason.txt", $"{code}\n{message}\n");
    }

    private static string Fingerprint(FileSystemInfo entry) => entry switch
    {
        FileInfo file => $"{file.Length}:{file.LastWriteTimeUtc.Ticks}",
        DirectoryInfo folder => string.Join('|', folder.EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => $"{f.Name}:{f.Length}:{f.LastWriteTimeUtc.Ticks}")),
        _ => "",
    };
}
