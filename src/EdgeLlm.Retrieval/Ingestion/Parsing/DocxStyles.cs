using System.Globalization;
using System.Xml;

namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>
/// Which paragraph styles are headings, and at what level: the built-in "heading 1".."heading 9" and
/// "Title" by name (Word stores built-in names in English even when it shows them translated), an
/// outline level on the style, or either inherited through <c>w:basedOn</c>.
/// </summary>
internal sealed class DocxStyles
{
    private sealed record Style(string? Name, string? BasedOn, int? OutlineLevel);

    // basedOn chains are short in practice; the bound also breaks cycles in hostile files.
    private const int MaxInheritanceHops = 16;

    /// <summary>The level a Title paragraph gets: above Heading 1, so its sections nest under it.</summary>
    public const int TitleLevel = 0;

    private readonly Dictionary<string, Style> _styles;

    private DocxStyles(Dictionary<string, Style> styles) => _styles = styles;

    public static DocxStyles None { get; } = new([]);

    /// <summary>The styles of a styles part, or null when it nests deeper than <paramref name="maxDepth"/>.</summary>
    public static DocxStyles? Read(XmlReader reader, int maxDepth)
    {
        var styles = new Dictionary<string, Style>(StringComparer.Ordinal);
        string? id = null;
        Style current = new(null, null, null);
        while (reader.Read())
        {
            if (reader.Depth > maxDepth)
            {
                return null;
            }

            if (!DocxXml.IsWord(reader))
            {
                continue;
            }

            if (reader.NodeType == XmlNodeType.Element)
            {
                switch (reader.LocalName)
                {
                    case "style":
                        id = DocxXml.Attribute(reader, "styleId");
                        current = new(null, null, null);
                        break;
                    case "name" when id is not null:
                        current = current with { Name = DocxXml.Value(reader) };
                        break;
                    case "basedOn" when id is not null:
                        current = current with { BasedOn = DocxXml.Value(reader) };
                        break;
                    case "outlineLvl" when id is not null:
                        current = current with { OutlineLevel = ParseLevel(DocxXml.Value(reader)) };
                        break;
                }
            }

            if (reader.LocalName == "style" && (reader.NodeType == XmlNodeType.EndElement || reader.IsEmptyElement) && id is not null)
            {
                styles.TryAdd(id, current);
                id = null;
            }
        }

        return new DocxStyles(styles);
    }

    /// <summary>The heading level of a paragraph style: 0 for Title, 1-9 for headings, null for body text.</summary>
    public int? HeadingLevel(string? styleId)
    {
        for (var hop = 0; styleId is not null && hop < MaxInheritanceHops; hop++)
        {
            if (!_styles.TryGetValue(styleId, out var style))
            {
                return LevelFromName(styleId.Replace("Heading", "heading ", StringComparison.Ordinal));
            }

            if ((LevelFromName(style.Name) ?? OutlineToHeading(style.OutlineLevel)) is { } level)
            {
                return level;
            }

            // Outline level 9 is Word's explicit "body text": not a heading, whatever the base style.
            if (style.OutlineLevel == 9)
            {
                return null;
            }

            styleId = style.BasedOn;
        }

        return null;
    }

    /// <summary>A paragraph's own <c>w:outlineLvl</c> (0-8, 9 = body text) as a heading level.</summary>
    public static int? OutlineToHeading(int? outlineLevel) => outlineLevel is >= 0 and <= 8 ? outlineLevel + 1 : null;

    public static int? ParseLevel(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var level) ? level : null;

    private static int? LevelFromName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.Equals(trimmed, "title", StringComparison.OrdinalIgnoreCase))
        {
            return TitleLevel;
        }

        return trimmed is { Length: 9 } && trimmed.StartsWith("heading ", StringComparison.OrdinalIgnoreCase) && trimmed[8] is >= '1' and <= '9'
            ? trimmed[8] - '0'
            : null;
    }
}
