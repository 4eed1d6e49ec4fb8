using EdgeLlm.Retrieval.Ingestion.Chunking;
using EdgeLlm.Retrieval.Tests.Fixtures;
using EdgeLlm.Retrieval.Tests.Ingestion.Parsing;
using EdgeLlm.Retrieval.Tests.Support;

namespace EdgeLlm.Retrieval.Tests.Ingestion.Chunking;

public sealed class FixtureChunkingTests
{
    public static TheoryData<string, int> FixturesAndBudgets()
    {
        var data = new TheoryData<string, int>();
        foreach (var fixture in FixtureDocuments.All)
        {
            foreach (var maxTokens in new[] { 16, 40, 256 })
            {
                data.Add(fixture.FileName, maxTokens);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FixturesAndBudgets))]
    public void EveryFixtureChunksWithinBudgetAndItsOffsetsRoundTrip(string fileName, int maxTokens)
    {
        var document = ParsedFixtures.Parse(FixtureDocuments.All.Single(f => f.FileName == fileName));
        var options = new DocumentChunkerOptions { MaxTokens = maxTokens, OverlapTokens = maxTokens / 8, MinTokens = maxTokens / 4 };

        var chunks = new DocumentChunker(new WhitespaceTokenCounter(), options).Chunk(document);

        Assert.NotEmpty(chunks);
        DocumentChunkerTests.AssertInvariants(document, chunks, options);
    }

    [Fact]
    public void TheManualsTorqueTableIsOneChunkUnderItsHeadings()
    {
        var document = ParsedFixtures.Parse(FixtureDocuments.MaintenanceManual);

        var chunks = new DocumentChunker(new WhitespaceTokenCounter()).Chunk(document);

        var torque = Assert.Single(chunks, c => c.Text.Contains("Cylinder head bolts | M24 | 640 N·m", StringComparison.Ordinal));
        Assert.Equal(["HP-4200 Hydraulic Press Maintenance Manual", "3. Mechanical inspection", "3.3 Torque values"], torque.HeadingPath);
        Assert.StartsWith("HP-4200 Hydraulic Press Maintenance Manual > 3. Mechanical inspection > 3.3 Torque values\n\nJoint | Thread | Torque\n", torque.Text, StringComparison.Ordinal);
    }
}
