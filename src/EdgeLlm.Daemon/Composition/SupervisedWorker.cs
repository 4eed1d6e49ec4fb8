using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Daemon.Composition;

/// <summary>
/// Runs one part's <see cref="BackgroundService"/> and starts it again whenever its loop fails, after a back-off that
/// starts at <see cref="DaemonOptions.WorkerRestartDelay"/> and doubles, with ±20 % jitter (so workers that failed
/// together do not retry together), up to <see cref="DaemonOptions.WorkerRestartMaxDelay"/>; a run that lasted that
/// long before failing starts the series again. A worker that returns is left completed. The same instance is
/// restarted: other services may hold it (the update puller is also the fleet's update trigger).
/// </summary>
internal sealed class SupervisedWorker(BackgroundService worker, WorkerRecord record, DaemonOptions options, TimeProvider time, ILogger<SupervisedWorker> logger)
    : IHostedService, IDisposable
{
    private const double Jitter = 0.2;
    private readonly CancellationTokenSource _stopping = new();
    private Task _supervision = Task.CompletedTask;

    /// <summary>The worker supervised (for tests and diagnostics).</summary>
    public BackgroundService Worker => worker;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var run = await StartRunAsync(cancellationToken);
        _supervision = SuperviseAsync(run, _stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _supervision;
        if (record.Status.State != Api.Lifecycle.WorkerState.Completed)
        {
            record.Stopped();
        }

        try
        {
            await worker.StopAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && worker.ExecuteTask is { IsFaulted: true })
        {
            // Its last run's failure, already counted and logged: stopping a failed worker is no new fault.
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        worker.Dispose();
    }

    /// <summary>Starts one run; returns its loop (faulted at once when the start itself threw).</summary>
    private async Task<Task> StartRunAsync(CancellationToken cancellationToken)
    {
        if (WorkerFaults.StartFailure(record.Name) is { } fault)
        {
            return Task.FromException(fault);
        }

        try
        {
            await worker.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
        {
            return Task.FromException(ex);
        }

        return worker.ExecuteTask ?? Task.CompletedTask;
    }

    private async Task SuperviseAsync(Task run, CancellationToken stopping)
    {
        var streak = 0;
        var started = time.GetUtcNow();
        while (true)
        {
            try
            {
                await run.WaitAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The run failed: handled below, from the task itself.
            }

            if (run.IsCompletedSuccessfully)
            {
                record.Completed();
                return;
            }

            var error = run.Exception?.InnerException ?? new OperationCanceledException("The worker's loop was cancelled while the daemon was not stopping.");
            streak = time.GetUtcNow() - started >= options.WorkerRestartMaxDelay ? 1 : streak + 1;
            var delay = Delay(streak);
            // The wait starts before the failure shows: whoever sees the restart counted finds its timer running.
            var wait = Task.Delay(delay, time, stopping);
            var restart = record.Failed(error);
            DaemonLog.WorkerFailed(logger, record.Name, error.GetType().Name, restart, delay, error);
            try
            {
                await wait;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            started = time.GetUtcNow();
            run = await StartRunAsync(CancellationToken.None);
            if (!run.IsFaulted)
            {
                record.Running();
                DaemonLog.WorkerRestarted(logger, record.Name, restart);
            }
        }
    }

    /// <summary>The wait before the <paramref name="streak"/>-th restart in a row.</summary>
    private TimeSpan Delay(int streak)
    {
        var doubled = options.WorkerRestartDelay * Math.Pow(2, Math.Min(streak - 1, 30));
        var capped = doubled < options.WorkerRestartMaxDelay ? doubled : options.WorkerRestartMaxDelay;
#pragma warning disable CA5394 // Jitter spreads retries; it needs no cryptographic randomness.
        return capped * (1 + (Random.Shared.NextDouble() * 2 - 1) * Jitter);
#pragma warning restore CA5394
    }
}
