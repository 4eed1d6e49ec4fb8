using EdgeLlm.Storage;
using LiteDB;

namespace EdgeLlm.Updates.State;

/// <summary>
/// The update control plane in state.db (its owner opens it in shared mode, so the CLI and the daemon can both use it): the
/// replay floor per channel and the newest trusted time (this file), the catalog of installed versions, the
/// install journal and the history. One instance per process; every call is serialized, and a transaction
/// never spans an <c>await</c> (LiteDB's shared-mode lock belongs to the thread that took it).
/// </summary>
public sealed partial class UpdateStateStore
{
    private readonly ILiteDatabase _database;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<UpdateEvent> _recorded = [];
    private readonly ILiteCollection<ChannelState> _channels;
    private readonly ILiteCollection<TrustedClock> _clock;

    public UpdateStateStore(StateDatabase state, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(state);
        _database = state.Database;
        _time = time;
        _channels = _database.GetCollection<ChannelState>("update_channels");
        _clock = _database.GetCollection<TrustedClock>("update_clock");
        _installed = _database.GetCollection<InstalledItem>("update_installed");
        _plans = _database.GetCollection<InstallPlan>("update_plans");
        _history = _database.GetCollection<UpdateEvent>("update_history");
        _notes = _database.GetCollection<UpdateNote>("update_notes");
    }

    public TimeProvider Time => _time;

    /// <summary>Raised after the transaction that recorded an update event committed (for telemetry).</summary>
    public event Action<UpdateEvent>? EventRecorded;

    /// <summary>The highest sequence ever accepted on <paramref name="channel"/>; 0 when none.</summary>
    public long HighestSequence(string channel)
    {
        lock (_gate)
        {
            return _channels.FindById(channel)?.Sequence ?? 0;
        }
    }

    /// <summary>Every channel with its replay floor.</summary>
    public IReadOnlyDictionary<string, long> Channels()
    {
        lock (_gate)
        {
            return _channels.FindAll().ToDictionary(c => c.Id, c => c.Sequence, StringComparer.Ordinal);
        }
    }

    /// <summary>The later of the device clock and the newest trusted time seen.</summary>
    public DateTimeOffset TrustedNow()
    {
        var now = _time.GetUtcNow();
        long? newest;
        lock (_gate)
        {
            newest = _clock.FindById(TrustedClock.Key)?.NewestTicks;
        }

        return newest is { } ticks && ticks > now.UtcTicks ? new DateTimeOffset(ticks, TimeSpan.Zero) : now;
    }

    /// <summary>Remembers an accepted bundle: its sequence becomes the channel's floor, its creation time a trusted time.</summary>
    public void RecordAccepted(string channel, long sequence, DateTimeOffset created) => InTransaction(() => RaiseFloor(channel, sequence, created));

    private void RaiseFloor(string channel, long sequence, DateTimeOffset created)
    {
        if ((_channels.FindById(channel)?.Sequence ?? 0) < sequence)
        {
            _channels.Upsert(new ChannelState { Id = channel, Sequence = sequence });
        }

        var newest = _clock.FindById(TrustedClock.Key)?.NewestTicks ?? 0;
        if (created.UtcTicks > newest)
        {
            _clock.Upsert(new TrustedClock { Id = TrustedClock.Key, NewestTicks = created.UtcTicks });
        }
    }

    private void InTransaction(Action work)
    {
        lock (_gate)
        {
            _database.BeginTrans();
            try
            {
                work();
                _database.Commit();
            }
            catch
            {
                _database.Rollback();
                _recorded.Clear();
                throw;
            }

            foreach (var recorded in _recorded)
            {
                EventRecorded?.Invoke(recorded);
            }

            _recorded.Clear();
        }
    }

    private T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    private sealed class ChannelState
    {
        public string Id { get; set; } = "";

        public long Sequence { get; set; }
    }

    private sealed class TrustedClock
    {
        public const string Key = "trusted";

        public string Id { get; set; } = "";

        public long NewestTicks { get; set; }
    }
}
