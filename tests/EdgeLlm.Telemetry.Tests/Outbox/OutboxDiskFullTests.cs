using EdgeLlm.Telemetry.Outbox;
using EdgeLlm.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Telemetry.Tests.Outbox;

/// <summary>The outbox on a small tmpfs the test fills to the last byte (needs root, as CI runs).</summary>
public sealed class OutboxDiskFullTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task OnAFullDiskAnAppendDropsAndCountsItsRecordInsteadOfThrowingAndAppendsResumeOnceSpaceReturns()
    {
        using var disk = SmallTmpfs.Mount(4L << 20);
        using var store = new OutboxStore(Path.Combine(disk.Path, "outbox.db"), 1L << 30, TimeSpan.FromDays(7), _time);
        var kept = store.Append(OutboxStream.Events, "before", "{}");
        var fullAt = _time.GetUtcNow();

        disk.Fill();
        // Each append adds to the write-ahead log, which soon needs a page the full disk has not got.
        var payload = $$"""{"pad":"{{new string('x', 2048)}}"}""";
        for (var i = 0; i < 500 && store.State().DroppedDiskFull == 0; i++)
        {
            store.Append(OutboxStream.Telemetry, "metrics", payload);
        }

        var full = store.State();
        _time.Advance(TimeSpan.FromMinutes(1));
        disk.Free();
        var after = store.Append(OutboxStream.Events, "after", "{}");
        var resumed = store.State();
        var records = store.ReadOldest(1000);

        Assert.Equal(1, full.DroppedDiskFull);
        Assert.Equal(fullAt, full.DiskFullSince);
        Assert.Null(resumed.DiskFullSince);
        Assert.Equal(1, resumed.DroppedDiskFull);
        Assert.Equal(kept, records[0].Id);
        Assert.Equal(after, records[^1].Id);
        // What the store counts is what the file holds: the dropped record left no trace in either.
        Assert.Equal(records.Count, resumed.Records);
    }
}
