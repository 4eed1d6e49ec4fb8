namespace EdgeLlm.Updates.Install;

/// <summary>Opens once start-up recovery has settled the journal, so no install starts while it is still being repaired.</summary>
public sealed class RecoveryGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Opened => _open.Task;

    internal void Open() => _open.TrySetResult();
}
