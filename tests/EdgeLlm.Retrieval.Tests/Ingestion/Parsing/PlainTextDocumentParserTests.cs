using EdgeLlm.Retrieval.Tests.Fixtures;
using static EdgeLlm.Retrieval.Tests.Ingestion.Parsing.ParsedFixtures;

namespace EdgeLlm.Retrieval.Tests.Ingestion.Parsing;

public sealed class PlainTextDocumentParserTests
{
    [Fact]
    public void TheChangelogIsOneUntitledSectionOfParagraphsWithItsLinesKept()
    {
        var document = Parse(FixtureDocuments.FirmwareChangelog);

        Assert.Equal("EdgeCtl GW-500 Gateway Firmware Changelog", document.Title);
        var section = Assert.Single(document.Sections);
        Assert.Empty(section.HeadingPath);
        Assert.Equal(0, section.Start);
        Assert.Equal(document.Text.Length, section.End);
        Assert.Contains("Version 3.4.2 (released 14 May 2024)\n  Fixed:\n    - Modbus TCP polling", document.Text, StringComparison.Ordinal);
        Assert.Contains("(ticket GW-2291)", document.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n\n", document.Text, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', document.Text);
        AssertSectionsWellFormed(document);
    }
}
