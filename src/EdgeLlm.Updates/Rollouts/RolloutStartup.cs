using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>
/// Runs before any model loads, ahead of the install recovery: a promotion that was journaled but not yet written to
/// the catalog when the daemon stopped is finished (or aborted, when the active version changed since), so the
/// models load with exactly one active version each. Rollouts still running are resumed by the
/// <see cref="RolloutController"/> once the models serve.
/// </summary>
internal sealed class RolloutStartup(IServedModelSource installs, UpdateStateStore state, RolloutTransitions transitions, ILogger<CanaryRollouts> logger) : IServedModelSource
{
    public IReadOnlyList<ModelOptions> StartupModels(IReadOnlyList<ModelOptions> configured)
    {
        foreach (var rollout in state.UnfinishedRollouts().Where(r => r.State == RolloutStates.Promoting))
        {
            if (transitions.CommitPromotion(rollout))
            {
                RolloutsLog.PromotionFinished(logger, rollout.Model, rollout.Candidate.Version);
            }
            else
            {
                transitions.Finish(rollout, RolloutStates.Aborted, "active_changed", $"The active version of model {rollout.Model} is no longer {rollout.ActiveVersion}; the candidate is not promoted.", "aborted");
            }
        }

        return installs.StartupModels(configured);
    }
}
