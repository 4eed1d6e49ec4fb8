namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>
/// Raised inside a third-party parser's callback or stream (XmlReader, AngleSharp), the only way to stop
/// it midway; <see cref="DocumentParsers"/> turns it into a <see cref="DocumentParseResult.Rejected"/>.
/// </summary>
internal sealed class DocumentLimitExceededException(DocumentRejection reason, string message) : Exception(message)
{
    public DocumentRejection Reason { get; } = reason;
}
