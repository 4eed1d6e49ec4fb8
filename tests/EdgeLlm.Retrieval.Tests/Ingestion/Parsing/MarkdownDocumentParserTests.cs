using System.Text;
using EdgeLlm.Retrieval.Ingestion.Parsing;
using EdgeLlm.Retrieval.Tests.Fixtures;
using static EdgeLlm.Retrieval.Tests.Ingestion.Parsing.ParsedFixtures;

namespace EdgeLlm.Retrieval.Tests.Ingestion.Parsing;

public sealed class MarkdownDocumentParserTests
{
    private readonly DocumentParsers _parsers = new();

    [Fact]
    public void TheManualsHeadingsNestIntoSectionPaths()
    {
        var document = Parse(FixtureDocuments.MaintenanceManual);

        Assert.Equal("HP-4200 Hydraulic Press Maintenance Manual", document.Title);
        Assert.Equal(
            [
                "HP-4200 Hydraulic Press Maintenance Manual",
                "HP-4200 Hydraulic Press Maintenance Manual > 1. Safety before maintenance",
                "HP-4200 Hydraulic Press Maintenance Manual > 2. Hydraulic system > 2.1 Oil specification",
                "HP-4200 Hydraulic Press Maintenance Manual > 2. Hydraulic system > 2.2 Oil and filter changes",
                "HP-4200 Hydraulic Press Maintenance Manual > 2. Hydraulic system > 2.3 Accumulator",
                "HP-4200 Hydraulic Press Maintenance Manual > 3. Mechanical inspection > 3.1 Tie-rod nuts",
                "HP-4200 Hydraulic Press Maintenance Manual > 3. Mechanical inspection > 3.2 Main ram seals",
                "HP-4200 Hydraulic Press Maintenance Manual > 3. Mechanical inspection > 3.3 Torque values",
                "HP-4200 Hydraulic Press Maintenance Manual > 4. Diagnostics",
                "HP-4200 Hydraulic Press Maintenance Manual > 5. Contacts",
            ],
            document.Sections.Select(Path));
        AssertSectionsWellFormed(document);
    }

    [Fact]
    public void MarkupIsGoneButTheWordsStay()
    {
        var document = Parse(FixtureDocuments.MaintenanceManual);

        Assert.DoesNotContain("**", document.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("# ", document.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("---", document.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("```", document.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("https://intranet.example", document.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("revision: C", document.Text, StringComparison.Ordinal);
        Assert.Contains("Read the lockout procedure before opening any guard.", document.Text, StringComparison.Ordinal);
        Assert.Contains("Maintenance lead for this machine: Ingrid Solberg (extension 2214).", document.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void OrderedStepsKeepTheirNumbersOneStepPerLine()
    {
        var section = SectionUnder(Parse(FixtureDocuments.MaintenanceManual), "1. Safety before maintenance");

        Assert.StartsWith("1. Stop the press at top dead centre and engage the ram safety block (part HP4-RB-220).\n2. Switch off", section, StringComparison.Ordinal);
        Assert.Contains("\n4. Wait 10 minutes", section, StringComparison.Ordinal);
        Assert.EndsWith("Never rely on the two-hand control alone. The ram safety block is mandatory for any work under the ram, however short.", section, StringComparison.Ordinal);
    }

    [Fact]
    public void TablesBecomeRowsOfCells()
    {
        var section = SectionUnder(Parse(FixtureDocuments.MaintenanceManual), "3.3 Torque values");

        Assert.Equal(
            "Joint | Thread | Torque\nCylinder head bolts | M24 | 640 N·m\nValve block mounting bolts | M12 | 85 N·m\n"
            + "Die clamp T-bolts | M20 | 310 N·m\nPump coupling set screw | M8 | 22 N·m",
            section);
    }

    [Fact]
    public void CodeBlocksKeepTheirLines()
    {
        var section = SectionUnder(Parse(FixtureDocuments.MaintenanceManual), "4. Diagnostics");

        Assert.Contains("run:\n\nhpdiag --read-faults --since 30d\nhpdiag --export csv > faults.csv\n\nFault E-417", section, StringComparison.Ordinal);
    }

    [Fact]
    public void RawHtmlInMarkdownIsReducedToItsText()
    {
        var parsed = ParseMarkdown("# Notes\n\n<div class=\"box\"><script>alert(1)</script><p>Inline &amp; <b>bold</b> note</p></div>\n\nAfter.\n");

        Assert.Equal("Notes\n\nInline & bold note\n\nAfter.", parsed.Text);
    }

    [Fact]
    public void WithoutAHeadingTheFirstTextHasAnEmptyPath()
    {
        var parsed = ParseMarkdown("Preamble line.\n\n## Later\n\nBody.\n");

        Assert.Null(parsed.Title);
        Assert.Equal(["", "Later"], parsed.Sections.Select(Path));
    }

    [Fact]
    public void UnpairedDelimitersStayInTheText()
    {
        var parsed = ParseMarkdown("# Notes\n\nArray [0 and [1 then *star and _under.\n");

        Assert.Equal("Notes\n\nArray [0 and [1 then *star and _under.", parsed.Text);
    }

    public static TheoryData<string, string> QuadraticShapes => new()
    {
        { "quotes nested on one line", new string('>', 20_000) + " text\n" },
        { "lists nested on one line", string.Concat(Enumerable.Repeat("- ", 10_000)) + "text\n" },
        { "lists nested by indentation", string.Concat(Enumerable.Range(0, 300).Select(i => new string(' ', 2 * i) + "- item\n")) },
        { "unpaired brackets in one paragraph", new string('[', 20_000) + "\n" },
        { "unpaired brackets in many paragraphs", string.Concat(Enumerable.Repeat(new string('[', 2_000) + "\n\n", 40)) },
        { "alternating emphasis", string.Concat(Enumerable.Repeat("*a", 20_000)) + "\n" },
        { "lines nested just under the limit", string.Concat(Enumerable.Repeat(string.Concat(Enumerable.Repeat("- ", 120)) + "x\n", 5_000)) },
    };

    [Theory]
    [MemberData(nameof(QuadraticShapes))]
    public void InputOnWhichMarkdigGoesQuadraticIsRefusedBeforeParsing(string shape, string markdown)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = _parsers.Parse(Encoding.UTF8.GetBytes(markdown), "text/markdown", null);

        DocumentParsersTests.AssertRejected(result, DocumentRejection.Malformed, "document_malformed");
        // Unguarded, these take Markdig from seconds to many minutes; the scan that refuses them is linear.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{shape}: took {clock.Elapsed}");
    }

    [Fact]
    public void ALargeOrdinaryDocumentIsNotMistakenForAnAttack()
    {
        var manual = Encoding.UTF8.GetString(FixtureDocuments.MaintenanceManual.Content);
        var large = string.Concat(Enumerable.Repeat(manual[manual.IndexOf("# HP-4200", StringComparison.Ordinal)..] + "\n", 300));

        var parsed = ParseMarkdown(large);

        Assert.Equal(300, parsed.Sections.Count(s => s.HeadingPath.Count > 0 && s.HeadingPath[^1] == "3.3 Torque values"));
    }

    private EdgeLlm.Retrieval.Ingestion.ParsedDocument ParseMarkdown(string markdown) =>
        Assert.IsType<DocumentParseResult.Parsed>(_parsers.Parse(Encoding.UTF8.GetBytes(markdown), "text/markdown", null)).Document;
}
