namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>Picks a <see cref="DocumentType"/> from a declared content type and a file name.</summary>
internal static class DocumentTypeResolver
{
    private sealed record Format(DocumentType Type, string MediaType, string[] Aliases, string[] Extensions);

    private static readonly Format[] Formats =
    [
        new(DocumentType.PlainText, "text/plain", [], [".txt", ".text"]),
        new(DocumentType.Markdown, "text/markdown", ["text/x-markdown"], [".md", ".markdown"]),
        new(DocumentType.Html, "text/html", ["application/xhtml+xml"], [".html", ".htm"]),
        new(DocumentType.Docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", [], [".docx"]),
    ];

    // Browsers and curl send these when they do not know the type; the extension decides then.
    private static readonly string[] UndeclaredMediaTypes = ["application/octet-stream", "binary/octet-stream"];

    private const int MaxEchoedLength = 100;

    public static IReadOnlyList<string> AcceptedMediaTypes { get; } = [.. Formats.Select(f => f.MediaType)];

    public static IReadOnlyList<string> AcceptedTypeDescriptions { get; } =
        [.. Formats.Select(f => $"{f.MediaType} ({string.Join(", ", f.Extensions)})")];

    /// <summary>
    /// A specific declared type wins; a generic or absent one defers to the extension. Markdown is often
    /// uploaded as <c>text/plain</c>, so a <c>.md</c> name refines that one declaration.
    /// </summary>
    public static DocumentType? Resolve(string? contentType, string? fileName)
    {
        var mediaType = MediaTypeOf(contentType);
        var byExtension = ByExtension(fileName);
        if (mediaType is null || UndeclaredMediaTypes.Contains(mediaType))
        {
            return byExtension;
        }

        var declared = Formats.FirstOrDefault(f => f.MediaType == mediaType || f.Aliases.Contains(mediaType))?.Type;
        return declared == DocumentType.PlainText && byExtension == DocumentType.Markdown ? DocumentType.Markdown : declared;
    }

    /// <summary>How the refused upload described itself, trimmed to something safe to echo in an error.</summary>
    public static string Describe(string? contentType, string? fileName)
    {
        var mediaType = MediaTypeOf(contentType);
        if (mediaType is not null && !UndeclaredMediaTypes.Contains(mediaType))
        {
            return $"'{Echoable(mediaType)}'";
        }

        var extension = ExtensionOf(fileName);
        return extension is null ? "no content type and no file extension" : $"'{Echoable(extension)}' file";
    }

    private static DocumentType? ByExtension(string? fileName)
    {
        var extension = ExtensionOf(fileName);
        return extension is null ? null : Formats.FirstOrDefault(f => f.Extensions.Contains(extension))?.Type;
    }

    private static string? MediaTypeOf(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        // Parameters such as "; charset=utf-8" do not change the format; the bytes decide the encoding.
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var mediaType = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim().ToLowerInvariant();
        return mediaType.Length == 0 ? null : mediaType;
    }

    private static string? ExtensionOf(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return null;
        }

        // Upload names may come from any OS; take the last segment whatever the separator.
        var name = fileName[(fileName.LastIndexOfAny(['/', '\\']) + 1)..];
        var dot = name.LastIndexOf('.');
        return dot <= 0 || dot == name.Length - 1 ? null : name[dot..].Trim().ToLowerInvariant();
    }

    private static string Echoable(string value)
    {
        var printable = new string([.. value.Where(c => !char.IsControl(c))]);
        return printable.Length <= MaxEchoedLength ? printable : printable[..MaxEchoedLength] + "…";
    }
}
