using EdgeLlm.Inference.Versions;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>
/// The changes a rollout goes through, each journaled before it takes effect: the candidate loaded, a step up, a
/// window held, the promotion (journal, then one transaction for catalog and journal, then the running daemon), the
/// abort (journal, weight 0, candidate retired). What each change does in the daemon is the kind's
/// <see cref="IRolloutSubject"/>. Callers serialize them (<see cref="CanaryRollouts"/>).
/// </summary>
internal sealed class RolloutTransitions
{
    private readonly UpdateStateStore _state;
    private readonly StorageCollector _storage;
    private readonly ILogger _logger;
    private readonly Dictionary<string, IRolloutSubject> _subjects;

    public RolloutTransitions(UpdateStateStore state, IEnumerable<IRolloutSubject> subjects, StorageCollector storage, ILogger<CanaryRollouts> logger)
    {
        (_state, _storage, _logger) = (state, storage, logger);
        _subjects = subjects.ToDictionary(s => s.Kind, StringComparer.Ordinal);
    }

    /// <summary>Whether rollouts of <paramref name="kind"/> can run here.</summary>
    public bool Knows(string kind) => _subjects.ContainsKey(kind);

    /// <summary>What rollouts of <paramref name="kind"/> do in the running daemon.</summary>
    public IRolloutSubject Subject(string kind) => _subjects[kind];

    /// <summary>The version of that model or policy set the catalog serves: the installed active one, else the configured file; null when neither.</summary>
    public InstalledVersion? ActiveVersion(string kind, string name) => Subject(kind).ActiveVersion(name);

    /// <summary>Whether the rollout's candidate is live in this process.</summary>
    public bool IsLive(RolloutRecord rollout) => Subject(rollout.Kind).IsLive(rollout.Model);

    /// <summary>One side's outcomes in the window.</summary>
    public VersionWindow Window(RolloutRecord rollout, ServedVersion version, DateTimeOffset from, DateTimeOffset to) =>
        Subject(rollout.Kind).Window(rollout.Model, version, from, to);

    /// <summary>Loads the candidate beside the active version; on success the split gives it the current step's share.</summary>
    public async Task<CandidateFailure?> LoadAsync(RolloutRecord rollout, CancellationToken cancellationToken)
    {
        var failure = await Subject(rollout.Kind).LoadAsync(rollout, cancellationToken);
        if (failure is null)
        {
            RolloutMetrics.Weighted(rollout.Kind, rollout.Model, rollout.Weight);
        }

        return failure;
    }

    /// <summary>A window passed: one step up.</summary>
    public void StepUp(RolloutRecord rollout)
    {
        rollout.StepIndex++;
        _state.SaveRollout(rollout, "step");
        Subject(rollout.Kind).Serve(rollout);
        RolloutMetrics.Weighted(rollout.Kind, rollout.Model, rollout.Weight);
        RolloutsLog.Stepped(_logger, rollout.Kind, rollout.Model, rollout.Candidate.Version, rollout.Last?.Candidate.Requests ?? 0, rollout.Last?.Active.Requests ?? 0, rollout.Weight);
    }

    /// <summary>
    /// Makes the candidate the active version: the decision is journaled (<see cref="RolloutStates.Promoting"/>), then
    /// catalog and journal change in one transaction, then the running daemon follows. A crash after the first write
    /// is finished at the next start-up (<see cref="FinishInterruptedPromotions"/>); after the second, the next start
    /// serves the candidate as active. Never are both versions active.
    /// </summary>
    public async Task PromoteAsync(RolloutRecord rollout, string code, string message, CancellationToken cancellationToken)
    {
        (rollout.State, rollout.Code, rollout.Message) = (RolloutStates.Promoting, code, message);
        _state.SaveRollout(rollout);
        FaultPoints.Hit(RolloutFaultPoints.AfterPromoteJournaled);
        if (!CommitPromotion(rollout))
        {
            await AbortAsync(rollout, "active_changed", ActiveChanged(rollout) + "; the candidate is not promoted.", cancellationToken);
            return;
        }

        FaultPoints.Hit(RolloutFaultPoints.AfterPromoteCommitted);
        if (await Subject(rollout.Kind).PromoteAsync(rollout, cancellationToken) is { } failed)
        {
            // The candidate was lost and its file does not serve now: the catalog must not name what cannot serve.
            RolloutsLog.PromotionNotServed(_logger, rollout.Kind, rollout.Model, rollout.Candidate.Version, failed.Code, failed.Message);
            var reason = $"{RolloutKinds.Title(rollout.Kind)} {rollout.Model} {rollout.Candidate.Version} was promoted but did not serve ({failed.Code}): {failed.Message}";
            _state.RollBack(rollout.Kind, rollout.Model, new UpdateEvent { Event = "rolled_back", Bundle = rollout.Candidate.Bundle, Channel = rollout.Candidate.Channel, Sequence = rollout.Candidate.Sequence, Code = "promotion_failed", Message = reason });
            Finish(rollout, RolloutStates.Aborted, "promotion_failed", reason, "aborted");
            return;
        }

        RolloutMetrics.Weighted(rollout.Kind, rollout.Model, 0);
        RolloutMetrics.Finished(rollout.Kind, rollout.Model, RolloutStates.Promoted);
        RolloutsLog.Promoted(_logger, rollout.Kind, rollout.Model, rollout.Candidate.Version, rollout.ActiveVersion);
        // The version before the previous one is no longer kept.
        _storage.Collect(null);
    }

    /// <summary>The catalog half of a promotion; false when the active version changed under it.</summary>
    public bool CommitPromotion(RolloutRecord rollout) => _state.CommitPromotion(rollout, Subject(rollout.Kind).ConfiguredVersion(rollout.Model));

    /// <summary>
    /// At start-up, before the kind's versions are put in service: each promotion of <paramref name="kind"/> that was
    /// journaled but not yet written to the catalog is finished, or aborted when the active version changed since.
    /// </summary>
    public void FinishInterruptedPromotions(string kind)
    {
        foreach (var rollout in _state.UnfinishedRollouts().Where(r => r.Kind == kind && r.State == RolloutStates.Promoting))
        {
            if (CommitPromotion(rollout))
            {
                RolloutsLog.PromotionFinished(_logger, rollout.Kind, rollout.Model, rollout.Candidate.Version);
            }
            else
            {
                Finish(rollout, RolloutStates.Aborted, "active_changed", ActiveChanged(rollout) + "; the candidate is not promoted.", "aborted");
            }
        }
    }

    /// <summary>Ends the rollout: journaled first, then no request goes to the candidate, then it is let go once drained.</summary>
    public async Task AbortAsync(RolloutRecord rollout, string code, string message, CancellationToken cancellationToken)
    {
        Finish(rollout, RolloutStates.Aborted, code, message, "aborted");
        await Subject(rollout.Kind).RetireAsync(rollout, cancellationToken);
        // A bundle's candidate folder is no longer needed.
        _storage.Collect(null);
    }

    /// <summary>Journals a final state without touching the running daemon (a candidate that never loaded).</summary>
    public void Finish(RolloutRecord rollout, string finalState, string code, string message, string? kind)
    {
        (rollout.State, rollout.Code, rollout.Message, rollout.FinishedAt) = (finalState, code, message, _state.Time.GetUtcNow().UtcDateTime);
        _state.SaveRollout(rollout, kind);
        RolloutMetrics.Weighted(rollout.Kind, rollout.Model, 0);
        RolloutMetrics.Finished(rollout.Kind, rollout.Model, finalState);
        if (finalState == RolloutStates.Aborted)
        {
            RolloutsLog.Aborted(_logger, rollout.Kind, rollout.Model, rollout.Candidate.Version, code, message);
        }
    }

    /// <summary>"The active version of model x is no longer v".</summary>
    public static string ActiveChanged(RolloutRecord rollout) => $"The active version of {rollout.Kind} {rollout.Model} is no longer {rollout.ActiveVersion}";
}
