using EdgeLlm.Api.Edge;

namespace EdgeLlm.Api.Tests.Edge;

public sealed class AuditTrailTests
{
    [Fact]
    public void RecentEntriesComeNewestFirstAndTheOldestGiveWayAtCapacity()
    {
        var trail = new AuditTrail();
        for (var i = 0; i < AuditTrail.Capacity + 5; i++)
        {
            trail.Record(Entry(i));
        }

        var recent = trail.Recent(AuditTrail.Capacity + 100);

        Assert.Equal(AuditTrail.Capacity, recent.Count);
        Assert.Equal(AuditTrail.Capacity + 4, recent[0].Status);
        Assert.Equal(5, recent[^1].Status);
        Assert.Equal([AuditTrail.Capacity + 4, AuditTrail.Capacity + 3], trail.Recent(2).Select(e => e.Status));
    }

    [Fact]
    public void AnEmptyTrailHasNothingRecent() => Assert.Empty(new AuditTrail().Recent(10));

    private static AuditEntry Entry(int i) => new(DateTimeOffset.UnixEpoch.AddSeconds(i), "admin", "k", "t", "GET", "/admin/status", i, null, "127.0.0.1");
}
