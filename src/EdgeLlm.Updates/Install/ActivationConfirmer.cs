using EdgeLlm.Inference.Models;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Install;

/// <summary>
/// Confirms an activated version once it has served through <c>Updates:ActivationGracePeriod</c> and the daemon
/// has been up that long too; from then on it is the last good version and start-ups are no longer counted.
/// </summary>
internal sealed class ActivationConfirmer(
    ModelRegistry registry,
    UpdateStateStore state,
    IOptions<UpdatesOptions> options,
    TimeProvider time,
    ILogger<ActivationConfirmer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var grace = options.Value.ActivationGracePeriod;
        var poll = TimeSpan.FromMilliseconds(Math.Clamp(grace.TotalMilliseconds / 4, 100, 5000));
        // Idle while nothing waits for confirmation: an install's event wakes it.
        using var recorded = new SemaphoreSlim(0);
        void Wake(UpdateEvent _) => recorded.Release();
        state.EventRecorded += Wake;
        try
        {
            await registry.Ready.WaitAsync(stoppingToken);
            var upSince = time.GetUtcNow();
            while (!stoppingToken.IsCancellationRequested)
            {
                if (!Unconfirmed().Any())
                {
                    await recorded.WaitAsync(stoppingToken);
                    continue;
                }

                await Task.Delay(poll, time, stoppingToken);
                var now = time.GetUtcNow();
                if (now - upSince >= grace)
                {
                    ConfirmDue(now.UtcDateTime - grace);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            state.EventRecorded -= Wake;
        }
    }

    // A daemon release is confirmed by the release it runs (ReleaseConfirmer), not by time.
    private IEnumerable<InstalledItem> Unconfirmed() => state.Installed().Where(i => i is { Confirmed: false, Active: not null } && i.Kind != "daemon");

    private void ConfirmDue(DateTime activatedBefore)
    {
        var served = registry.ServedFiles;
        foreach (var item in Unconfirmed())
        {
            var active = item.Active!;
            if (active.ActivatedAt.ToUniversalTime() <= activatedBefore && (item.Kind != "model" || served.Contains(Path.GetFullPath(active.Path))))
            {
                state.Confirm(item.Kind, item.Name, active.Version);
                UpdatesLog.Confirmed(logger, item.Kind, item.Name, active.Version);
            }
        }
    }
}
