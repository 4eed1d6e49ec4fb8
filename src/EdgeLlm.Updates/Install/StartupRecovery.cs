using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Install;

/// <summary>
/// Runs before any model loads and decides what serves: an install interrupted before its commit point is
/// rolled back (its files removed), one interrupted after it is finished; an activation that has not been
/// confirmed has this start-up counted, and after <c>Updates:MaxFailedStarts</c> such start-ups the previous
/// version serves again (a model new to the device is withdrawn) and <c>update_failed</c> (<c>crash_loop</c>) is
/// reported. Then installed versions replace or join the configured models.
/// </summary>
internal sealed class StartupRecovery(
    UpdateStateStore state,
    StorageCollector storage,
    RecoveryGate gate,
    IOptions<UpdatesOptions> options,
    ILogger<StartupRecovery> logger) : IServedModelSource
{
    public IReadOnlyList<ModelOptions> StartupModels(IReadOnlyList<ModelOptions> configured)
    {
        RecoverInterruptedPlans();
        var unconfirmed = CountStartsOrRollBack();
        storage.Collect(null);

        var installed = state.Installed().Where(i => i is { Kind: "model", Active: not null }).ToDictionary(i => i.Name, StringComparer.Ordinal);
        var served = configured
            .Select(m => installed.Remove(m.EffectiveName, out var item) ? m.WithPath(item.Active!.Path) : m)
            .Concat(installed.Values.Select(i => new ModelOptions { Name = i.Name, Path = i.Active!.Path }))
            .ToList();
        if (unconfirmed)
        {
            FaultPoints.Hit(FaultPoints.UnconfirmedStart);
        }

        gate.Open();
        return served;
    }

    private void RecoverInterruptedPlans()
    {
        foreach (var plan in state.UnfinishedPlans())
        {
            if (plan.Step == InstallSteps.Activated)
            {
                // Past the commit point: the catalog already names the new version, and this start serves it.
                InstallFiles.DeleteDirectory(plan.StagingDirectory);
                state.FinishPlan(plan, InstallSteps.Done, UpdateEvent.Of("installed", plan, null, "Activated before a restart; served from the next start-up."));
                continue;
            }

            InstallFiles.RemovePlaced(state, plan);
            InstallFiles.DeleteDirectory(plan.StagingDirectory);
            UpdatesLog.InterruptedRolledBack(logger, plan.Step, plan.Bundle);
            state.FinishPlan(plan, InstallSteps.RolledBack,
                UpdateEvent.Of("interrupted", plan, "install_interrupted", $"The install stopped at step '{plan.Step}' (the daemon stopped); nothing of it was activated."));
        }
    }

    /// <summary>True when a model still unconfirmed will serve from this start.</summary>
    private bool CountStartsOrRollBack()
    {
        var unconfirmed = false;
        foreach (var item in state.Installed().Where(i => i is { Kind: "model", Confirmed: false, Active.Bundle: not null }))
        {
            var starts = state.CountUnconfirmedStart(item.Kind, item.Name);
            if (starts <= options.Value.MaxFailedStarts)
            {
                unconfirmed = true;
                continue;
            }

            var active = item.Active!;
            var failed = new UpdateEvent
            {
                Event = "update_failed", Bundle = active.Bundle, Channel = active.Channel, Sequence = active.Sequence, Code = "crash_loop",
                Message = $"Model {item.Name} {active.Version} did not stay up through {starts - 1} start-ups after its activation; "
                    + (item.Previous is { } previous ? $"went back to {previous.Version}." : "it was new to this device and is withdrawn."),
            };
            if (item.Previous is not null)
            {
                UpdatesLog.CrashLoopRollBack(logger, item.Kind, item.Name, active.Version, starts - 1, item.Previous.Version);
                state.RollBack(item.Kind, item.Name, failed);
            }
            else
            {
                // A model with no earlier version would otherwise crash every start-up forever.
                UpdatesLog.CrashLoopWithdrawn(logger, item.Kind, item.Name, active.Version, starts - 1);
                state.Withdraw(item.Kind, item.Name, failed);
            }
        }

        return unconfirmed;
    }
}
