using EdgeLlm.Inference.Models;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Updates.Releases;

/// <summary>
/// The daemon's own update, as steps of an install plan: unpack the signed release into <c>releases/&lt;version&gt;/</c>,
/// probe it (the new build must load the served model and generate, in a process of its own), then point
/// <c>releases/current</c> at it and restart into it. A release that never comes up is undone by the service's guard.
/// </summary>
public sealed class ReleaseInstaller(UpdatePaths paths, IModelProbe probe, ModelRegistry registry, IHostApplicationLifetime lifetime, ILogger<ReleaseInstaller> logger)
{
    /// <summary>The exit code that asks the supervisor for a restart into the new release (EX_TEMPFAIL).</summary>
    public const int RestartExitCode = 75;

    /// <summary>Null when unpacked; otherwise why the release was refused.</summary>
    public async Task<string?> PlaceAsync(PlannedItem item, string stagedFile, CancellationToken cancellationToken)
    {
        if (ReleaseSwitch.Current(paths) is null)
        {
            // No releases/current: not started by edgellm.service's release guard (a container, a manual run).
            return "this daemon is not started through releases/current (systemd/edgellm-release); a container is updated by its image";
        }

        var partial = item.VersionDirectory + ".partial";
        InstallFiles.DeleteDirectory(partial);
        InstallFiles.DeleteDirectory(item.VersionDirectory);
        if (await ReleaseArchive.ExtractAsync(stagedFile, partial, cancellationToken) is { } refused)
        {
            return refused;
        }

        Directory.Move(partial, item.VersionDirectory);
        return null;
    }

    public async Task<ProbeFailure?> ProbeAsync(PlannedItem item, CancellationToken cancellationToken) =>
        registry.Slots.FirstOrDefault() is { } model
            ? await probe.ProbeReleaseAsync(item.VersionDirectory, Path.GetFullPath(model.Version.Path), model.Settings, cancellationToken)
            : new ProbeFailure("probe_failed", "No model is served to try the new release with.");

    /// <summary>Switches <c>current</c> to the release and restarts into it once the answer to whoever sent it is out.</summary>
    public void SwitchAndRestart(PlannedItem item)
    {
        var previous = ReleaseSwitch.Activate(paths, item.VersionDirectory, item.Version);
        UpdatesLog.ReleaseActivated(logger, item.Version, previous ?? "(none)");
        Environment.ExitCode = RestartExitCode;
        _ = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            lifetime.StopApplication();
        });
    }
}
