using System.Text;
using EdgeLlm.Retrieval.Ingestion;
using EdgeLlm.Retrieval.Ingestion.Parsing;
using EdgeLlm.Retrieval.Tests.Fixtures;
using static EdgeLlm.Retrieval.Tests.Ingestion.Parsing.ParsedFixtures;

namespace EdgeLlm.Retrieval.Tests.Ingestion.Parsing;

public sealed class HtmlDocumentParserTests
{
    private readonly DocumentParsers _parsers = new();

    [Fact]
    public void TheInstructionsHeadingsGiveItsSectionsAndTheTitleComesFromTheTitleElement()
    {
        var document = Parse(FixtureDocuments.LockoutInstruction);

        Assert.Equal("SWI-117 Lockout/Tagout – Conveyor Line 3", document.Title);
        const string h1 = "Safety Work Instruction SWI-117: Lockout/Tagout for Conveyor Line 3";
        Assert.Equal(
            [h1, $"{h1} > 1. Energy sources", $"{h1} > 2. Lockout procedure", $"{h1} > 2. Lockout procedure > 2.1 Group lockout", $"{h1} > 3. Returning to service"],
            document.Sections.Select(Path));
        AssertSectionsWellFormed(document);
    }

    [Theory]
    [InlineData("SCRIPT-CANARY")]
    [InlineData("dataLayer")]
    [InlineData("STYLE-CANARY")]
    [InlineData("font-family")]
    [InlineData("NAV-CANARY")]
    [InlineData("BREADCRUMB-CANARY")]
    [InlineData("COMMENT-CANARY")]
    [InlineData("HIDDEN-CANARY")]
    [InlineData("INLINE-HIDDEN-CANARY")]
    [InlineData("TEMPLATE-CANARY")]
    [InlineData("NOSCRIPT-CANARY")]
    [InlineData("SVG-CANARY")]
    [InlineData("&nbsp;")]
    public void ScriptsStylesNavigationHiddenElementsAndCommentsAreDropped(string noise) =>
        Assert.DoesNotContain(noise, Parse(FixtureDocuments.LockoutInstruction).Text, StringComparison.Ordinal);

    [Fact]
    public void EntitiesAreDecodedAndWhitespaceCollapsed()
    {
        var document = Parse(FixtureDocuments.LockoutInstruction);

        Assert.Contains(
            "This instruction applies to everyone who clears jams, changes belts or works inside the guarding of Conveyor Line 3 "
            + "(the palletising line in Hall B). Follow it every time — even for a \"quick\" jam.",
            document.Text,
            StringComparison.Ordinal);
        Assert.Contains("key safe KS-2 <not in the control room>.", document.Text, StringComparison.Ordinal);
        Assert.Contains("SWI-009 & a phone call", document.Text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u00A0', document.Text);
        foreach (var heading in new[] { "1. Energy sources", "2. Lockout procedure", "2.1 Group lockout" })
        {
            Assert.DoesNotContain("  ", SectionUnder(document, heading), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TableRowsBecomeLinesOfCells()
    {
        var section = SectionUnder(Parse(FixtureDocuments.LockoutInstruction), "1. Energy sources");

        Assert.EndsWith(
            "\n\nEnergy | Isolation point | Location | Verification\n"
            + "Electrical (400 V) | Breaker CB-3-14 | Panel MCC-3, door 2 | Press START for 5 seconds\n"
            + "Pneumatic (6 bar) | Valve PV-308 | Air header above bay 12 | Gauge PG-308 reads 0 bar\n"
            + "Gravity (lift table) | Mechanical prop MP-3 | Stored on the lift frame | Prop pin engaged",
            section,
            StringComparison.Ordinal);
    }

    [Fact]
    public void ListItemsAreLinesOfOneBlockAndPreformattedTextKeepsItsLines()
    {
        var document = Parse(FixtureDocuments.LockoutInstruction);

        Assert.StartsWith(
            "Tell the line leader and the operators on Line 3 that you are locking out.\nStop the conveyor",
            SectionUnder(document, "2. Lockout procedure"),
            StringComparison.Ordinal);
        var returning = SectionUnder(document, "3. Returning to service");
        Assert.Contains("\n\nSign-off line:   ______________________\nDate / time:     ____ / ____\n\nDocument owner: Marcus Oyelaran", returning, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedHtmlStillParsesSensibly()
    {
        var parsed = ParseHtml("<html><body><h1>Unclosed <i>heading</h1><p>First paragraph<p>Second <b>bold <i>nested</b> text<div>Block<table><tr><td>a<td>b<tr><td>c</table>tail");

        Assert.Equal("Unclosed heading", parsed.Title);
        Assert.Equal("Unclosed heading\n\nFirst paragraph\n\nSecond bold nested text\n\nBlock\n\na | b\nc\n\ntail", parsed.Text);
    }

    [Fact]
    public void WithoutATitleElementTheFirstH1IsTheTitle()
    {
        var parsed = ParseHtml("<p>Intro</p><h2>Minor</h2><p>Minor body</p><h1>Main &amp; only</h1><p>Body</p>");

        Assert.Equal("Main & only", parsed.Title);
        Assert.Equal(["", "Minor", "Main & only"], parsed.Sections.Select(Path));
    }

    [Fact]
    public void EmbeddedAndLinkedResourcesContributeNoText()
    {
        var parsed = ParseHtml("<link rel=stylesheet href=\"file:///etc/passwd\"><img src=\"http://198.51.100.1/x.png\" alt=\"diagram\"><iframe src=\"file:///etc/shadow\"></iframe><p>Text</p>");

        Assert.Equal("Text", parsed.Text);
    }

    [Fact]
    public void DeepNestingParsesWithoutOverflowingTheStack()
    {
        var html = string.Concat(Enumerable.Repeat("<div><span>", 1_000)) + "deep text" + string.Concat(Enumerable.Repeat("</span></div>", 1_000));

        Assert.Equal("deep text", ParseHtml(html).Text);
    }

    [Fact]
    public void RunawayNestingIsStoppedByTheTimeAllowance()
    {
        var parsers = new DocumentParsers(new DocumentParsingLimits { HtmlParseTimePerMebibyte = TimeSpan.FromMilliseconds(200) });
        var html = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<div><b>", 50_000)) + "deep text");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var result = parsers.Parse(html, "text/html", null);

        var rejected = DocumentParsersTests.AssertRejected(result, DocumentRejection.Malformed, "document_malformed");
        Assert.Contains("too deeply nested or complex", rejected.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    private ParsedDocument ParseHtml(string html) =>
        Assert.IsType<DocumentParseResult.Parsed>(_parsers.Parse(Encoding.UTF8.GetBytes(html), "text/html", null)).Document;
}
