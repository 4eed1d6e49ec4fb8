namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>
/// What became of an upload: <see cref="Parsed"/>, <see cref="UnsupportedMediaType"/> (HTTP 415), or
/// <see cref="Rejected"/> with a stable code. Messages name sizes, limits and types, never document text.
/// </summary>
public abstract record DocumentParseResult
{
    private DocumentParseResult()
    {
    }

    /// <summary>The document's text and structure, ready for chunking.</summary>
    public sealed record Parsed(ParsedDocument Document, DocumentType Type) : DocumentParseResult;

    /// <summary>
    /// Neither the declared content type nor the file name's extension names a supported format.
    /// <paramref name="Described"/> is what was offered ("'application/pdf'", "'.pdf' file", "no type").
    /// </summary>
    public sealed record UnsupportedMediaType(string Described) : DocumentParseResult
    {
        /// <summary>The media types accepted, each with its extensions, for the error message.</summary>
        public static IReadOnlyList<string> AcceptedTypes => DocumentTypeResolver.AcceptedTypeDescriptions;

        public string Message => $"Unsupported document type: {Described}. Accepted types: {string.Join(", ", AcceptedTypes)}.";
    }

    /// <summary>The document has a supported type but cannot be ingested.</summary>
    public sealed record Rejected(DocumentRejection Reason, string Message) : DocumentParseResult
    {
        /// <summary>The stable wire code, e.g. <c>document_not_text</c>.</summary>
        public string Code => Reason.ToCode();
    }
}
