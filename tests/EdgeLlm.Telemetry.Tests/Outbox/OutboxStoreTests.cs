using EdgeLlm.Telemetry.Outbox;
using EdgeLlm.Telemetry.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Telemetry.Tests.Outbox;

public sealed class OutboxStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void RecordsComeBackOldestFirstWithTheirIdsStreamsAndTimes()
    {
        using var store = Open();
        var first = store.Append(OutboxStream.Events, "model.activated", """{"model":"a"}""");
        _time.Advance(TimeSpan.FromSeconds(5));
        var second = store.Append(OutboxStream.Telemetry, "metrics", """{"metrics":[]}""");

        var records = store.ReadOldest(10);

        Assert.Equal([first, second], records.Select(r => r.Id));
        Assert.NotEqual(first, second);
        Assert.Equal([OutboxStream.Events, OutboxStream.Telemetry], records.Select(r => r.Stream));
        Assert.Equal("""{"model":"a"}""", records[0].Data);
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromSeconds(5), records[0].Created);
        Assert.True(records[0].Seq < records[1].Seq);
    }

    [Fact]
    public void AcknowledgingDeletesExactlyTheRecordsUpToTheAcknowledgedOne()
    {
        using var store = Open();
        for (var i = 0; i < 5; i++)
        {
            store.Append(OutboxStream.Events, "e", $$"""{"i":{{i}}}""");
        }

        var records = store.ReadOldest(10);
        store.Acknowledge(records[2].Seq);

        Assert.Equal(records.Skip(3).Select(r => r.Id), store.ReadOldest(10).Select(r => r.Id));
        Assert.Equal(2, store.State().Records);
    }

    [Fact]
    public void UnacknowledgedRecordsSurviveReopeningTheFile()
    {
        string id;
        using (var store = Open())
        {
            id = store.Append(OutboxStream.Events, "e", "{}");
        }

        using var reopened = Open();

        Assert.Equal(id, Assert.Single(reopened.ReadOldest(10)).Id);
        Assert.True(reopened.State().Bytes > 0);
    }

    [Fact]
    public void WhenFullTheOldestRecordsAreDroppedAndCounted()
    {
        using var store = Open(maxBytes: 64 * 1024);
        var data = $$"""{"pad":"{{new string('x', 1000)}}"}""";
        var ids = Enumerable.Range(0, 200).Select(_ => store.Append(OutboxStream.Telemetry, "metrics", data)).ToList();

        var state = store.State();
        var kept = store.ReadOldest(1000).Select(r => r.Id).ToList();

        Assert.True(state.Bytes <= 64 * 1024, $"{state.Bytes} bytes kept");
        Assert.Equal(ids.TakeLast(kept.Count), kept);
        Assert.Equal(200 - kept.Count, state.DroppedForSize);
        Assert.Equal(state.DroppedForSize, state.DropsUnreported);
        Assert.InRange(kept.Count, 50, 63);
    }

    [Fact]
    public void RecordsOlderThanTheMaximumAgeAreDroppedAndCounted()
    {
        using var store = Open(maxAge: TimeSpan.FromHours(1));
        store.Append(OutboxStream.Events, "old", "{}");
        _time.Advance(TimeSpan.FromMinutes(45));
        var young = store.Append(OutboxStream.Events, "young", "{}");
        _time.Advance(TimeSpan.FromMinutes(30));

        var dropped = store.DropExpired();

        Assert.Equal(1, dropped);
        Assert.Equal(young, Assert.Single(store.ReadOldest(10)).Id);
        Assert.Equal(1, store.State().DroppedForAge);
    }

    [Fact]
    public void DropsAreReportedOnceAsAnEventAtTheEndOfTheOutbox()
    {
        using var store = Open(maxAge: TimeSpan.FromHours(1));
        store.Append(OutboxStream.Events, "old", "{}");
        _time.Advance(TimeSpan.FromHours(2));
        store.DropExpired();
        store.Append(OutboxStream.Telemetry, "metrics", "{}");

        var reportId = store.AppendDropReport();
        var again = store.AppendDropReport();

        var report = store.ReadOldest(10)[^1];
        Assert.Equal(reportId, report.Id);
        Assert.Equal("outbox.dropped", report.Kind);
        Assert.Equal(OutboxStream.Events, report.Stream);
        Assert.Equal("""{"size":0,"age":1}""", report.Data);
        Assert.Null(again);
        Assert.Equal(0, store.State().DropsUnreported);
        Assert.Equal(1, store.State().DroppedForAge);
    }

    [Fact]
    public async Task AnAppendWakesAWaitingDrain()
    {
        using var store = Open();
        var waiting = store.WaitForAppendAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        store.Append(OutboxStream.Events, "e", "{}");

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    public void Dispose() => _folder.Dispose();

    private OutboxStore Open(long maxBytes = 1 << 20, TimeSpan? maxAge = null) =>
        new(_folder.File("outbox.db"), maxBytes, maxAge ?? TimeSpan.FromDays(1), _time);
}
