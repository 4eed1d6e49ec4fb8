using EdgeLlm.Retrieval.Ingestion;
using EdgeLlm.Retrieval.Ingestion.Parsing;
using EdgeLlm.Retrieval.Tests.Fixtures;

namespace EdgeLlm.Retrieval.Tests.Ingestion.Parsing;

/// <summary>Parsing fixtures and reading sections back as text.</summary>
internal static class ParsedFixtures
{
    public static ParsedDocument Parse(FixtureDocument fixture)
    {
        var result = new DocumentParsers().Parse(fixture.Content, fixture.ContentType, fixture.FileName);
        return Assert.IsType<DocumentParseResult.Parsed>(result).Document;
    }

    public static string SectionText(ParsedDocument document, DocumentSection section) =>
        document.Text[section.Start..section.End];

    /// <summary>The text of the section whose innermost heading is <paramref name="heading"/>.</summary>
    public static string SectionUnder(ParsedDocument document, string heading) =>
        SectionText(document, Assert.Single(document.Sections, s => s.HeadingPath.Count > 0 && s.HeadingPath[^1] == heading));

    public static string Path(DocumentSection section) => string.Join(" > ", section.HeadingPath);

    /// <summary>Every section lies in the text, in order, without overlap, and is trimmed and non-empty.</summary>
    public static void AssertSectionsWellFormed(ParsedDocument document)
    {
        var previousEnd = 0;
        foreach (var section in document.Sections)
        {
            Assert.True(section.Start >= previousEnd && section.End > section.Start && section.End <= document.Text.Length, $"[{section.Start}, {section.End})");
            var text = SectionText(document, section);
            Assert.Equal(text.Trim(), text);
            previousEnd = section.End;
        }
    }
}
