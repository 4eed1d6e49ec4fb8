namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>
/// The entry point from uploaded bytes to a <see cref="ParsedDocument"/>: picks the parser from the
/// declared content type and/or the file name, enforces the limits, and reports every expected failure
/// as a <see cref="DocumentParseResult"/>; bad input never throws. Thread-safe.
/// </summary>
public sealed class DocumentParsers
{
    private readonly DocumentParsingLimits _limits;

    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative.</exception>
    public DocumentParsers(DocumentParsingLimits? limits = null)
    {
        _limits = limits ?? new DocumentParsingLimits();
        _limits.Validate();
    }

    /// <summary>The media types accepted, e.g. for an <c>Accept</c> hint or a 415 message.</summary>
    public static IReadOnlyList<string> AcceptedMediaTypes => DocumentTypeResolver.AcceptedMediaTypes;

    /// <summary>
    /// The format an upload will be parsed as, or null when unsupported. A specific declared type wins
    /// (parameters such as charset are ignored); an absent or <c>application/octet-stream</c> one defers to
    /// the extension; <c>text/plain</c> with a <c>.md</c> name is Markdown. Lets the API refuse with 415
    /// before reading the body.
    /// </summary>
    public static DocumentType? ResolveType(string? contentType, string? fileName) => DocumentTypeResolver.Resolve(contentType, fileName);

    /// <summary>Parses a whole upload held in memory.</summary>
    public DocumentParseResult Parse(ReadOnlyMemory<byte> content, string? contentType, string? fileName)
    {
        if (ResolveType(contentType, fileName) is not { } type)
        {
            return new DocumentParseResult.UnsupportedMediaType(DocumentTypeResolver.Describe(contentType, fileName));
        }

        if (content.Length == 0)
        {
            return new DocumentParseResult.Rejected(DocumentRejection.Empty, "The document is empty.");
        }

        if (content.Length > _limits.MaxDocumentBytes)
        {
            return TooLarge();
        }

        var result = type == DocumentType.Docx ? DocxDocumentParser.Parse(content, _limits) : ParseText(content.Span, type);
        // Headings alone make no section, so nothing could be chunked or found.
        return result is DocumentParseResult.Parsed parsed && parsed.Document.Sections.Count == 0
            ? new DocumentParseResult.Rejected(DocumentRejection.Empty, "The document contains no text (or only headings).")
            : result;
    }

    /// <summary>
    /// Reads an upload stream up to the byte limit, then parses it. Reading stops at the first byte over
    /// the limit, so an oversized upload costs no more than the limit in memory.
    /// </summary>
    public async Task<DocumentParseResult> ParseAsync(Stream content, string? contentType, string? fileName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (ResolveType(contentType, fileName) is null)
        {
            return new DocumentParseResult.UnsupportedMediaType(DocumentTypeResolver.Describe(contentType, fileName));
        }

        if (content.CanSeek && content.Length - content.Position > _limits.MaxDocumentBytes)
        {
            return TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > _limits.MaxDocumentBytes)
            {
                return TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), contentType, fileName);
    }

    private DocumentParseResult ParseText(ReadOnlySpan<byte> content, DocumentType type)
    {
        if (TextDecoder.Decode(content, out var whyNot) is not { } text)
        {
            return new DocumentParseResult.Rejected(DocumentRejection.NotText, whyNot);
        }

        try
        {
            return type switch
            {
                DocumentType.Markdown => MarkdownDocumentParser.Parse(text, _limits),
                DocumentType.Html => new DocumentParseResult.Parsed(HtmlTextExtractor.ParseDocument(text, _limits), DocumentType.Html),
                _ => new DocumentParseResult.Parsed(PlainTextDocumentParser.Parse(text), DocumentType.PlainText),
            };
        }
        catch (DocumentLimitExceededException exception)
        {
            return new DocumentParseResult.Rejected(exception.Reason, exception.Message);
        }
    }

    private DocumentParseResult.Rejected TooLarge() =>
        new(DocumentRejection.TooLarge, $"The document is larger than {_limits.MaxDocumentBytes} bytes.");
}
