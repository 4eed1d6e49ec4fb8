using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Tests.Support;
using EdgeLlm.Retrieval.VectorData;
using EdgeLlm.Retrieval.Vectors;
using Microsoft.Extensions.VectorData;

namespace EdgeLlm.Retrieval.Tests.VectorData;

public sealed class RetrievalVectorStoreTests
{
    private const string OtherTenant = "tenant-b";

    [Fact]
    public async Task AnotherTenantsCollectionDoesNotExistThroughThisStore()
    {
        using var corpus = await ChunkCorpus.CreateAsync();
        using var theirs = corpus.StoreFor(OtherTenant);
        var byName = theirs.GetCollection<long, ChunkRecord>(ChunkCorpus.CollectionName);
        var byId = theirs.GetCollection<long, ChunkRecord>(corpus.Collection.Id);
        var chunk = corpus.Chunks.Keys.First();

        Assert.Empty(await theirs.ListCollectionNamesAsync().ToListAsync());
        Assert.False(await theirs.CollectionExistsAsync(ChunkCorpus.CollectionName));
        Assert.False(await byId.CollectionExistsAsync());
        await Assert.ThrowsAsync<VectorStoreException>(() => byName.GetAsync(chunk));
        await Assert.ThrowsAsync<VectorStoreException>(async () => await byName.GetAsync(_ => true, 10).ToListAsync());
        await Assert.ThrowsAsync<VectorStoreException>(async () => await byName.SearchAsync(new float[ChunkCorpus.Dimensions], 10).ToListAsync());
        Assert.Null(byName.GetService(typeof(VectorStoreCollectionDefinition)));
    }

    [Fact]
    public async Task AnotherTenantCannotDeleteTheCollectionNorReadItThroughOneOfTheSameName()
    {
        using var corpus = await ChunkCorpus.CreateAsync();
        using var theirs = corpus.StoreFor(OtherTenant);
        using var mine = corpus.StoreFor(ChunkCorpus.Tenant);
        var chunk = corpus.Chunks.Keys.First();

        await theirs.EnsureCollectionDeletedAsync(ChunkCorpus.CollectionName);
        await theirs.EnsureCollectionDeletedAsync(corpus.Collection.Id);
        var namesake = theirs.GetCollection<long, ChunkRecord>(ChunkCorpus.CollectionName, ChunkRecord.DefinitionFor(ChunkCorpus.Dimensions));
        await namesake.EnsureCollectionExistsAsync();

        Assert.Null(await namesake.GetAsync(chunk));
        Assert.Empty(await namesake.GetAsync(_ => true, 1000).ToListAsync());
        Assert.Empty(await namesake.SearchAsync(new float[ChunkCorpus.Dimensions] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, 10).ToListAsync());
        Assert.NotNull(await mine.GetCollection<long, ChunkRecord>(ChunkCorpus.CollectionName).GetAsync(chunk));
        Assert.Equal(corpus.Chunks.Count, corpus.Database.Scalar($"SELECT COUNT(*) FROM chunks WHERE collection_id = '{corpus.Collection.Id}'"));
    }

    [Fact]
    public async Task EnsuringACollectionCreatesItWithTheDefinitionsVectorLengthAndDeletingRemovesIt()
    {
        using var corpus = await ChunkCorpus.CreateAsync();
        using var mine = corpus.StoreFor(ChunkCorpus.Tenant);
        var created = mine.GetCollection<long, ChunkRecord>("imported", ChunkRecord.DefinitionFor(768));

        await created.EnsureCollectionExistsAsync();
        await created.EnsureCollectionExistsAsync();
        var schema = Assert.IsType<VectorStoreCollectionDefinition>(created.GetService(typeof(VectorStoreCollectionDefinition)));
        var names = await mine.ListCollectionNamesAsync().ToListAsync();
        await mine.EnsureCollectionDeletedAsync(ChunkCorpus.CollectionName);

        var vector = Assert.Single(schema.Properties.OfType<VectorStoreVectorProperty>());
        Assert.Equal((768, DistanceFunction.CosineSimilarity), (vector.Dimensions, vector.DistanceFunction));
        Assert.Equal(768, corpus.Database.Collections.Find(ChunkCorpus.Tenant, "imported")!.Dimensions);
        Assert.Equal(["imported", ChunkCorpus.CollectionName], names);
        Assert.Equal(["imported"], await mine.ListCollectionNamesAsync().ToListAsync());
        Assert.Equal(0, corpus.Database.Scalar("SELECT COUNT(*) FROM chunks"));
    }

    [Fact]
    public void OnlyChunkRecordsKeyedByLongAndComparedByCosineAreOffered()
    {
        using var db = new TestDatabase();
        using var store = new RetrievalVectorStore(ChunkCorpus.Tenant, db.Database, db.Collections, new VectorIndexCache(db.Database, new VectorIndexFactory(new VectorIndexOptions())));
        var euclidean = ChunkRecord.DefinitionFor(16);
        euclidean.Properties.OfType<VectorStoreVectorProperty>().Single().DistanceFunction = DistanceFunction.EuclideanDistance;

        Assert.Throws<NotSupportedException>(() => store.GetCollection<string, ChunkRecord>("manuals"));
        Assert.Throws<NotSupportedException>(() => store.GetCollection<long, Dictionary<string, object?>>("manuals"));
        Assert.Throws<NotSupportedException>(() => store.GetDynamicCollection("manuals", ChunkRecord.DefinitionFor(16)));
        Assert.Throws<NotSupportedException>(() => store.GetCollection<long, ChunkRecord>("manuals", euclidean));
        var metadata = Assert.IsType<VectorStoreMetadata>(store.GetService(typeof(VectorStoreMetadata)));
        Assert.Equal(("sqlite", "retrieval.db"), (metadata.VectorStoreSystemName, metadata.VectorStoreName));
    }
}
