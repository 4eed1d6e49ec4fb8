using System.Text;
using EdgeLlm.Retrieval.Ingestion.Parsing;

namespace EdgeLlm.Retrieval.Tests.Ingestion.Parsing;

public sealed class DocumentParsersTests
{
    private const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private readonly DocumentParsers _parsers = new();

    [Theory]
    [InlineData("text/plain", null, DocumentType.PlainText)]
    [InlineData("text/plain; charset=utf-8", "notes.txt", DocumentType.PlainText)]
    [InlineData("TEXT/HTML", null, DocumentType.Html)]
    [InlineData("text/markdown", "readme", DocumentType.Markdown)]
    [InlineData("text/x-markdown", null, DocumentType.Markdown)]
    [InlineData(Docx, null, DocumentType.Docx)]
    [InlineData(null, "manual.MD", DocumentType.Markdown)]
    [InlineData("", "C:\\Users\\op\\policy.docx", DocumentType.Docx)]
    [InlineData("application/octet-stream", "/tmp/instruction.htm", DocumentType.Html)]
    [InlineData("text/plain", "manual.markdown", DocumentType.Markdown)]
    [InlineData("text/html", "page.docx", DocumentType.Html)]
    public void TheDeclaredTypeWinsAndTheExtensionFillsIn(string? contentType, string? fileName, DocumentType expected) =>
        Assert.Equal(expected, DocumentParsers.ResolveType(contentType, fileName));

    [Theory]
    [InlineData("application/pdf", "report.txt", "'application/pdf'")]
    [InlineData(null, "report.pdf", "'.pdf' file")]
    [InlineData("application/octet-stream", "archive", "no content type and no file extension")]
    [InlineData(null, null, "no content type and no file extension")]
    public void AnUnknownTypeIsUnsupportedWithAMessageListingTheAcceptedTypes(string? contentType, string? fileName, string described)
    {
        var result = _parsers.Parse("hello"u8.ToArray(), contentType, fileName);

        var unsupported = Assert.IsType<DocumentParseResult.UnsupportedMediaType>(result);
        Assert.Equal(described, unsupported.Described);
        Assert.Contains(described, unsupported.Message, StringComparison.Ordinal);
        foreach (var mediaType in DocumentParsers.AcceptedMediaTypes)
        {
            Assert.Contains(mediaType, unsupported.Message, StringComparison.Ordinal);
        }

        Assert.Contains(".docx", unsupported.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHostileContentTypeIsTrimmedBeforeItIsEchoed()
    {
        var result = _parsers.Parse("x"u8.ToArray(), "application/" + new string('a', 500) + "\u0007", null);

        var unsupported = Assert.IsType<DocumentParseResult.UnsupportedMediaType>(result);
        Assert.True(unsupported.Described.Length < 110);
        Assert.DoesNotContain('\u0007', unsupported.Described);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/markdown")]
    [InlineData("text/html")]
    [InlineData(Docx)]
    public void NoBytesIsEmpty(string contentType) =>
        AssertRejected(_parsers.Parse(ReadOnlyMemory<byte>.Empty, contentType, null), DocumentRejection.Empty, "document_empty");

    [Theory]
    [InlineData("text/plain", "  \n\t\r\n  ")]
    [InlineData("text/markdown", "---\n\n***\n\n<!-- only a comment -->\n")]
    [InlineData("text/markdown", "# Title\n\n## Only headings\n")]
    [InlineData("text/html", "<html><head><title>Title only</title><script>var x = 1;</script></head><body> &nbsp; </body></html>")]
    public void MarkupWithoutTextIsEmpty(string contentType, string content) =>
        AssertRejected(_parsers.Parse(Encoding.UTF8.GetBytes(content), contentType, null), DocumentRejection.Empty, "document_empty");

    [Fact]
    public void ABodyOverTheByteLimitIsTooLarge()
    {
        var parsers = new DocumentParsers(new DocumentParsingLimits { MaxDocumentBytes = 1024 });

        var result = parsers.Parse(Encoding.UTF8.GetBytes(new string('a', 1025)), "text/plain", null);

        var rejected = AssertRejected(result, DocumentRejection.TooLarge, "document_too_large");
        Assert.Contains("1024", rejected.Message, StringComparison.Ordinal);
        Assert.IsType<DocumentParseResult.Parsed>(parsers.Parse(Encoding.UTF8.GetBytes(new string('a', 1024)), "text/plain", null));
    }

    [Fact]
    public async Task AStreamIsReadNoFurtherThanTheLimit()
    {
        var parsers = new DocumentParsers(new DocumentParsingLimits { MaxDocumentBytes = 100_000 });
        using var endless = new EndlessStream();

        var result = await parsers.ParseAsync(endless, "text/plain", "big.txt");

        AssertRejected(result, DocumentRejection.TooLarge, "document_too_large");
        Assert.True(endless.BytesRead <= 100_000 + 81_920, $"read {endless.BytesRead} bytes");
    }

    [Fact]
    public async Task AStreamWithinTheLimitIsParsed()
    {
        using var stream = new MemoryStream("# Heading\n\nBody text."u8.ToArray());

        var result = await _parsers.ParseAsync(stream, null, "note.md");

        var parsed = Assert.IsType<DocumentParseResult.Parsed>(result);
        Assert.Equal(DocumentType.Markdown, parsed.Type);
        Assert.Equal("Heading\n\nBody text.", parsed.Document.Text);
    }

    [Fact]
    public void LimitsThatCannotBeEnforcedAreRefusedAtConstruction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentParsers(new DocumentParsingLimits { MaxDocumentBytes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentParsers(new DocumentParsingLimits { MaxNestingDepth = 2 }));
    }

    internal static DocumentParseResult.Rejected AssertRejected(DocumentParseResult result, DocumentRejection reason, string code)
    {
        var rejected = Assert.IsType<DocumentParseResult.Rejected>(result);
        Assert.Equal(reason, rejected.Reason);
        Assert.Equal(code, rejected.Code);
        Assert.False(string.IsNullOrWhiteSpace(rejected.Message));
        return rejected;
    }

    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)'a');
            BytesRead += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
