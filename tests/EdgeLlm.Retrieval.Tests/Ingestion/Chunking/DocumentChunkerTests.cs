using EdgeLlm.Retrieval.Ingestion;
using EdgeLlm.Retrieval.Ingestion.Chunking;
using EdgeLlm.Retrieval.Tests.Support;

namespace EdgeLlm.Retrieval.Tests.Ingestion.Chunking;

public sealed class DocumentChunkerTests
{
    private readonly WhitespaceTokenCounter _counter = new();

    [Fact]
    public void TinyParagraphsOfASectionShareOneChunk()
    {
        var document = Document(("Torque", "M24: 640 N·m.\n\nM12: 85 N·m.\n\nM8: 22 N·m."));

        var chunk = Assert.Single(Chunker().Chunk(document));

        Assert.Equal("Torque\n\nM24: 640 N·m.\n\nM12: 85 N·m.\n\nM8: 22 N·m.", chunk.Text);
        Assert.Equal(["Torque"], chunk.HeadingPath);
        Assert.Equal(0, chunk.Ordinal);
        Assert.Equal(WhitespaceTokenCounter.Count(chunk.Text), chunk.TokenCount);
    }

    [Fact]
    public void AChunkNeverSpansTwoSections()
    {
        var document = Document(("A", "alpha one."), ("B", "beta two."), ("C", "gamma three."));

        var chunks = Chunker().Chunk(document);

        Assert.Equal(["A\n\nalpha one.", "B\n\nbeta two.", "C\n\ngamma three."], chunks.Select(c => c.Text));
        Assert.Equal([0, 1, 2], chunks.Select(c => c.Ordinal));
    }

    [Fact]
    public void ParagraphsArePackedUpToTheBudgetAndCutBetweenWithoutOverlap()
    {
        var paragraphs = Enumerable.Range(0, 6).Select(p => Words($"p{p}w", 10));
        var document = Document(("Section", string.Join("\n\n", paragraphs)));

        var chunks = Chunker(maxTokens: 32, overlapTokens: 4).Chunk(document);

        // Heading (1 token) + three paragraphs of 10 = 31; a fourth would not fit.
        Assert.Equal(2, chunks.Count);
        Assert.StartsWith("Section\n\np0w0 ", chunks[0].Text, StringComparison.Ordinal);
        Assert.EndsWith("p2w9", chunks[0].Text, StringComparison.Ordinal);
        Assert.StartsWith("Section\n\np3w0 ", chunks[1].Text, StringComparison.Ordinal);
        Assert.True(chunks[1].Start > chunks[0].End);
    }

    [Fact]
    public void ALongParagraphIsCutAtWordsWithOverlap()
    {
        var document = Document(("Long", Words("w", 1000)));
        var options = new DocumentChunkerOptions { MaxTokens = 64, OverlapTokens = 8, MinTokens = 16 };

        var chunks = new DocumentChunker(_counter, options).Chunk(document);

        AssertInvariants(document, chunks, options);
        Assert.True(chunks.Count >= 1000 / 63);
        for (var i = 1; i < chunks.Count; i++)
        {
            Assert.True(chunks[i].Start < chunks[i - 1].End, $"chunk {i} does not overlap its predecessor");
            Assert.True(chunks[i].Start > chunks[i - 1].Start);
            // The last chunk may start earlier to reach MinTokens; every other overlap is within budget.
            var overlap = WhitespaceTokenCounter.Count(document.Text[chunks[i].Start..chunks[i - 1].End]);
            Assert.InRange(overlap, 1, i == chunks.Count - 1 ? options.MaxTokens : options.OverlapTokens);
        }

        Assert.Equal(document.Sections[0].Start, chunks[0].Start);
        Assert.Equal(document.Sections[0].End, chunks[^1].End);
    }

    [Fact]
    public void ARemainderShorterThanTheMinimumStartsEarlier()
    {
        // 32 tokens per chunk, overlap 4: cuts after w31 and w59, leaving w56..w60 (5 tokens) for the last chunk.
        var document = new ParsedDocument(null, Words("w", 61), [new DocumentSection([], 0, Words("w", 61).Length)]);
        var options = new DocumentChunkerOptions { MaxTokens = 32, OverlapTokens = 4, MinTokens = 12 };

        var chunks = new DocumentChunker(_counter, options).Chunk(document);

        AssertInvariants(document, chunks, options);
        Assert.Equal(3, chunks.Count);
        Assert.Equal(12, chunks[^1].TokenCount);
        Assert.StartsWith("w49 ", chunks[^1].Text, StringComparison.Ordinal);
        Assert.EndsWith("w60", chunks[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void LineEndsArePreferredToWordEnds()
    {
        var rows = Enumerable.Range(0, 40).Select(r => $"row{r} | a | b | c | d");
        var document = Document(("Table", string.Join('\n', rows)));
        var options = new DocumentChunkerOptions { MaxTokens = 50, OverlapTokens = 0, MinTokens = 0 };

        var chunks = new DocumentChunker(_counter, options).Chunk(document);

        AssertInvariants(document, chunks, options);
        Assert.All(chunks, chunk => Assert.Matches(@"\| d$", chunk.Text));
        Assert.All(chunks, chunk => Assert.Matches(@"^Table\n\nrow\d+ ", chunk.Text));
    }

    [Fact]
    public void AWordLongerThanTheBudgetIsCutInsideIt()
    {
        var counter = new FourCharactersPerTokenCounter();
        var document = Document(("Hash", "sha256: " + new string('f', 2000) + " end"));
        var options = new DocumentChunkerOptions { MaxTokens = 32, OverlapTokens = 4, MinTokens = 4 };

        var chunks = new DocumentChunker(counter, options).Chunk(document);

        Assert.All(chunks, chunk => Assert.InRange(counter.CountTokens(chunk.Text), 1, options.MaxTokens));
        Assert.Equal(document.Sections[0].End, chunks[^1].End);
        Assert.EndsWith(" end", chunks[^1].Text, StringComparison.Ordinal);
        for (var i = 1; i < chunks.Count; i++)
        {
            var between = chunks[i].Start > chunks[i - 1].End ? document.Text[chunks[i - 1].End..chunks[i].Start] : "";
            Assert.True(string.IsNullOrWhiteSpace(between), $"the chunks leave out '{between}'");
        }
    }

    [Fact]
    public void AHeadingPathTooLongForTheBudgetIsLeftOutOfTheText()
    {
        var longHeading = Words("h", 40);
        var document = Document((longHeading, "body text here."));

        var chunk = Assert.Single(Chunker(maxTokens: 64, overlapTokens: 4).Chunk(document));

        Assert.Equal("body text here.", chunk.Text);
        Assert.Equal([longHeading], chunk.HeadingPath);
    }

    [Fact]
    public void NestedHeadingsArePrefixedOutermostFirst()
    {
        var document = new ParsedDocument("Manual", "Body.", [new DocumentSection(["Manual", "2. Hydraulics", "2.1 Oil"], 0, 5)]);

        var chunk = Assert.Single(Chunker().Chunk(document));

        Assert.Equal("Manual > 2. Hydraulics > 2.1 Oil\n\nBody.", chunk.Text);
        Assert.Equal(DocumentChunker.HeadingPrefix(chunk.HeadingPath) + "Body.", chunk.Text);
    }

    [Fact]
    public void TheTokenizerRunsAFewTimesPerChunkNotPerWord()
    {
        var document = Document(("Big", Words("word", 20_000)), ("Many", string.Join("\n\n", Enumerable.Range(0, 2_000).Select(i => Words($"p{i}_", 7)))));

        var chunks = Chunker().Chunk(document);

        AssertInvariants(document, chunks, new DocumentChunkerOptions());
        Assert.True(_counter.Calls < chunks.Count * 40, $"{_counter.Calls} calls for {chunks.Count} chunks");
        Assert.True(_counter.CharactersCounted < document.Text.Length * 40L, $"{_counter.CharactersCounted} characters counted for {document.Text.Length}");
    }

    [Fact]
    public void ASectionOutsideTheTextIsABug() =>
        Assert.Throws<ArgumentException>(() => Chunker().Chunk(new ParsedDocument(null, "short", [new DocumentSection([], 0, 50)])));

    [Fact]
    public void InconsistentOptionsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentChunker(_counter, new DocumentChunkerOptions { MaxTokens = 8 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentChunker(_counter, new DocumentChunkerOptions { MaxTokens = 64, OverlapTokens = 32 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentChunker(_counter, new DocumentChunkerOptions { MaxTokens = 64, MinTokens = 33 }));
    }

    /// <summary>
    /// What every chunking must satisfy: within budget by the counter, text = prefix + span, span trimmed and
    /// inside a section whose path it carries, ordinals in order, and every word of every section covered.
    /// </summary>
    internal static void AssertInvariants(ParsedDocument document, IReadOnlyList<DocumentChunk> chunks, DocumentChunkerOptions options)
    {
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            Assert.Equal(i, chunk.Ordinal);
            Assert.InRange(chunk.TokenCount, 1, options.MaxTokens);
            Assert.Equal(WhitespaceTokenCounter.Count(chunk.Text), chunk.TokenCount);
            var span = document.Text[chunk.Start..chunk.End];
            Assert.Equal(span.Trim(), span);
            Assert.True(chunk.Text == DocumentChunker.HeadingPrefix(chunk.HeadingPath) + span || chunk.Text == span, $"chunk {i}: text is not prefix + span");
            var section = Assert.Single(document.Sections, s => s.Start <= chunk.Start && chunk.End <= s.End);
            Assert.Equal(section.HeadingPath, chunk.HeadingPath);
            Assert.True(chunk.Start == 0 || char.IsWhiteSpace(document.Text[chunk.Start - 1]), $"chunk {i} starts inside a word");
            Assert.True(chunk.End == document.Text.Length || char.IsWhiteSpace(document.Text[chunk.End]), $"chunk {i} ends inside a word");
        }

        var covered = new bool[document.Text.Length];
        foreach (var chunk in chunks)
        {
            Array.Fill(covered, true, chunk.Start, chunk.End - chunk.Start);
        }

        foreach (var section in document.Sections)
        {
            for (var i = section.Start; i < section.End; i++)
            {
                Assert.True(covered[i] || char.IsWhiteSpace(document.Text[i]), $"character {i} is in no chunk");
            }
        }
    }

    private DocumentChunker Chunker(int maxTokens = 256, int overlapTokens = 32) =>
        new(_counter, new DocumentChunkerOptions { MaxTokens = maxTokens, OverlapTokens = overlapTokens, MinTokens = Math.Min(16, maxTokens / 2) });

    private static string Words(string stem, int count) => string.Join(' ', Enumerable.Range(0, count).Select(i => stem + i));

    /// <summary>A document laid out like the parsers lay it out: heading block, blank line, body.</summary>
    private static ParsedDocument Document(params (string Heading, string Body)[] sections)
    {
        var text = new System.Text.StringBuilder();
        var spans = new List<DocumentSection>();
        foreach (var (heading, body) in sections)
        {
            text.Append(text.Length == 0 ? "" : "\n\n").Append(heading).Append("\n\n");
            spans.Add(new DocumentSection([heading], text.Length, text.Length + body.Length));
            text.Append(body);
        }

        return new ParsedDocument(null, text.ToString(), spans);
    }

    private sealed class FourCharactersPerTokenCounter : ITokenCounter
    {
        public int CountTokens(string text) => (text.Length + 3) / 4;
    }
}
