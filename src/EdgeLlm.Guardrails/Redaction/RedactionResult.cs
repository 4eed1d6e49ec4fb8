namespace EdgeLlm.Guardrails.Redaction;

/// <summary>The outcome of redacting one text.</summary>
/// <param name="Text">
/// The text with every redact and mask action applied. When <paramref name="BlockedFamily"/> is set, blocked entities
/// are replaced by placeholders too, so whoever logs it leaks nothing; it must still not be forwarded.
/// </param>
/// <param name="Decisions">One entry per family and action taken, in the order first met.</param>
/// <param name="BlockedFamily">The first family whose action is <see cref="RedactionAction.Block"/>, if any was found.</param>
public sealed record RedactionResult(string Text, IReadOnlyList<RedactionDecision> Decisions, string? BlockedFamily)
{
    public bool IsBlocked => BlockedFamily is not null;
}
