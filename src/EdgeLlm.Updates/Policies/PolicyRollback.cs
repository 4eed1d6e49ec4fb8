using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Updates.Policies;

/// <summary>
/// The operator's rollback of a policy, as <see cref="ModelRollback"/> is a model's: the previous version (or the
/// configured file it replaced) is put in force in the running daemon, then the catalog follows and the version it
/// replaces is forgotten; its sequence stays spent. Never runs beside an install.
/// </summary>
public sealed class PolicyRollback(UpdateStateStore state, PolicySwitch policies, StorageCollector storage, InstallLock installLock, ILogger<PolicyRollback> logger)
{
    public async Task<RollbackOutcome> RollBackAsync(string name, CancellationToken cancellationToken)
    {
        using var held = await installLock.TakeAsync(cancellationToken);
        if (state.FindInstalled("policy", name) is not { Active: { } active } installed)
        {
            return new RollbackOutcome.NotInstalled();
        }

        if (installed.Previous is not { } previous)
        {
            return new RollbackOutcome.NoPrevious(active.Version);
        }

        if (policies.SwitchTo(name, previous.Version, previous.Path) is { } refused)
        {
            return new RollbackOutcome.Failed(PolicyArtifacts.Invalid, $"Policy {name} {previous.Version} does not read: {refused}");
        }

        state.RollBack("policy", name, new UpdateEvent
        {
            Event = "rolled_back", Bundle = active.Bundle, Channel = active.Channel, Sequence = active.Sequence, Code = "operator_rollback",
            Message = $"The operator rolled policy {name} back from {active.Version} to {previous.Version}.",
        });
        UpdatesLog.PolicyOperatorRollBack(logger, name, active.Version, previous.Version);
        storage.Collect(null);
        return new RollbackOutcome.RolledBack(active.Version, previous.Version);
    }
}
