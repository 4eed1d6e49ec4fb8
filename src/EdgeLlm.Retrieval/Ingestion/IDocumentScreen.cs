namespace EdgeLlm.Retrieval.Ingestion;

/// <summary>
/// Screens a document's chunks before they are embedded or stored: the guardrail policy's rules for retrieved text,
/// for the tenant that owns the collection. Without one, chunks are stored as parsed.
/// </summary>
public interface IDocumentScreen
{
    /// <summary>The chunks' texts as they may be embedded and stored, in order; or the rule that refuses the document.</summary>
    DocumentScreening Screen(string tenant, IReadOnlyList<string> texts);
}

/// <param name="Texts">The screened texts, one per chunk; null when the document is blocked.</param>
/// <param name="BlockedBy">The deny rule or PII family that refuses the document; never the text it matched.</param>
public sealed record DocumentScreening(IReadOnlyList<string>? Texts, string? BlockedBy);
