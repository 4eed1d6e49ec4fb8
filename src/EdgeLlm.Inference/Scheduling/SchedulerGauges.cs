namespace EdgeLlm.Inference.Scheduling;

/// <summary>
/// The scheduler state other threads read: admission count (request threads), heartbeat and
/// counters (the loop), all lock-free. Everything else of the scheduler belongs to its loop alone.
/// </summary>
internal sealed class SchedulerGauges(TimeProvider time)
{
    private int _admitted;
    private int _active;
    private int _peakActive;
    private long _lastHeartbeatTicks = time.GetUtcNow().UtcTicks;
    private long _lastAdmittedTicks;
    private long _completed;
    private long _cancelled;
    private long _generatedTokens;
    private double _averageJobSeconds = 1;
    private volatile bool _faulted;

    public bool Faulted
    {
        get => _faulted;
        set => _faulted = value;
    }

    /// <summary>Counts a request the share ledger admitted.</summary>
    public void Admitted()
    {
        Interlocked.Increment(ref _admitted);
        Used();
    }

    /// <summary>Records that a request (generation or embedding) was just admitted.</summary>
    public void Used() => Interlocked.Exchange(ref _lastAdmittedTicks, time.GetUtcNow().UtcTicks);

    /// <summary>When a request was last admitted; null before the first.</summary>
    public DateTimeOffset? LastAdmitted => Interlocked.Read(ref _lastAdmittedTicks) is > 0 and var ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Records a finished generation (its tokens counted) and gives its admission place back.</summary>
    public void Finished(FinishReason reason, TimeSpan duration, int generatedTokens)
    {
        Interlocked.Add(ref _generatedTokens, generatedTokens);
        _averageJobSeconds = (_averageJobSeconds * 0.9) + (duration.TotalSeconds * 0.1);
        Interlocked.Increment(ref reason == FinishReason.Cancelled ? ref _cancelled : ref _completed);
        Interlocked.Decrement(ref _admitted);
    }

    /// <summary>Called by the loop at every step and idle tick.</summary>
    public void Beat(int active)
    {
        Interlocked.Exchange(ref _lastHeartbeatTicks, time.GetUtcNow().UtcTicks);
        Volatile.Write(ref _active, active);
        if (active > Volatile.Read(ref _peakActive))
        {
            Volatile.Write(ref _peakActive, active); // Only the loop thread writes it.
        }
    }

    /// <summary>About one average request duration, 1-60 s.</summary>
    public TimeSpan RetryAfterHint() => TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(_averageJobSeconds), 1, 60));

    public SchedulerSnapshot Snapshot()
    {
        var admitted = Volatile.Read(ref _admitted);
        var active = Math.Min(Volatile.Read(ref _active), admitted);
        return new SchedulerSnapshot(
            active,
            admitted - active,
            new DateTimeOffset(Interlocked.Read(ref _lastHeartbeatTicks), TimeSpan.Zero),
            _faulted,
            Interlocked.Read(ref _completed),
            Interlocked.Read(ref _cancelled),
            Volatile.Read(ref _peakActive),
            Interlocked.Read(ref _generatedTokens));
    }
}
