using EdgeLlm.Retrieval.VectorData;
using Microsoft.Extensions.VectorData;

namespace EdgeLlm.Retrieval.Tests.VectorData;

public sealed class CollectionMigrationTests
{
    private const int PageSize = 64;

    [Fact]
    public async Task ACollectionReadOutPageByPageThroughTheAbstractionSearchesTheSameInAnotherConnector()
    {
        using var corpus = await ChunkCorpus.CreateAsync();
        using var store = corpus.StoreFor(ChunkCorpus.Tenant);
        var source = store.GetCollection<long, ChunkRecord>(ChunkCorpus.CollectionName);
        var schema = Assert.IsType<VectorStoreCollectionDefinition>(source.GetService(typeof(VectorStoreCollectionDefinition)));
        using var target = new InMemoryChunkCollection("manuals-moved", schema);
        await target.EnsureCollectionExistsAsync();

        // Keyset paging: each page starts after the last key of the one before.
        var pages = 0;
        var last = long.MinValue;
        while (true)
        {
            var after = last;
            var page = await source.GetAsync(r => r.Id > after, PageSize, new FilteredRecordRetrievalOptions<ChunkRecord>
            {
                IncludeVectors = true,
                OrderBy = o => o.Ascending(r => r.Id),
            }).ToListAsync();
            if (page.Count == 0)
            {
                break;
            }

            await target.UpsertAsync(page);
            last = page[^1].Id;
            pages++;
        }

        Assert.Equal((corpus.Chunks.Count + PageSize - 1) / PageSize, pages);
        Assert.Equal(corpus.Chunks.Count, target.Count);
        foreach (var (id, stored) in corpus.Chunks)
        {
            var moved = await target.GetAsync(id);
            Assert.Equal((stored.DocumentId, stored.Chunk.Text), (moved!.DocumentId, moved.Text));
            Assert.Equal(stored.Chunk.Vector, moved.Vector.ToArray());
        }

        var random = new Random(17);
        for (var i = 0; i < 5; i++)
        {
            var query = ChunkCorpus.RandomVector(random);
            var here = await source.SearchAsync(query, 10).Select(r => r.Record.Id).ToListAsync();
            var there = await target.SearchAsync(query, 10).Select(r => r.Record.Id).ToListAsync();
            Assert.Equal(here, there);
        }
    }
}
