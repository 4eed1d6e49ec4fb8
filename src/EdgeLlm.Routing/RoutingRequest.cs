namespace EdgeLlm.Routing;

/// <summary>What a rule may look at in a request.</summary>
/// <param name="ApiKeyId">The caller's key id, or null without authentication.</param>
/// <param name="Tenant">The caller's tenant, or null.</param>
/// <param name="Text">The last user message (chat) or the prompt (completion).</param>
/// <param name="Features">The features the request asks for (<see cref="RoutingFeatures"/>).</param>
public sealed record RoutingRequest(string? ApiKeyId, string? Tenant, string Text, IReadOnlySet<string> Features)
{
    /// <summary>
    /// The text's length in rough tokens: characters / 4, rounded up. Target-independent on purpose, so one rule
    /// means the same length whichever model it sends to; English text runs about four characters a token.
    /// </summary>
    public int RoughTokens => (Text.Length + 3) / 4;

    /// <summary>
    /// The text's unit embeddings by classifier model, as <see cref="RouteResolver.PrepareAsync"/> added them; a
    /// classifier rule whose model has none here does not match.
    /// </summary>
    public IReadOnlyDictionary<string, float[]> Embeddings { get; init; } = new Dictionary<string, float[]>();
}
