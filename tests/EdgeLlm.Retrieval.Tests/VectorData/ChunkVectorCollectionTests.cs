using EdgeLlm.Retrieval.VectorData;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace EdgeLlm.Retrieval.Tests.VectorData;

public sealed class ChunkVectorCollectionTests
{
    [Fact]
    public async Task AKeyReadsItsChunkAndTheVectorOnlyWhenAskedFor()
    {
        using var corpus = await ChunkCorpus.CreateAsync();
        using var store = corpus.StoreFor(ChunkCorpus.Tenant);
        var collection = store.GetCollection<long, ChunkRecord>(ChunkCorpus.CollectionName);
        var (id, stored) = corpus.Chunks.First(c => c.Value.DocumentId == "doc-04" && c.Value.Chunk.Ordinal == 7);

        var plain = await collection.GetAsync(id);
        var withVector = await collection.GetAsync(id, new RecordRetrievalOptions { IncludeVectors = true });

        Assert.NotNull(plain);
        Assert.Equal((id, "doc-04", 7, "step 7 of doc-04", "Section 1", 700, 790), (plain.Id, plain.DocumentId, plain.Ordinal, plain.Text, plain.Heading, plain.Start, plain.End));
        Assert.True(plain.Vector.IsEmpty);
        Assert.Equal(stored.Chunk.Vector, withVector!.Vector.ToArray());
        Assert.Null(await collection.GetAsync(corpus.Chunks.Keys.Max() + 1));
    }

    [Fact]
    public async Task KeysReadTheChunksThatExistInTheOrderAsked()
    {
        using var corpus = await ChunkCorpus.CreateAsync();
        using var store = corpus.StoreFor(ChunkCorpus.Tenant);
        var collection = store.GetCollection<long, ChunkRecord>(ChunkCorpus.CollectionName);
        var ids = corpus.Chunks.Keys.Order().ToList();
        long[] asked = [ids[280], -5, ids[3], ids[150]];

        var records = await collection.GetAsync(asked, new RecordRetrievalOptions { IncludeVectors = true }).ToListAsync();

        Assert.Equal([ids[280], ids[3], ids[150]], records.Select(r => r.Id));
        Assert.All(records, r => Assert.Equal(corpus.Chunks[r.Id].Chunk.Vector, r.Vector.ToArray()));
    }

    [Fact]
    public async Task AFilterOfAnyShapeIsAppliedToEveryChunkInIdOrder()
    {
        using var corpus = await ChunkCorpus.CreateAsync();
        using var store = corpus.StoreFor(ChunkCorpus.Tenant);
        var collection = store.GetCollection<long, ChunkRecord>(ChunkCorpus.CollectionName);
        var expected = corpus.Chunks.Where(c => c.Value.Chunk.Text.EndsWith("9 of doc-11", StringComparison.Ordinal) || c.Value.Chunk.Ordinal % 12 == 5)
            .Select(c => c.Key).Order().ToList();

        var all = await collection.GetAsync(r => r.Text.EndsWith("9 of doc-11", StringComparison.Ordinal) || r.Ordinal % 12 == 5, 1000).ToListAsync();
        var paged = await collection.GetAsync(r => r.Ordinal % 12 == 5 || r.Text.EndsWith("9 of doc-11", StringComparison.Ordinal), 4, new FilteredRecordRetrievalOptions<ChunkRecord> { Skip = 3 }).ToListAsync();

        Assert.Equal(expected, all.Select(r => r.Id));
        Assert.Equal(expected.Skip(3).Take(4), paged.Select(r => r.Id));
        Assert.All(all, r => Assert.True(r.Vector.IsEmpty));
    }

    [Fact]
    public async Task AFilteredReadSortsByTheRequestedPropertiesBeforeSkipping()
    {
        using var corpus = await ChunkCorpus.CreateAsync();
        using var store = corpus.StoreFor(ChunkCorpus.Tenant);
        var collection = store.GetCollection<long, ChunkRecord>(ChunkCorpus.CollectionName);
        var expected = corpus.Chunks.Where(c => c.Value.Chunk.Ordinal < 2)
            .OrderByDescending(c => c.Value.Chunk.Ordinal).ThenBy(c => c.Value.DocumentId, StringComparer.Ordinal)
            .Select(c => c.Key).Skip(5).Take(10).ToList();

        var sorted = await collection.GetAsync(r => r.Ordinal < 2, 10, new FilteredRecordRetrievalOptions<ChunkRecord>
        {
            Skip = 5,
            OrderBy = o => o.Descending(r => r.Ordinal).Ascending(r => r.DocumentId),
            IncludeVectors = true,
        }).ToListAsync();

        Assert.Equal(expected, sorted.Select(r => r.Id));
        Assert.All(sorted, r => Assert.Equal(ChunkCorpus.Dimensions, r.Vector.Length));
    }

    [Fact]
    public async Task SearchRanksAndScoresExactlyAsTheCollectionsIndexForEveryInputType()
    {
        using var corpus = await ChunkCorpus.CreateAsync();
        using var store = corpus.StoreFor(ChunkCorpus.Tenant);
        var collection = store.GetCollection<long, ChunkRecord>(ChunkCorpus.CollectionName);
        var query = ChunkCorpus.RandomVector(new Random(3));
        var expected = corpus.Indexes.For(corpus.Collection).Search(query, 10).Select(h => (h.Id, (double)h.Score)).ToList();

        var fromArray = await collection.SearchAsync(query, 10).ToListAsync();
        var fromMemory = await collection.SearchAsync(new ReadOnlyMemory<float>(query), 10).ToListAsync();
        var fromEmbedding = await collection.SearchAsync(new Embedding<float>(query), 10, new VectorSearchOptions<ChunkRecord> { VectorProperty = r => r.Vector }).ToListAsync();

        Assert.Equal(expected, fromArray.Select(r => (r.Record.Id, r.Score!.Value)));
        Assert.Equal(expected, fromMemory.Select(r => (r.Record.Id, r.Score!.Value)));
        Assert.Equal(expected, fromEmbedding.Select(r => (r.Record.Id, r.Score!.Value)));
        Assert.All(fromArray, r => Assert.Equal(corpus.Chunks[r.Record.Id].Chunk.Text, r.Record.Text));
        Assert.Throws<ArgumentException>(() => collection.SearchAsync(query, 10, new VectorSearchOptions<ChunkRecord> { VectorProperty = r => r.Text }));
        Assert.Throws<NotSupportedException>(() => collection.SearchAsync("pump impeller", 10));
    }

    [Fact]
    public async Task SearchKeepsOnlyWhatTheFilterAcceptsAndHonoursSkipThresholdAndVectors()
    {
        using var corpus = await ChunkCorpus.CreateAsync();
        using var store = corpus.StoreFor(ChunkCorpus.Tenant);
        var collection = store.GetCollection<long, ChunkRecord>(ChunkCorpus.CollectionName);
        var query = ChunkCorpus.RandomVector(new Random(5));
        var ranking = corpus.Indexes.For(corpus.Collection).Search(query, corpus.Chunks.Count);
        var inDoc07 = ranking.Where(h => corpus.Chunks[h.Id].DocumentId == "doc-07").ToList();

        var filtered = await collection.SearchAsync(query, 5, new VectorSearchOptions<ChunkRecord> { Filter = r => r.DocumentId == "doc-07", Skip = 2, IncludeVectors = true }).ToListAsync();
        var threshold = ranking[20].Score;
        var aboveThreshold = await collection.SearchAsync(query, 50, new VectorSearchOptions<ChunkRecord> { ScoreThreshold = threshold }).ToListAsync();

        Assert.Equal(inDoc07.Skip(2).Take(5).Select(h => h.Id), filtered.Select(r => r.Record.Id));
        Assert.All(filtered, r => Assert.Equal(corpus.Chunks[r.Record.Id].Chunk.Vector, r.Record.Vector.ToArray()));
        Assert.Equal(ranking.Take(21).Select(h => h.Id), aboveThreshold.Select(r => r.Record.Id));
    }

    [Fact]
    public async Task AFilterOnlyTheFarthestChunkPassesStillFindsIt()
    {
        using var corpus = await ChunkCorpus.CreateAsync();
        using var store = corpus.StoreFor(ChunkCorpus.Tenant);
        var collection = store.GetCollection<long, ChunkRecord>(ChunkCorpus.CollectionName);
        var query = ChunkCorpus.RandomVector(new Random(11));
        var farthest = corpus.Indexes.For(corpus.Collection).Search(query, corpus.Chunks.Count)[^1];

        var found = await collection.SearchAsync(query, 3, new VectorSearchOptions<ChunkRecord> { Filter = r => r.Id == farthest.Id }).ToListAsync();

        var only = Assert.Single(found);
        Assert.Equal((farthest.Id, (double)farthest.Score), (only.Record.Id, only.Score!.Value));
    }

    [Fact]
    public async Task WritesAreRefusedBecauseChunksAreWrittenWithTheirDocument()
    {
        using var corpus = await ChunkCorpus.CreateAsync();
        using var store = corpus.StoreFor(ChunkCorpus.Tenant);
        var collection = store.GetCollection<long, ChunkRecord>(ChunkCorpus.CollectionName);
        var id = corpus.Chunks.Keys.First();

        var upsert = await Assert.ThrowsAsync<NotSupportedException>(() => collection.UpsertAsync(new ChunkRecord { Id = id, Vector = new float[ChunkCorpus.Dimensions] }));
        await Assert.ThrowsAsync<NotSupportedException>(() => collection.UpsertAsync([new ChunkRecord()]));
        await Assert.ThrowsAsync<NotSupportedException>(() => collection.DeleteAsync(id));
        await Assert.ThrowsAsync<NotSupportedException>(() => collection.DeleteAsync([id]));

        Assert.Contains("documents API", upsert.Message, StringComparison.Ordinal);
        Assert.NotNull(await collection.GetAsync(id));
    }
}
