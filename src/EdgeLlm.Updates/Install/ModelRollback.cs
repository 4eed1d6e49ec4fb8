using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Versions;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Install;

/// <summary>
/// The operator's rollback (<c>POST /admin/models/{name}/rollback</c>): the previous version of a model serves again
/// (after its own health check) and the version it replaces is forgotten; its sequence stays spent, so only a newer
/// bundle can follow. Never runs beside an install.
/// </summary>
public sealed class ModelRollback(UpdateStateStore state, IModelVersions versions, StorageCollector storage, InstallLock installLock, IOptions<InferenceOptions> inference, ILogger<ModelRollback> logger)
{
    public async Task<RollbackOutcome> RollBackAsync(string name, CancellationToken cancellationToken)
    {
        using var held = await installLock.TakeAsync(cancellationToken);
        if (state.FindInstalled("model", name) is not { Active: { } active } installed)
        {
            return new RollbackOutcome.NotInstalled();
        }

        if (installed.Previous is not { } previous)
        {
            return new RollbackOutcome.NoPrevious(active.Version);
        }

        var switched = await versions.SwitchAsync(inference.Value.ModelVersion(name, previous.Path), cancellationToken);
        if (switched is ModelSwitchResult.Failed failed)
        {
            return new RollbackOutcome.Failed(failed.Code, failed.Message);
        }

        state.RollBack("model", name, new UpdateEvent
        {
            Event = "rolled_back", Bundle = active.Bundle, Channel = active.Channel, Sequence = active.Sequence, Code = "operator_rollback",
            Message = $"The operator rolled model {name} back from {active.Version} to {previous.Version}.",
        });
        UpdatesLog.OperatorRollBack(logger, name, active.Version, previous.Version);
        storage.Collect(null);
        return new RollbackOutcome.RolledBack(active.Version, previous.Version);
    }
}
