using System.Text.RegularExpressions;
using EdgeLlm.Api.Lifecycle;

namespace EdgeLlm.Daemon.Composition;

/// <summary>The state of every supervised worker, for <c>/admin/status</c> (through the API's <see cref="IWorkerStatusSource"/>) and the metrics.</summary>
internal sealed class WorkerStates : IWorkerStatusSource
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<WorkerRecord> _records = [];

    public WorkerStates(TimeProvider time)
    {
        _time = time;
        DaemonMetrics.Observe(this);
    }

    public IReadOnlyList<WorkerStatus> Workers
    {
        get
        {
            lock (_gate)
            {
                return [.. _records.Select(r => r.Status)];
            }
        }
    }

    public WorkerRecord Add(string name)
    {
        var record = new WorkerRecord(name, _time);
        lock (_gate)
        {
            _records.Add(record);
        }

        return record;
    }
}

/// <summary>One supervised worker's state; changed only by its <see cref="SupervisedWorker"/>.</summary>
internal sealed partial class WorkerRecord(string name, TimeProvider time)
{
    private const int MaxMessageLength = 300;
    private readonly Lock _gate = new();
    private WorkerStatus _status = new(name, WorkerState.Running, time.GetUtcNow(), 0, null, null, null);

    public string Name => name;

    public WorkerStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    public void Running() => Set(s => s with { State = WorkerState.Running, Since = time.GetUtcNow() });

    public void Completed() => Set(s => s with { State = WorkerState.Completed, Since = time.GetUtcNow() });

    public void Stopped() => Set(s => s with { State = WorkerState.Stopped, Since = time.GetUtcNow() });

    /// <summary>It failed and waits to be restarted; returns the number of this restart.</summary>
    public long Failed(Exception error)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            _status = _status with
            {
                State = WorkerState.Restarting,
                Since = now,
                Restarts = _status.Restarts + 1,
                LastErrorType = error.GetType().Name,
                LastErrorMessage = WithoutPaths(error.Message),
                LastErrorAt = now,
            };
            DaemonMetrics.WorkerRestarted(name);
            return _status.Restarts;
        }
    }

    /// <summary>An exception's message for a status page: absolute paths replaced, bounded in length.</summary>
    internal static string WithoutPaths(string message)
    {
        var text = AbsolutePath().Replace(message, "<path>");
        return text.Length <= MaxMessageLength ? text : text[..MaxMessageLength] + "…";
    }

    private void Set(Func<WorkerStatus, WorkerStatus> change)
    {
        lock (_gate)
        {
            _status = change(_status);
        }
    }

    // A Unix path (at the start or after a space, quote or bracket) or a Windows drive path, up to the next space or
    // quote, leaving out a punctuation mark that ends the sentence around it.
    [GeneratedRegex("""(?<=^|[\s'"(\[=])(?:/|[A-Za-z]:\\)[^\s'"]*?(?=[.,:;)\]]?(?:[\s'"]|$))""")]
    private static partial Regex AbsolutePath();
}
