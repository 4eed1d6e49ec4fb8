using EdgeLlm.Inference.Versions;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>
/// Canary rollouts of models' versions and of the policy set, one change at a time: started by the operator or by a
/// bundle, judged window by window (the <see cref="RolloutController"/> calls <see cref="JudgeDueAsync"/>), paused,
/// resumed, promoted or aborted, and resumed after a restart with the candidate re-loaded.
/// </summary>
public sealed class CanaryRollouts
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly UpdateStateStore _state;
    private readonly RolloutCandidates _candidates;
    private readonly RolloutTransitions _transitions;
    private readonly IOptions<UpdatesOptions> _options;
    private readonly ILogger<CanaryRollouts> _logger;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal CanaryRollouts(UpdateStateStore state, RolloutCandidates candidates, RolloutTransitions transitions, IOptions<UpdatesOptions> options, ILogger<CanaryRollouts> logger)
    {
        (_state, _candidates, _transitions, _options, _logger) = (state, candidates, transitions, options, logger);
    }

    /// <summary>Completes when a rollout started or resumed, so the controller recomputes when the next window ends.</summary>
    internal Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>Every rollout journaled, newest first.</summary>
    public IReadOnlyList<RolloutRecord> List() => _state.Rollouts();

    /// <summary>The operator's rollout of an installed version (or a file) of a served model or of the policy set.</summary>
    public async Task<RolloutStartOutcome> StartAsync(RolloutRequest request, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_state.UnfinishedRollout(request.Model, request.Kind) is { } running)
            {
                return new RolloutStartOutcome.AlreadyRunning(running);
            }

            return _candidates.FromRequest(request) switch
            {
                RolloutCandidates.Resolved resolved => await LoadAsync(resolved.Rollout, rollout => _state.SaveRollout(rollout), cancellationToken),
                RolloutCandidates.Refused refused => refused.Outcome,
                _ => throw new InvalidOperationException("Unknown candidate resolution."),
            };
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A bundle's model or policy, probed (or read) and placed, becomes a candidate instead of replacing the active
    /// version; a rollout of the same model or policy set still running is superseded (aborted). The journal entry and
    /// the plan's commit point are one transaction; <paramref name="activated"/> runs right after it, as at an install's
    /// activation.
    /// </summary>
    internal async Task<RolloutStartOutcome> StartFromBundleAsync(InstallPlan plan, Bundles.BundleRollout requested, Action? activated, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var item = plan.Items.Single(i => _transitions.Knows(i.Kind));
            if (_candidates.FromBundle(plan, item, requested) is not { } candidate)
            {
                return new RolloutStartOutcome.NoActiveVersion(item.Name);
            }

            if (_state.UnfinishedRollout(item.Name, item.Kind) is { } running)
            {
                await _transitions.AbortAsync(running, "superseded", $"Bundle {plan.Bundle} (sequence {plan.Sequence}) brought a newer candidate.", cancellationToken);
            }

            return await LoadAsync(candidate, rollout =>
            {
                _state.StartRollout(plan, rollout);
                activated?.Invoke();
            }, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<RolloutCommandOutcome> PauseAsync(string kind, string name, CancellationToken cancellationToken) =>
        CommandAsync(kind, name, RolloutStates.Running, rollout =>
        {
            rollout.State = RolloutStates.Paused;
            _state.SaveRollout(rollout);
            return Task.CompletedTask;
        }, cancellationToken);

    public Task<RolloutCommandOutcome> ResumeAsync(string kind, string name, CancellationToken cancellationToken) =>
        CommandAsync(kind, name, RolloutStates.Paused, rollout =>
        {
            // The paused time is no window: judging starts afresh.
            (rollout.State, rollout.WindowStartTicks) = (RolloutStates.Running, _state.Time.GetUtcNow().UtcTicks);
            _state.SaveRollout(rollout);
            Wake();
            return Task.CompletedTask;
        }, cancellationToken);

    public Task<RolloutCommandOutcome> PromoteAsync(string kind, string name, CancellationToken cancellationToken) =>
        CommandAsync(kind, name, null, rollout => _transitions.PromoteAsync(rollout, "operator_promote", $"The operator promoted it at {rollout.Weight} %.", cancellationToken), cancellationToken);

    public Task<RolloutCommandOutcome> AbortAsync(string kind, string name, CancellationToken cancellationToken) =>
        CommandAsync(kind, name, null, rollout => _transitions.AbortAsync(rollout, "operator_abort", $"The operator aborted it at {rollout.Weight} %.", cancellationToken), cancellationToken);

    /// <summary>After a restart: each unfinished rollout gets its candidate re-loaded and a fresh window at its journaled step; a candidate that does not load aborts it.</summary>
    internal async Task ResumeAfterStartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // One started while the models were still loading is live already.
            foreach (var rollout in _state.UnfinishedRollouts().Where(r => r.State is RolloutStates.Running or RolloutStates.Paused && !_transitions.IsLive(r)))
            {
                rollout.WindowStartTicks = _state.Time.GetUtcNow().UtcTicks;
                _state.SaveRollout(rollout);
                if (await _transitions.LoadAsync(rollout, cancellationToken) is { } failed)
                {
                    await _transitions.AbortAsync(rollout, "candidate_reload_failed", $"The candidate did not load again after a restart ({failed.Code}): {failed.Message}", cancellationToken);
                    continue;
                }

                RolloutsLog.Resumed(_logger, rollout.Kind, rollout.Model, rollout.Candidate.Version, rollout.Weight);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>When the earliest running window of this process ends, or null when none runs.</summary>
    internal DateTimeOffset? NextWindowEnd() =>
        _state.UnfinishedRollouts().Where(Judged).Select(r => (DateTimeOffset?)new DateTimeOffset(r.WindowStartTicks, TimeSpan.Zero) + r.Interval).Min();

    /// <summary>Judges every running rollout whose window has ended: hold, step up, promote after the last step, or abort at the failure limit.</summary>
    internal async Task JudgeDueAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = _state.Time.GetUtcNow();
            foreach (var rollout in _state.UnfinishedRollouts().Where(r => Judged(r) && new DateTimeOffset(r.WindowStartTicks, TimeSpan.Zero) + r.Interval <= now))
            {
                try
                {
                    await JudgeAsync(rollout, now, cancellationToken);
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
                {
                    RolloutsLog.JudgeFailed(_logger, rollout.Kind, rollout.Model, ex);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task JudgeAsync(RolloutRecord rollout, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_transitions.ActiveVersion(rollout.Kind, rollout.Model)?.Version != rollout.ActiveVersion)
        {
            await _transitions.AbortAsync(rollout, "active_changed", RolloutTransitions.ActiveChanged(rollout) + ".", cancellationToken);
            return;
        }

        var options = _options.Value;
        var from = new DateTimeOffset(rollout.WindowStartTicks, TimeSpan.Zero);
        var figures = RolloutAnalysis.Judge(
            _transitions.Window(rollout, ServedVersion.Active, from, now), _transitions.Window(rollout, ServedVersion.Candidate, from, now), rollout.Baseline, rollout.Weight, options);
        (figures.From, figures.To) = (from.UtcDateTime, now.UtcDateTime);
        (rollout.Last, rollout.WindowStartTicks) = (figures, now.UtcTicks);
        RolloutMetrics.Judged(rollout.Kind, rollout.Model, figures.Verdict);
        switch (figures.Verdict)
        {
            case RolloutAnalysis.Inconclusive:
                rollout.Inconclusive++;
                _state.SaveRollout(rollout);
                RolloutsLog.Held(_logger, rollout.Kind, rollout.Model, rollout.Candidate.Version, rollout.Weight, figures.Reasons[0]);
                break;
            case RolloutAnalysis.Failed:
                rollout.Failures++;
                RolloutsLog.CheckFailed(_logger, rollout.Kind, rollout.Model, rollout.Candidate.Version, string.Join(", ", figures.Reasons), rollout.Weight, rollout.Failures, options.RolloutFailureLimit);
                if (rollout.Failures >= options.RolloutFailureLimit)
                {
                    await _transitions.AbortAsync(rollout, "analysis_failed", $"{rollout.Failures} windows failed their checks, the last at {rollout.Weight} %: {string.Join(", ", figures.Reasons)}.", cancellationToken);
                }
                else
                {
                    _state.SaveRollout(rollout);
                }

                break;
            default:
                if (!figures.AgainstBaseline)
                {
                    rollout.Baseline = figures.Active;
                }

                if (rollout.StepIndex == rollout.Steps.Count - 1)
                {
                    await _transitions.PromoteAsync(rollout, "analysis_passed", $"The candidate passed every step up to {rollout.Weight} %.", cancellationToken);
                }
                else
                {
                    _transitions.StepUp(rollout);
                }

                break;
        }
    }

    private async Task<RolloutStartOutcome> LoadAsync(RolloutRecord rollout, Action<RolloutRecord> journal, CancellationToken cancellationToken)
    {
        journal(rollout);
        if (await _transitions.LoadAsync(rollout, cancellationToken) is { } failed)
        {
            var message = $"The candidate did not load ({failed.Code}): {failed.Message}";
            _transitions.Finish(rollout, RolloutStates.Aborted, "candidate_load_failed", message, kind: null);
            return new RolloutStartOutcome.CandidateFailed(rollout, failed.Code, message);
        }

        _state.SaveRollout(rollout, "started");
        RolloutsLog.Started(_logger, rollout.Kind, rollout.Model, rollout.Candidate.Version, rollout.ActiveVersion, string.Join(", ", rollout.Steps), rollout.Interval);
        Wake();
        return new RolloutStartOutcome.Started(rollout);
    }

    private async Task<RolloutCommandOutcome> CommandAsync(string kind, string name, string? from, Func<RolloutRecord, Task> command, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_state.UnfinishedRollout(name, kind) is not { State: RolloutStates.Running or RolloutStates.Paused } rollout || (from is not null && rollout.State != from))
            {
                return new RolloutCommandOutcome.NotRunning(name);
            }

            await command(rollout);
            RolloutsLog.OperatorChanged(_logger, kind, name, rollout.Candidate.Version, rollout.State, rollout.Weight);
            return new RolloutCommandOutcome.Done(rollout);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Judged by this process: running, with its candidate loaded here.</summary>
    private bool Judged(RolloutRecord rollout) => rollout.State == RolloutStates.Running && _transitions.IsLive(rollout);

    private void Wake() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
