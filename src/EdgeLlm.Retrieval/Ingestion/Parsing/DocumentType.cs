namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>The document formats ingestion understands.</summary>
public enum DocumentType
{
    /// <summary>Plain text (<c>text/plain</c>, <c>.txt</c>).</summary>
    PlainText,

    /// <summary>Markdown (<c>text/markdown</c>, <c>.md</c>).</summary>
    Markdown,

    /// <summary>HTML (<c>text/html</c>, <c>.html</c>).</summary>
    Html,

    /// <summary>Word (<c>application/vnd.openxmlformats-officedocument.wordprocessingml.document</c>, <c>.docx</c>).</summary>
    Docx,
}
