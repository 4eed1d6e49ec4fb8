using System.Text;
using EdgeLlm.Retrieval.Ingestion;
using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Tests.Support;
using EdgeLlm.Retrieval.Vectors;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeLlm.Retrieval.Tests.Ingestion;

/// <summary>The upload-time check refuses documents too large for the device before any long work on them starts.</summary>
public sealed class DocumentLimitsTests
{
    // Like the 2 MB Markdown file that made 7,667 chunks and held the worker for some 14 minutes.
    private static readonly byte[] LargeMarkdown = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 16_000).Select(i =>
        $"## Step {i}\n\nCheck valve {i} on line {i % 9}, note its pressure and close the cover.\n\n")));

    [Fact]
    public void ByDefaultALargeMarkdownFileIsRefusedAsTooLargeNamingTheLimit()
    {
        using var db = new TestDatabase();
        var (ingestor, tokens) = Ingestor(db);

        var refused = Assert.IsType<DocumentCheck.Refused>(ingestor.Check(LargeMarkdown, "text/markdown", "plant.md", "default"));

        Assert.Equal(413, refused.Status);
        Assert.Equal("document_too_large", refused.Code);
        Assert.Contains("Retrieval:MaxDocumentCharacters (1000000)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, tokens.Calls);
    }

    [Fact]
    public void ADocumentOverTheChunkLimitIsRefusedWithoutBeingChunkedToTheEnd()
    {
        using var unlimited = new TestDatabase(o => (o.MaxDocumentCharacters, o.MaxChunksPerDocument) = (10_000_000, 1_000_000));
        var (whole, wholeTokens) = Ingestor(unlimited);
        var accepted = Assert.IsType<DocumentCheck.Accepted>(whole.Check(LargeMarkdown, "text/markdown", "plant.md", "default"));
        using var db = new TestDatabase(o => o.MaxDocumentCharacters = 10_000_000);
        var (ingestor, tokens) = Ingestor(db);

        var refused = Assert.IsType<DocumentCheck.Refused>(ingestor.Check(LargeMarkdown, "text/markdown", "plant.md", "default"));

        Assert.Equal(413, refused.Status);
        Assert.Equal("document_too_large", refused.Code);
        Assert.Contains("Retrieval:MaxChunksPerDocument (2000)", refused.Message, StringComparison.Ordinal);
        Assert.True(accepted.Chunks.Count >= 8 * 2000, $"the document makes {accepted.Chunks.Count} chunks");
        Assert.True(tokens.CharactersCounted * 4 < wholeTokens.CharactersCounted, $"{tokens.CharactersCounted} of {wholeTokens.CharactersCounted} characters were tokenized");
    }

    private static (DocumentIngestor Ingestor, WhitespaceTokenCounter Tokens) Ingestor(TestDatabase db)
    {
        var tokens = new WhitespaceTokenCounter();
        var indexes = new VectorIndexCache(db.Database, new VectorIndexFactory(new VectorIndexOptions()));
        return (new DocumentIngestor(db.Collections, db.Documents, db.Jobs, indexes, new HashedWordEmbeddings(), tokens, db.Wrapped, NullLogger<DocumentIngestor>.Instance), tokens);
    }
}
