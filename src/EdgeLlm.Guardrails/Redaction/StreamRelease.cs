namespace EdgeLlm.Guardrails.Redaction;

/// <summary>What a <see cref="StreamingOutputFilter"/> lets through after one token, or at the end of the stream.</summary>
/// <param name="Text">Text that can no longer be part of a match, redacted; empty when everything is still held.</param>
/// <param name="BlockedFamily">
/// Set once a blocked entity was found: send <paramref name="Text"/> (what came before the entity, possibly empty), then
/// end the stream (<c>content_filter</c>).
/// </param>
public readonly record struct StreamRelease(string Text, string? BlockedFamily)
{
    public bool IsBlocked => BlockedFamily is not null;

    internal static StreamRelease Nothing => new(string.Empty, null);
}
