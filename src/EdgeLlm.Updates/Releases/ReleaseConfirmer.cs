using EdgeLlm.Inference.Models;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Updates.Releases;

/// <summary>
/// Once the daemon is ready (every model loaded and answering): a pending release that is the one running is
/// confirmed, and a release the guard went back from is reported as <c>update_failed</c> (<c>release_rolled_back</c>).
/// </summary>
internal sealed class ReleaseConfirmer(ModelRegistry registry, UpdatePaths paths, UpdateStateStore state, ILogger<ReleaseConfirmer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await registry.Ready.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (File.Exists(paths.RolledBackRelease))
        {
            var lines = File.ReadAllLines(paths.RolledBackRelease);
            var version = lines.FirstOrDefault() ?? "?";
            UpdatesLog.ReleaseRolledBack(logger, version);
            state.RollBack("daemon", InstallPlanner.DaemonName, new UpdateEvent
            {
                Event = "update_failed", Code = "release_rolled_back",
                Message = $"Daemon release {version} did not come up in {lines.ElementAtOrDefault(1) ?? "?"} start-ups; the service went back to the previous release.",
            });
            File.Delete(paths.RolledBackRelease);
        }

        if (ReleaseSwitch.PendingVersion(paths) is { } pending && Running(paths.VersionDirectory("daemon", InstallPlanner.DaemonName, pending)))
        {
            ReleaseSwitch.Confirm(paths);
            state.Confirm("daemon", InstallPlanner.DaemonName, pending);
            UpdatesLog.Confirmed(logger, "daemon", InstallPlanner.DaemonName, pending);
        }
    }

    private static bool Running(string releaseDirectory) => string.Equals(RealPath(AppContext.BaseDirectory), RealPath(releaseDirectory), StringComparison.Ordinal);

    // The service starts releases/current/edgellm, a link; what counts is the folder it leads to.
    private static string RealPath(string directory)
    {
        var info = new DirectoryInfo(Path.GetFullPath(directory).TrimEnd('/'));
        return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
    }
}
