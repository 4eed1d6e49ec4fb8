namespace EdgeLlm.Api.Lifecycle;

/// <summary>
/// The seam through which the host's supervision of its background workers reaches <c>/admin/status</c>: the API
/// defines what it shows, the composition (which wraps every worker) provides it.
/// </summary>
public interface IWorkerStatusSource
{
    /// <summary>Every supervised worker, in start order.</summary>
    IReadOnlyList<WorkerStatus> Workers { get; }
}

/// <summary>What a background worker is doing.</summary>
public enum WorkerState
{
    /// <summary>Its loop runs.</summary>
    Running,

    /// <summary>It failed and waits out its back-off before the next start.</summary>
    Restarting,

    /// <summary>It finished its work and returned (some workers only run once at start-up).</summary>
    Completed,

    /// <summary>The daemon stopped it.</summary>
    Stopped,
}

/// <summary>One supervised worker.</summary>
/// <param name="Name">Its type name, e.g. <c>OutboxWorker</c>.</param>
/// <param name="State">What it does now.</param>
/// <param name="Since">Since when it is in <paramref name="State"/>.</param>
/// <param name="Restarts">How often it failed and was started again since the daemon started.</param>
/// <param name="LastErrorType">The exception type of its last failure; null when it never failed.</param>
/// <param name="LastErrorMessage">That failure's message, with any file path taken out.</param>
/// <param name="LastErrorAt">When it last failed.</param>
public sealed record WorkerStatus(
    string Name, WorkerState State, DateTimeOffset Since, long Restarts, string? LastErrorType, string? LastErrorMessage, DateTimeOffset? LastErrorAt);
