namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>
/// Why a document of a supported type was refused. Each has a stable code (see
/// <see cref="DocumentRejectionCodes.ToCode"/>) that goes into API errors and logs; never renamed.
/// </summary>
public enum DocumentRejection
{
    /// <summary><c>document_empty</c>: no bytes, or no text once the markup is gone.</summary>
    Empty,

    /// <summary><c>document_not_text</c>: declared as text but binary (NUL bytes, invalid UTF-8, a PDF/zip/ELF signature).</summary>
    NotText,

    /// <summary><c>document_malformed</c>: the format's structure is broken (not a .docx package, nested too deeply).</summary>
    Malformed,

    /// <summary><c>document_too_large</c>: over the byte limit, or a .docx that expands past its limits.</summary>
    TooLarge,
}

/// <summary>The stable wire codes of <see cref="DocumentRejection"/>.</summary>
public static class DocumentRejectionCodes
{
    public static string ToCode(this DocumentRejection rejection) => rejection switch
    {
        DocumentRejection.Empty => "document_empty",
        DocumentRejection.NotText => "document_not_text",
        DocumentRejection.Malformed => "document_malformed",
        DocumentRejection.TooLarge => "document_too_large",
        _ => throw new ArgumentOutOfRangeException(nameof(rejection), rejection, null),
    };
}
