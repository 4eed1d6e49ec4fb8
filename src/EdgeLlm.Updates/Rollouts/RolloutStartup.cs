using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Updates.State;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>
/// Runs before any model loads, ahead of the install recovery: a promotion that was journaled but not yet written to
/// the catalog when the daemon stopped is finished (or aborted, when the active version changed since), so the
/// models load with exactly one active version each. Rollouts still running are resumed by the
/// <see cref="RolloutController"/> once the models serve.
/// </summary>
internal sealed class RolloutStartup(IServedModelSource installs, RolloutTransitions transitions) : IServedModelSource
{
    public IReadOnlyList<ModelOptions> StartupModels(IReadOnlyList<ModelOptions> configured)
    {
        transitions.FinishInterruptedPromotions(RolloutKinds.Model);
        return installs.StartupModels(configured);
    }
}
