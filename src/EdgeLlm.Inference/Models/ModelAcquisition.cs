namespace EdgeLlm.Inference.Models;

/// <summary>Outcome of <see cref="ModelResidency.AcquireAsync"/>.</summary>
public abstract record ModelAcquisition
{
    private ModelAcquisition()
    {
    }

    /// <summary>The model is in memory; the lease keeps it there until the request handed it its work.</summary>
    public sealed record Ready(ModelLease Lease) : ModelAcquisition;

    /// <summary>No served model has that name or alias.</summary>
    public sealed record NotFound : ModelAcquisition;

    /// <summary>The model cannot serve now (loading past the request's wait, failed, or no room in the memory budget); try again after <paramref name="RetryAfter"/>.</summary>
    public sealed record NotReady(string Message, TimeSpan RetryAfter) : ModelAcquisition;
}

/// <summary>
/// Holds a loaded model in memory from the moment a request found it until the request's work is queued on its
/// scheduler (from then on the scheduler's own queue keeps it busy, and busy models are never evicted).
/// </summary>
public sealed class ModelLease : IDisposable
{
    private readonly ModelResidency _residency;
    private readonly ModelSlot _slot;
    private int _released;

    internal ModelLease(ModelResidency residency, ModelSlot slot, LoadedModel model)
    {
        _residency = residency;
        _slot = slot;
        Model = model;
    }

    public LoadedModel Model { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _residency.Release(_slot);
        }
    }
}
