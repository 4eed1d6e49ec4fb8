using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Versions;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>
/// The changes a rollout goes through, each journaled before it takes effect: the candidate loaded, a step up, a
/// window held, the promotion (journal, then one transaction for catalog and journal, then the running models), the
/// abort (journal, weight 0, candidate retired). Callers serialize them (<see cref="CanaryRollouts"/>).
/// </summary>
internal sealed class RolloutTransitions(
    UpdateStateStore state,
    IModelVersions versions,
    LiveRollouts live,
    StorageCollector storage,
    IOptions<InferenceOptions> inference,
    ILogger<CanaryRollouts> logger)
{
    /// <summary>The version of <paramref name="model"/> the catalog serves: the installed active one, else the configured file; null when neither.</summary>
    public InstalledVersion? ActiveVersion(string model) => state.FindInstalled("model", model)?.Active ?? ConfiguredVersion(model);

    /// <summary>Loads the candidate beside the active version; on success the split gives it the current step's share.</summary>
    public async Task<ModelSwitchResult> LoadAsync(RolloutRecord rollout, CancellationToken cancellationToken)
    {
        var loaded = await versions.LoadCandidateAsync(inference.Value.ModelVersion(rollout.Model, rollout.Candidate.Path), cancellationToken);
        if (loaded is ModelSwitchResult.Switched)
        {
            Serve(rollout);
        }

        return loaded;
    }

    /// <summary>A window passed: one step up.</summary>
    public void StepUp(RolloutRecord rollout)
    {
        rollout.StepIndex++;
        state.SaveRollout(rollout, "step");
        Serve(rollout);
        RolloutsLog.Stepped(logger, rollout.Model, rollout.Candidate.Version, rollout.Last?.Candidate.Requests ?? 0, rollout.Last?.Active.Requests ?? 0, rollout.Weight);
    }

    /// <summary>
    /// Makes the candidate the active version: the decision is journaled (<see cref="RolloutStates.Promoting"/>), then
    /// catalog and journal change in one transaction, then the running models follow. A crash after the first write
    /// is finished at the next start-up (<see cref="RolloutStartup"/>); after the second, the next start serves the
    /// candidate as active. Never are both versions active.
    /// </summary>
    public async Task PromoteAsync(RolloutRecord rollout, string code, string message, CancellationToken cancellationToken)
    {
        (rollout.State, rollout.Code, rollout.Message) = (RolloutStates.Promoting, code, message);
        state.SaveRollout(rollout);
        FaultPoints.Hit(RolloutFaultPoints.AfterPromoteJournaled);
        if (!CommitPromotion(rollout))
        {
            await AbortAsync(rollout, "active_changed", $"The active version of model {rollout.Model} is no longer {rollout.ActiveVersion}; the candidate is not promoted.", cancellationToken);
            return;
        }

        FaultPoints.Hit(RolloutFaultPoints.AfterPromoteCommitted);
        if (!await versions.PromoteCandidateAsync(rollout.Model, cancellationToken)
            && await versions.SwitchAsync(inference.Value.ModelVersion(rollout.Model, rollout.Candidate.Path), cancellationToken) is ModelSwitchResult.Failed failed)
        {
            // The candidate was lost and its file does not load now: the catalog must not name what cannot serve.
            RolloutsLog.PromotionNotServed(logger, rollout.Model, rollout.Candidate.Version, failed.Code, failed.Message);
            var reason = $"Model {rollout.Model} {rollout.Candidate.Version} was promoted but did not load ({failed.Code}): {failed.Message}";
            state.RollBack("model", rollout.Model, new UpdateEvent { Event = "rolled_back", Bundle = rollout.Candidate.Bundle, Channel = rollout.Candidate.Channel, Sequence = rollout.Candidate.Sequence, Code = "promotion_failed", Message = reason });
            Finish(rollout, RolloutStates.Aborted, "promotion_failed", reason, "aborted");
            return;
        }

        live.Remove(rollout.Model);
        RolloutMetrics.Weighted(rollout.Model, 0);
        RolloutMetrics.Finished(rollout.Model, RolloutStates.Promoted);
        RolloutsLog.Promoted(logger, rollout.Model, rollout.Candidate.Version, rollout.ActiveVersion);
        // The version before the previous one is no longer kept.
        storage.Collect(null);
    }

    /// <summary>The catalog half of a promotion (also run by the start-up for one a crash interrupted); false when the active version changed under it.</summary>
    public bool CommitPromotion(RolloutRecord rollout) => state.CommitPromotion(rollout, ConfiguredVersion(rollout.Model));

    /// <summary>Ends the rollout: journaled first, then no request goes to the candidate, then it is unloaded once drained.</summary>
    public async Task AbortAsync(RolloutRecord rollout, string code, string message, CancellationToken cancellationToken)
    {
        Finish(rollout, RolloutStates.Aborted, code, message, "aborted");
        live.Remove(rollout.Model);
        await versions.RetireCandidateAsync(rollout.Model, cancellationToken);
        // A bundle's candidate folder is no longer needed.
        storage.Collect(null);
    }

    /// <summary>Journals a final state without touching the running models (a candidate that never loaded).</summary>
    public void Finish(RolloutRecord rollout, string finalState, string code, string message, string? kind)
    {
        (rollout.State, rollout.Code, rollout.Message, rollout.FinishedAt) = (finalState, code, message, state.Time.GetUtcNow().UtcDateTime);
        state.SaveRollout(rollout, kind);
        RolloutMetrics.Weighted(rollout.Model, 0);
        RolloutMetrics.Finished(rollout.Model, finalState);
        if (finalState == RolloutStates.Aborted)
        {
            RolloutsLog.Aborted(logger, rollout.Model, rollout.Candidate.Version, code, message);
        }
    }

    private void Serve(RolloutRecord rollout)
    {
        live.Set(new LiveRollout(rollout.Model, rollout.Id, rollout.Weight, Enum.Parse<RolloutStickiness>(rollout.StickyBy)));
        RolloutMetrics.Weighted(rollout.Model, rollout.Weight);
    }

    private InstalledVersion? ConfiguredVersion(string model) =>
        inference.Value.Models.FirstOrDefault(m => m.EffectiveName == model) is { } configured
            ? new InstalledVersion { Version = "configured", Path = Path.GetFullPath(configured.Path), ActivatedAt = state.Time.GetUtcNow().UtcDateTime }
            : null;
}
