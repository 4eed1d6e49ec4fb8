using LiteDB;

namespace EdgeLlm.Updates.Bundles;

/// <summary>
/// What the device remembers across restarts to refuse old bundles: the highest sequence accepted per channel
/// (no replay) and the newest trusted time seen (a bundle's signed creation time), so winding the device clock
/// back cannot make an expired bundle current again. In the control-plane LiteDB file, shared mode.
/// </summary>
public sealed class UpdateStateStore : IDisposable
{
    private readonly LiteDatabase _database;
    private readonly TimeProvider _time;
    private readonly ILiteCollection<ChannelState> _channels;
    private readonly ILiteCollection<TrustedClock> _clock;

    public UpdateStateStore(string databasePath, TimeProvider time)
    {
        _database = new LiteDatabase(new ConnectionString { Filename = databasePath, Connection = ConnectionType.Shared });
        _time = time;
        _channels = _database.GetCollection<ChannelState>("update_channels");
        _clock = _database.GetCollection<TrustedClock>("update_clock");
    }

    /// <summary>The highest sequence ever accepted on <paramref name="channel"/>; 0 when none.</summary>
    public long HighestSequence(string channel) => _channels.FindById(channel)?.Sequence ?? 0;

    /// <summary>The later of the device clock and the newest trusted time seen.</summary>
    public DateTimeOffset TrustedNow()
    {
        var now = _time.GetUtcNow();
        var newest = _clock.FindById(TrustedClock.Key)?.NewestTicks;
        return newest is { } ticks && ticks > now.UtcTicks ? new DateTimeOffset(ticks, TimeSpan.Zero) : now;
    }

    /// <summary>Remembers an accepted bundle: its sequence becomes the channel's floor, its creation time a trusted time.</summary>
    public void RecordAccepted(string channel, long sequence, DateTimeOffset created)
    {
        _database.BeginTrans();
        try
        {
            if (HighestSequence(channel) < sequence)
            {
                _channels.Upsert(new ChannelState { Id = channel, Sequence = sequence });
            }

            var newest = _clock.FindById(TrustedClock.Key)?.NewestTicks ?? 0;
            if (created.UtcTicks > newest)
            {
                _clock.Upsert(new TrustedClock { Id = TrustedClock.Key, NewestTicks = created.UtcTicks });
            }

            _database.Commit();
        }
        catch
        {
            _database.Rollback();
            throw;
        }
    }

    public void Dispose() => _database.Dispose();

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
