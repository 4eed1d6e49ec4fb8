namespace EdgeLlm.Api.Authentication;

/// <summary>What the store knows about an API key: everything except the secret, which it never keeps.</summary>
/// <param name="Id">The public key id, the part after <c>ellm_</c>; safe to log and to show.</param>
/// <param name="Name">The operator's label for the key (who or what uses it).</param>
/// <param name="Tenant">The tenant the key acts for; it sees only that tenant's collections.</param>
/// <param name="Scopes">The scopes from <see cref="ApiScopes"/> the key carries.</param>
/// <param name="CreatedAt">When the key was created (UTC, millisecond precision).</param>
/// <param name="RevokedAt">When the key was revoked, or null while it is live.</param>
/// <param name="LastUsedAt">When the key last authenticated, to within about a minute, or null if never.</param>
public sealed record ApiKeyInfo(
    string Id,
    string Name,
    string Tenant,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt)
{
    /// <summary>Whether the key has been revoked and no longer authenticates.</summary>
    public bool IsRevoked => RevokedAt is not null;

    /// <summary>When the key stops authenticating, or null when it does not expire.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>A newly created key: the only moment the full key text exists outside its holder.</summary>
/// <param name="Key">The full key, <c>ellm_&lt;id&gt;_&lt;secret&gt;</c>. Show it once; it cannot be recovered.</param>
/// <param name="Info">What the store recorded about it.</param>
public sealed record CreatedApiKey(string Key, ApiKeyInfo Info)
{
    /// <summary>Leaves the key out, so logging or printing the record cannot leak it.</summary>
    public override string ToString() => $"CreatedApiKey {{ Id = {Info.Id}, Tenant = {Info.Tenant} }}";
}
