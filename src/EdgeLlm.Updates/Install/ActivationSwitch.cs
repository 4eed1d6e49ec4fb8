using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Versions;
using EdgeLlm.Updates.Policies;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Install;

/// <summary>
/// Serves an activated plan's models, one switch each, then puts its policy in force (<see cref="PolicySwitch"/>). When
/// one fails (a model its health check, a policy its reading), the items already switched in go back to where they
/// were before the bundle first (their previous version switched back in; a model new to this device withdrawn: out
/// of the registry, then unloaded once drained; the policy before it in force again) and only then is the catalog
/// rolled back (a new model leaves it) and the plan's files removed, so every model keeps serving files that exist
/// and the device ends serving exactly what it served before the bundle.
/// </summary>
public sealed class ActivationSwitch(UpdateStateStore state, IModelVersions versions, PolicySwitch policies, IOptions<InferenceOptions> inference, ILogger<ActivationSwitch> logger)
{
    /// <summary>Switches each model, then the policy, of <paramref name="plan"/> in, adding each to <paramref name="switchedIn"/>; the first failure, or null.</summary>
    public async Task<(PlannedItem Item, ModelSwitchResult.Failed Failure)?> SwitchAsync(InstallPlan plan, ICollection<PlannedItem> switchedIn, CancellationToken cancellationToken)
    {
        foreach (var item in plan.Items.Where(i => i.Kind == "model"))
        {
            if (await versions.SwitchAsync(inference.Value.ModelVersion(item.Name, item.ServedPath), cancellationToken) is ModelSwitchResult.Failed failed)
            {
                return (item, failed);
            }

            switchedIn.Add(item);
        }

        // Last: a policy cannot fail a health check, so it never has to be taken back because a model failed after it.
        foreach (var item in plan.Items.Where(i => i.Kind == "policy"))
        {
            if (policies.SwitchTo(item.Name, item.Version, item.ServedPath) is { } refused)
            {
                return (item, new ModelSwitchResult.Failed(PolicyArtifacts.Invalid, refused.ToString()));
            }

            switchedIn.Add(item);
        }

        return null;
    }

    /// <summary>Undoes an activation: the switched-in models serve their previous version again, the catalog follows, the plan's unused files go.</summary>
    public async Task RollBackAsync(InstallPlan plan, IReadOnlyCollection<PlannedItem> switchedIn, CancellationToken cancellationToken)
    {
        foreach (var item in plan.Items)
        {
            if (state.FindInstalled(item.Kind, item.Name) is not { } installed || installed.Active?.Sequence != plan.Sequence)
            {
                continue;
            }

            if (switchedIn.Contains(item) && !await SwitchBackAsync(item, installed.Previous, cancellationToken))
            {
                continue;
            }

            var reason = UpdateEvent.Of("rolled_back", plan, "health_check_failed", installed.Previous is { } previous
                ? $"{item.Kind} {item.Name} went back to {previous.Version}."
                : $"{item.Kind} {item.Name} was withdrawn; {(switchedIn.Contains(item) ? "it no longer serves" : "it never served")}.");
            if (!state.RollBack(item.Kind, item.Name, reason))
            {
                state.Withdraw(item.Kind, item.Name, reason);
            }
        }

        InstallFiles.RemovePlaced(state, plan);
    }

    /// <summary>Serves what served before the bundle: the previous version, or nothing for a new model. False when the new version must stay (the previous one does not load now).</summary>
    private async Task<bool> SwitchBackAsync(PlannedItem item, InstalledVersion? previous, CancellationToken cancellationToken)
    {
        if (item.Kind == "policy")
        {
            policies.SwitchBack(item.Name, previous);
            return true;
        }

        if (previous is null)
        {
            await versions.WithdrawAsync(item.Name, cancellationToken);
            return true;
        }

        if (await versions.SwitchAsync(inference.Value.ModelVersion(item.Name, previous.Path), cancellationToken) is ModelSwitchResult.Failed failed)
        {
            UpdatesLog.KeptSwitchedIn(logger, item.Name, item.Version, $"going back to {previous.Version} failed ({failed.Code}): {failed.Message}");
            return false;
        }

        return true;
    }
}
