using Microsoft.Extensions.Hosting;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>
/// Drives the rollouts: once the models serve, re-loads the candidates of rollouts a restart interrupted, then sleeps
/// until the earliest window ends (or a rollout starts or resumes) and has it judged. Time comes from the
/// <see cref="TimeProvider"/>, so tests drive it with a fake clock.
/// </summary>
internal sealed class RolloutController(CanaryRollouts rollouts, Task modelsReady, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await modelsReady.WaitAsync(stoppingToken);
            await rollouts.ResumeAfterStartAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                var changed = rollouts.Changed;
                if (rollouts.NextWindowEnd() is { } end)
                {
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    var delay = end - time.GetUtcNow();
                    var elapsed = Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, time, wait.Token);
                    await Task.WhenAny(elapsed, changed);
                    await wait.CancelAsync();
                }
                else
                {
                    await changed.WaitAsync(stoppingToken);
                }

                stoppingToken.ThrowIfCancellationRequested();
                await rollouts.JudgeDueAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the journal holds each rollout's step.
        }
    }
}
