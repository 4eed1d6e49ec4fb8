using System.Text;
using EdgeLlm.Retrieval.Ingestion.Parsing;

namespace EdgeLlm.Retrieval.Tests.Ingestion.Parsing;

public sealed class TextDecodingTests
{
    private readonly DocumentParsers _parsers = new();

    public static TheoryData<string, byte[]> BinaryDisguisedAsText => new()
    {
        { "NUL bytes", [.. "Torque values\n"u8, 0, 0, 0, .. "more text"u8] },
        { "a PDF header", [.. "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj << /Type /Catalog >> endobj\n"u8] },
        { "an ELF header", [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
        { "a zip magic", [.. "PK\u0003\u0004"u8, 20, 0, 0, 0, 8, 0] },
        { "invalid UTF-8", [.. "caf"u8, 0xE9, .. " au lait"u8] },
        { "Latin-1 without a BOM", Encoding.Latin1.GetBytes("Gr\u00f6\u00dfe: 42 mm") },
        { "a UTF-16 BOM with an odd byte count", [0xFF, 0xFE, (byte)'a', 0, (byte)'b'] },
        { "a lone UTF-16 surrogate", [0xFF, 0xFE, 0x00, 0xD8, (byte)'a', 0] },
    };

    [Theory]
    [MemberData(nameof(BinaryDisguisedAsText))]
    public void BinaryDisguisedAsTextIsNotText(string what, byte[] content)
    {
        foreach (var (contentType, fileName) in new[] { ("text/plain", "notes.txt"), ("text/markdown", "notes.md"), ("text/html", "notes.html") })
        {
            var result = _parsers.Parse(content, contentType, fileName);

            var rejected = DocumentParsersTests.AssertRejected(result, DocumentRejection.NotText, "document_not_text");
            Assert.True(rejected.Message.Length > 0, what);
        }
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("utf-8-bom")]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    public void UnicodeTextIsDecodedWithOrWithoutABom(string encoding)
    {
        const string text = "Größe 42 mm — 25 °C, ✓ 検査済み";
        byte[] content = encoding switch
        {
            "utf-8" => Encoding.UTF8.GetBytes(text),
            "utf-8-bom" => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
            "utf-16le" => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)],
            _ => [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)],
        };

        var parsed = Assert.IsType<DocumentParseResult.Parsed>(_parsers.Parse(content, "text/plain", null));

        Assert.Equal(text, parsed.Document.Text);
    }

    [Fact]
    public void InvisibleCharactersAndLineEndingsAreNormalised()
    {
        var parsed = Assert.IsType<DocumentParseResult.Parsed>(
            _parsers.Parse(Encoding.UTF8.GetBytes("Lock\u00ADout\u200B procedure   \r\nstep\u00A0one\r\n\r\n\r\n\r\nNext\u0007 paragraph\t \n"), "text/plain", null));

        Assert.Equal("Lockout procedure\nstep one\n\nNext paragraph", parsed.Document.Text);
    }
}
