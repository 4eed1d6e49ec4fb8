using System.Buffers.Binary;
using System.IO.Compression;
using EdgeLlm.Retrieval.Ingestion;
using EdgeLlm.Retrieval.Ingestion.Parsing;
using EdgeLlm.Retrieval.Tests.Fixtures;
using EdgeLlm.Retrieval.Tests.Support;
using static EdgeLlm.Retrieval.Tests.Ingestion.Parsing.DocumentParsersTests;
using static EdgeLlm.Retrieval.Tests.Ingestion.Parsing.ParsedFixtures;

namespace EdgeLlm.Retrieval.Tests.Ingestion.Parsing;

public sealed class DocxDocumentParserTests
{
    private const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private readonly DocumentParsers _parsers = new();

    [Fact]
    public void HeadingStylesNamesInheritanceAndOutlineLevelsGiveTheSections()
    {
        var document = Parse(FixtureDocuments.LeavePolicy);

        Assert.Equal("Annual Leave and Absence Policy", document.Title);
        const string title = "Annual Leave and Absence Policy";
        Assert.Equal(
            [
                title,
                $"{title} > 1. Purpose and scope",
                $"{title} > 2. Annual leave entitlement",
                $"{title} > 2. Annual leave entitlement > 2.1 Carry-over",
                $"{title} > 2. Annual leave entitlement > 2.2 Requesting leave",
                $"{title} > 3. Other leave > 3.1 Parental leave",
                $"{title} > 3. Other leave > 3.2 Bereavement leave",
                $"{title} > 3. Other leave > 3.3 Sabbatical",
                $"{title} > 4. Contacts",
            ],
            document.Sections.Select(Path));
        AssertSectionsWellFormed(document);
    }

    [Fact]
    public void TablesBecomeRowsOfCells()
    {
        var section = SectionUnder(Parse(FixtureDocuments.LeavePolicy), "2. Annual leave entitlement");

        Assert.Equal(
            "Annual leave is counted in working days and grows with continuous years of service:\n\n"
            + "Years of service | Days per year\nLess than 5 years | 25 working days\n5 to 9 years | 27 working days\n10 years or more | 30 working days\n\n"
            + "Employees aged 60 or over receive six extra days each year, as required by law.",
            section);
    }

    [Fact]
    public void TabsBreaksDeletionsAndFieldCodesAreHandledLikeWordShowsThem()
    {
        var document = Parse(FixtureDocuments.LeavePolicy);

        Assert.Contains("longer than three days. Your manager approves or declines within 5 working days.\nSummer leave", document.Text, StringComparison.Ordinal);
        Assert.Equal(
            "Questions about this policy go to Priya Raman, HR Business Partner, extension 4471, e-mail hr-leave@nordlys.example.",
            SectionUnder(document, "4. Contacts"));
        Assert.DoesNotContain("CANARY", document.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<w:", document.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDocumentPropertiesTitleIsTheFallback()
    {
        var parsed = ParseBytes(DocxPackages.WithBody("<w:p><w:r><w:t>Only body text.</w:t></w:r></w:p>"));

        Assert.Null(parsed.Title);
        Assert.Equal("Only body text.", parsed.Text);
        Assert.Equal([""], parsed.Sections.Select(Path));
    }

    [Fact]
    public void TheCompatibilityFallbackOfATextBoxIsNotIndexedTwice()
    {
        const string textBox = "<w:txbxContent><w:p><w:r><w:t>Boxed note</w:t></w:r></w:p></w:txbxContent>";
        var parsed = ParseBytes(DocxPackages.WithBody(
            $"<w:p><w:r><w:t>Before </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">{textBox}</mc:Choice>"
            + $"<mc:Fallback>{textBox}</mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>after.</w:t></w:r></w:p>"
            + "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>outer</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>inner a</w:t></w:r></w:p></w:tc>"
            + "<w:tc><w:p><w:r><w:t>inner b</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>"));

        Assert.Equal("Boxed note\n\nBefore after.\n\nouter inner a | inner b |", parsed.Text);
    }

    [Fact]
    public void RandomBytesNamedDocxAreMalformed()
    {
        var random = new byte[4096];
        new Random(42).NextBytes(random);

        AssertRejected(_parsers.Parse(random, null, "policy.docx"), DocumentRejection.Malformed, "document_malformed");
        AssertRejected(_parsers.Parse("just some text"u8.ToArray(), DocxType, null), DocumentRejection.Malformed, "document_malformed");
    }

    [Fact]
    public void AZipWithoutADocumentPartIsMalformed()
    {
        AssertRejected(_parsers.Parse(DocxPackages.WithoutDocument(), DocxType, null), DocumentRejection.Malformed, "document_malformed");
        AssertRejected(_parsers.Parse(DocxPackages.Zip(("hello.txt", "not a package")), DocxType, null), DocumentRejection.Malformed, "document_malformed");
    }

    [Theory]
    [InlineData("<w:p><w:r><w:t>unclosed</w:r></w:p>")]
    [InlineData("<w:p><w:r><w:t>&undefined;</w:t></w:r></w:p>")]
    public void InvalidDocumentXmlIsMalformed(string bodyXml) =>
        AssertRejected(_parsers.Parse(DocxPackages.WithBody(bodyXml), DocxType, null), DocumentRejection.Malformed, "document_malformed");

    [Fact]
    public void ADocumentTypeDefinitionIsRefusedSoEntitiesCannotExpandOrResolve()
    {
        var documentXml = DocxPackages.DocumentXml("<w:p><w:r><w:t>&lol2;</w:t></w:r></w:p>").Replace(
            "<w:document",
            "<!DOCTYPE w:document [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\"><!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><w:document",
            StringComparison.Ordinal);

        AssertRejected(_parsers.Parse(DocxPackages.WithDocumentXml(documentXml), DocxType, null), DocumentRejection.Malformed, "document_malformed");
    }

    [Fact]
    public void AZipBombIsRefusedFromItsDirectoryWithoutInflating()
    {
        var bomb = ZipBomb(entryBytes: 129L * 1024 * 1024);
        Assert.True(bomb.Length < 1024 * 1024, $"the bomb is {bomb.Length} bytes");

        var rejected = AssertRejected(_parsers.Parse(bomb, DocxType, null), DocumentRejection.TooLarge, "document_too_large");
        Assert.Contains("expands", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AZipThatUnderstatesItsSizeIsStoppedWhileInflating()
    {
        var parsers = new DocumentParsers(new DocumentParsingLimits { MaxDocxUncompressedBytes = 1024 * 1024 });
        var bomb = DocxPackages.WithBody("<w:p><w:r><w:t>" + new string(' ', 4 * 1024 * 1024) + "</w:t></w:r></w:p>");
        StateSmallSize(bomb, "word/document.xml");

        var result = parsers.Parse(bomb, DocxType, null);

        var rejected = Assert.IsType<DocumentParseResult.Rejected>(result);
        Assert.Contains(rejected.Reason, new[] { DocumentRejection.TooLarge, DocumentRejection.Malformed });
    }

    [Fact]
    public void TooManyPartsAreRefused()
    {
        var parsers = new DocumentParsers(new DocumentParsingLimits { MaxDocxParts = 10 });
        var parts = Enumerable.Range(0, 11).Select(i => ($"customXml/item{i}.xml", "<x/>")).ToArray();

        AssertRejected(parsers.Parse(DocxPackages.Zip(parts), DocxType, null), DocumentRejection.TooLarge, "document_too_large");
    }

    [Fact]
    public void NestingBeyondTheLimitIsMalformed()
    {
        var deep = string.Concat(Enumerable.Repeat("<w:tbl><w:tr><w:tc>", 100)) + "<w:p/>" + string.Concat(Enumerable.Repeat("</w:tc></w:tr></w:tbl>", 100));

        var rejected = AssertRejected(_parsers.Parse(DocxPackages.WithBody(deep), DocxType, null), DocumentRejection.Malformed, "document_malformed");
        Assert.Contains("nested", rejected.Message, StringComparison.Ordinal);
    }

    private ParsedDocument ParseBytes(byte[] docx) =>
        Assert.IsType<DocumentParseResult.Parsed>(_parsers.Parse(docx, DocxType, "test.docx")).Document;

    /// <summary>A valid package plus <paramref name="entryBytes"/> of spaces in one more part (deflate: ~1000:1).</summary>
    private static byte[] ZipBomb(long entryBytes)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in DocxPackages.Parts(DocxPackages.DocumentXml("<w:p><w:r><w:t>x</w:t></w:r></w:p>")))
            {
                using var part = zip.CreateEntry(name).Open();
                part.Write(System.Text.Encoding.UTF8.GetBytes(content));
            }

            using var entry = zip.CreateEntry("word/media/padding.bin", CompressionLevel.SmallestSize).Open();
            var block = new byte[1024 * 1024];
            Array.Fill(block, (byte)' ');
            for (long written = 0; written < entryBytes; written += block.Length)
            {
                entry.Write(block);
            }
        }

        return stream.ToArray();
    }

    /// <summary>Rewrites one entry's uncompressed size in the zip's headers to 100 bytes, as a hostile archive might.</summary>
    private static void StateSmallSize(byte[] zip, string entryName)
    {
        var name = System.Text.Encoding.ASCII.GetBytes(entryName);
        for (var i = 0; i + 46 + name.Length <= zip.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            if (signature == 0x02014b50 && zip.AsSpan(i + 46, name.Length).SequenceEqual(name))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 24), 100);
            }
            else if (signature == 0x04034b50 && zip.AsSpan(i + 30, name.Length).SequenceEqual(name))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 22), 100);
            }
        }
    }
}
