using System.Linq.Expressions;
using EdgeLlm.Retrieval.VectorData;

namespace EdgeLlm.Retrieval.Tests.VectorData;

public sealed class ChunkRecordQueryTests
{
    [Fact]
    public void AFilterThatBoundsTheKeyFromBelowLetsTheScanStartThere()
    {
        long last = 41;
        var small = 7;

        Assert.Equal(41, StartsAfter(r => r.Id > last));
        Assert.Equal(41, StartsAfter(r => r.DocumentId == "pump" && last < r.Id));
        Assert.Equal(6, StartsAfter(r => r.Id >= small && r.Ordinal > 2));
        Assert.Equal(41, StartsAfter(r => r.Id >= 3 && (r.Id > last && r.Text != "")));
    }

    [Fact]
    public void AnyOtherFilterScansFromTheStart()
    {
        long last = 41;

        Assert.Equal(long.MinValue, StartsAfter(r => r.Id > last || r.Ordinal == 0));
        Assert.Equal(long.MinValue, StartsAfter(r => r.Ordinal > last));
        Assert.Equal(long.MinValue, StartsAfter(r => r.Id > r.Start));
        Assert.Equal(long.MinValue, StartsAfter(r => !(r.Id <= last)));
        Assert.Equal(long.MinValue, StartsAfter(r => r.Id >= long.MinValue));
    }

    private static long StartsAfter(Expression<Func<ChunkRecord, bool>> filter) => ChunkRecordQuery.ScanStartsAfter(filter);
}
