using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Tests.Support;
using EdgeLlm.Retrieval.Vectors;

namespace EdgeLlm.Retrieval.Tests.Search;

/// <summary>
/// Search over the fixture corpus (see Fixtures/README.md): each question asks for a fact that only one
/// document holds, so the right answer is known. Real parsers, chunker, SQLite, FTS5 and vector index;
/// the embedding model is <see cref="HashedWordEmbeddings"/>.
/// </summary>
public sealed class HybridSearchTests : IClassFixture<HybridSearchTests.Corpus>
{
    private const string SharedWords = "padlock lockout procedure";

    private readonly FixtureCorpus _corpus;

    public HybridSearchTests(Corpus corpus)
    {
        _corpus = corpus.Value;
    }

    public static TheoryData<string, string, string> QuestionsWithOneRightDocument => new()
    {
        { "What torque do the tie-rod nuts on the press need?", FixtureCorpus.Manual, "420 N·m" },
        { "Which seal kit is used for the main ram seals?", FixtureCorpus.Manual, "HP4-SK-0917" },
        { "What does fault E-417 mean?", FixtureCorpus.Manual, "upper limit switch S4" },
        { "Which breaker isolates Conveyor Line 3?", FixtureCorpus.Lockout, "CB-3-14" },
        { "Where are the keys for the group lock kept?", FixtureCorpus.Lockout, "key safe KS-2" },
        { "What is the default MQTT keepalive since 3.4.0?", FixtureCorpus.Changelog, "45 seconds" },
        { "Which ticket fixed the Modbus TCP polling timeout?", FixtureCorpus.Changelog, "GW-2291" },
        { "What key size do the OPC UA server certificates use?", FixtureCorpus.Changelog, "RSA-3072" },
        { "How many unused leave days can be carried over, and until when?", FixtureCorpus.LeavePolicy, "31 March" },
        { "How many weeks of parental leave does each parent get?", FixtureCorpus.LeavePolicy, "16 weeks" },
        { "Where do I request annual leave?", FixtureCorpus.LeavePolicy, "LeaveDesk" },
    };

    public static TheoryData<SearchMode> FilteringModes => new() { SearchMode.Hybrid, SearchMode.Keyword, SearchMode.Vector };

    [Theory]
    [MemberData(nameof(QuestionsWithOneRightDocument))]
    public async Task KeywordSearchRanksTheChunkHoldingTheFactFirst(string question, string document, string fact)
    {
        var hits = await _corpus.SearchAsync(question, SearchMode.Keyword);

        var best = Assert.IsType<SearchHit>(hits.FirstOrDefault());
        Assert.Equal(document, best.Chunk.DocumentId);
        Assert.Contains(fact, best.Chunk.Text, StringComparison.Ordinal);
        Assert.All(hits, h => Assert.NotNull(h.KeywordRank));
        Assert.All(hits, h => Assert.Null(h.VectorRank));
    }

    [Theory]
    [MemberData(nameof(QuestionsWithOneRightDocument))]
    public async Task HybridSearchRanksTheRightDocumentFirstWithTheFactInItsTopChunks(string question, string document, string fact)
    {
        var hits = await _corpus.SearchAsync(question, SearchMode.Hybrid);

        var best = Assert.IsType<SearchHit>(hits.FirstOrDefault());
        Assert.Equal(document, best.Chunk.DocumentId);
        Assert.NotNull(best.VectorRank);
        Assert.NotNull(best.KeywordRank);
        // A chunk that repeats the question's words (a title, say) may fuse above the one with the fact; not far above.
        Assert.Contains(hits.Take(3), h => h.Chunk.DocumentId == document && h.Chunk.Text.Contains(fact, StringComparison.Ordinal));
        Assert.Equal(hits.Select(h => h.Score).OrderDescending(), hits.Select(h => h.Score));
    }

    [Fact]
    public async Task AHitCarriesItsDocumentsMetadataAndPointsBackIntoTheStoredChunk()
    {
        var hits = await _corpus.SearchAsync("Which breaker isolates Conveyor Line 3?", SearchMode.Hybrid);

        var best = hits[0];
        Assert.Equal("intranet://safety/swi-117", best.Source);
        Assert.Equal("SWI-117 Lockout/Tagout – Conveyor Line 3", best.DocumentTitle);
        var stored = Assert.Single(_corpus.Database.Documents.Chunks(_corpus.Collection.Id, best.Chunk.DocumentId), c => c.Id == best.Chunk.Id);
        Assert.Equal(stored, best.Chunk);
        Assert.True(best.Chunk.End > best.Chunk.Start);
    }

    [Fact]
    public async Task WordsTwoDocumentsShareFindBothWithoutAFilter()
    {
        // The control for the filter tests below: without a filter, more than one document answers.
        foreach (var mode in new[] { SearchMode.Hybrid, SearchMode.Keyword })
        {
            var hits = await _corpus.SearchAsync(SharedWords, mode);

            Assert.Contains(hits, h => h.Chunk.DocumentId == FixtureCorpus.Manual);
            Assert.Contains(hits, h => h.Chunk.DocumentId == FixtureCorpus.Lockout);
        }
    }

    [Theory]
    [MemberData(nameof(FilteringModes))]
    public async Task ADocumentFilterKeepsEveryResultInsideTheNamedDocuments(SearchMode mode)
    {
        var hits = await _corpus.SearchAsync(SharedWords, mode, new SearchFilter(DocumentIds: [FixtureCorpus.Manual, FixtureCorpus.LeavePolicy]));

        Assert.NotEmpty(hits);
        Assert.Contains(hits, h => h.Chunk.DocumentId == FixtureCorpus.Manual);
        Assert.All(hits, h => Assert.Contains(h.Chunk.DocumentId, new[] { FixtureCorpus.Manual, FixtureCorpus.LeavePolicy }));
    }

    [Theory]
    [MemberData(nameof(FilteringModes))]
    public async Task ATagFilterKeepsOnlyDocumentsCarryingOneOfTheTags(SearchMode mode)
    {
        var hits = await _corpus.SearchAsync(SharedWords, mode, new SearchFilter(Tags: ["safety", "no-such-tag"]));

        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Equal(FixtureCorpus.Lockout, h.Chunk.DocumentId));
    }

    [Theory]
    [MemberData(nameof(FilteringModes))]
    public async Task ASourceFilterKeepsOnlyThatSource(SearchMode mode)
    {
        // Asks for the lockout instruction's fact, but only the changelog's source may answer.
        var hits = await _corpus.SearchAsync("Which breaker isolates Conveyor Line 3? MQTT keepalive", mode, new SearchFilter(Source: "intranet://it/gw-500"));

        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Equal(FixtureCorpus.Changelog, h.Chunk.DocumentId));
        Assert.All(hits, h => Assert.Equal("intranet://it/gw-500", h.Source));
    }

    [Theory]
    [MemberData(nameof(FilteringModes))]
    public async Task FiltersCombineSoAResultMustMatchAllOfThem(SearchMode mode)
    {
        var hits = await _corpus.SearchAsync(SharedWords, mode, new SearchFilter(DocumentIds: [FixtureCorpus.Manual], Tags: ["safety"]));

        Assert.Empty(hits);
    }

    [Theory]
    [MemberData(nameof(FilteringModes))]
    public async Task AMinimumScoreDropsEveryResultLessSimilarToTheQuery(SearchMode mode)
    {
        var question = "Which breaker isolates Conveyor Line 3? padlock";
        var all = await _corpus.SearchAsync(question, mode, topK: 50);
        var scores = all.Select(h => h.VectorScore).Order().ToList();
        Assert.True(scores.Count >= 3, $"{scores.Count} results");
        var threshold = scores[scores.Count / 2];

        var kept = await _corpus.SearchAsync(question, mode, minScore: threshold, topK: 50);

        Assert.NotEmpty(kept);
        Assert.True(kept.Count < all.Count, $"{kept.Count} of {all.Count} kept");
        Assert.All(kept, h => Assert.True(h.VectorScore >= threshold, $"{h.VectorScore} < {threshold}"));
        Assert.Equal(all.Where(h => h.VectorScore >= threshold).Select(h => h.Chunk.Id).Order(), kept.Select(h => h.Chunk.Id).Order());
    }

    [Fact]
    public async Task AMinimumScoreNoChunkReachesLeavesNoResults()
    {
        var hits = await _corpus.SearchAsync("Which breaker isolates Conveyor Line 3?", SearchMode.Hybrid, minScore: 0.99f);

        Assert.Empty(hits);
    }

    [Fact]
    public async Task ADeletedDocumentNeverComesBackFromSearch()
    {
        using var corpus = await FixtureCorpus.IngestAsync();
        const string question = "What is the default MQTT keepalive since 3.4.0?";
        Assert.Equal(FixtureCorpus.Changelog, (await corpus.SearchAsync(question, SearchMode.Hybrid))[0].Chunk.DocumentId);

        await corpus.DeleteAsync(FixtureCorpus.Changelog);

        foreach (var mode in new[] { SearchMode.Hybrid, SearchMode.Keyword, SearchMode.Vector })
        {
            var hits = await corpus.SearchAsync(question, mode, topK: 50);
            Assert.NotEmpty(hits);
            Assert.DoesNotContain(hits, h => h.Chunk.DocumentId == FixtureCorpus.Changelog);
            var filtered = await corpus.SearchAsync(question, mode, new SearchFilter(DocumentIds: [FixtureCorpus.Changelog]), topK: 50);
            Assert.Empty(filtered);
        }
    }

    [Fact]
    public async Task ADocumentDeletedBeforeTheIndexIsLoadedIsNotInTheLoadedIndex()
    {
        // After a restart the index is built from retrieval.db on first use: a deleted document must not reappear.
        using var corpus = await FixtureCorpus.IngestAsync();
        var removed = await corpus.Database.Documents.DeleteAsync(corpus.Collection.Id, FixtureCorpus.Changelog, CancellationToken.None);
        Assert.NotNull(removed);
        var fresh = new HybridSearcher(corpus.Database.Database, new VectorIndexCache(corpus.Database.Database, new VectorIndexFactory(new VectorIndexOptions())), new HashedWordEmbeddings());

        var hits = await fresh.SearchAsync(corpus.Collection, new SearchQuery("default MQTT keepalive Sparkplug firmware", 50, Mode: SearchMode.Vector), CancellationToken.None);

        Assert.NotEmpty(hits);
        Assert.DoesNotContain(hits, h => h.Chunk.DocumentId == FixtureCorpus.Changelog);
    }

    public sealed class Corpus : IAsyncLifetime
    {
        internal FixtureCorpus Value { get; private set; } = null!;

        public async Task InitializeAsync() => Value = await FixtureCorpus.IngestAsync();

        public Task DisposeAsync()
        {
            Value.Dispose();
            return Task.CompletedTask;
        }
    }
}
