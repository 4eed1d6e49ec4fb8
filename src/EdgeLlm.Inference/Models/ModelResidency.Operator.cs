namespace EdgeLlm.Inference.Models;

/// <summary>
/// The operator's load and unload (the admin API, the console), with the same rules as a request's load and the
/// keep-alive's unload; and a request's say in its model's keep-alive, within the load policy.
/// </summary>
public sealed partial class ModelResidency
{
    /// <summary>Loads the named model now (evicting idle on-demand models as a request's load would) and waits for it.</summary>
    public async Task<OperatorModelChange> LoadNowAsync(string name, CancellationToken cancellationToken)
    {
        switch (await AcquireAsync(name, cancellationToken))
        {
            case ModelAcquisition.Ready ready:
                ready.Lease.Dispose();
                return new OperatorModelChange.Done(ModelState.Loaded);
            case ModelAcquisition.NotReady notReady:
                return new OperatorModelChange.Refused(notReady.Message);
            default:
                return new OperatorModelChange.NotFound();
        }
    }

    /// <summary>
    /// Unloads the named on-demand model now. A pinned model stays (it is pinned so that it always answers), and a
    /// model with work queued or running stays until that work is done: the operator retries.
    /// </summary>
    public async Task<OperatorModelChange> UnloadNowAsync(string name)
    {
        LoadedModel? unloaded;
        lock (_registry.Gate)
        {
            if (_registry.FindSlot(name) is not { } slot || !_registry.Slots.Contains(slot))
            {
                return new OperatorModelChange.NotFound();
            }

            if (slot.Policy == ModelLoadPolicy.Pinned)
            {
                return new OperatorModelChange.Refused($"Model '{slot.Name}' is pinned: it stays loaded. Make it on-demand to unload it.");
            }

            if (slot.State != ModelState.Loaded)
            {
                return new OperatorModelChange.Done(slot.State);
            }

            if (!slot.IsIdle)
            {
                return new OperatorModelChange.Refused($"Model '{slot.Name}' is serving requests; unload it once they are done.");
            }

            unloaded = _registry.Unload(slot, ModelState.Unloaded);
            InferenceMetrics.Evicted(slot.Name, "operator");
        }

        if (unloaded is not null)
        {
            await RetireAsync(unloaded);
        }

        return new OperatorModelChange.Done(ModelState.Unloaded);
    }

    /// <summary>
    /// Sets how long the named on-demand model stays loaded after its last request: <paramref name="keepAlive"/>, no
    /// longer than the operator's keep-alive (a negative one, or null, means exactly that). A client may so let a
    /// model go sooner (zero: as soon as it is idle), never hold memory longer than the operator allows. A pinned
    /// model stays whatever is asked: returns false for it (and for an unknown name).
    /// </summary>
    public bool RequestKeepAlive(string name, TimeSpan? keepAlive)
    {
        lock (_registry.Gate)
        {
            if (_registry.FindSlot(name) is not { Policy: ModelLoadPolicy.OnDemand } slot)
            {
                return false;
            }

            slot.RequestedKeepAlive = keepAlive is { } asked && asked >= TimeSpan.Zero && asked < slot.KeepAlive ? asked : null;
            return true;
        }
    }
}

/// <summary>Outcome of an operator's load or unload.</summary>
public abstract record OperatorModelChange
{
    private OperatorModelChange()
    {
    }

    /// <summary>The model is now in <paramref name="State"/>.</summary>
    public sealed record Done(ModelState State) : OperatorModelChange;

    /// <summary>No served model has that name.</summary>
    public sealed record NotFound : OperatorModelChange;

    /// <summary>The change is not possible now, and why (pinned, busy, no room, a failed load in back-off).</summary>
    public sealed record Refused(string Message) : OperatorModelChange;
}
