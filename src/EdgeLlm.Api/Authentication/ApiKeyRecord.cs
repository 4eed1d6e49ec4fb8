namespace EdgeLlm.Api.Authentication;

/// <summary>
/// An API key as stored in the <c>api_keys</c> collection of <c>state.db</c>. Only the daemon's key store
/// and the <c>edgellm keys</c> command write it; neither ever writes the key text or the secret.
/// </summary>
internal sealed class ApiKeyRecord
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string Tenant { get; set; } = "";

    public string[] Scopes { get; set; } = [];

    /// <summary>SHA-256 of the 32 secret bytes.</summary>
    public byte[] SecretHash { get; set; } = [];

    public DateTime CreatedAt { get; set; }

    public DateTime? RevokedAt { get; set; }

    /// <summary>After this the key no longer authenticates; null for a key that does not expire.</summary>
    public DateTime? ExpiresAt { get; set; }

    public ApiKeyInfo ToInfo(DateTime? lastUsedAt) =>
        new(Id, Name, Tenant, Array.AsReadOnly(Scopes), Utc(CreatedAt), RevokedAt is { } revoked ? Utc(revoked) : null, lastUsedAt is { } used ? Utc(used) : null)
        {
            ExpiresAt = ExpiresAt is { } expires ? Utc(expires) : null,
        };

    // LiteDB hands dates back in local time unless told otherwise; normalise so callers always see UTC.
    private static DateTimeOffset Utc(DateTime value) => new(value.ToUniversalTime(), TimeSpan.Zero);
}

/// <summary>
/// When a key last authenticated, in its own <c>api_key_usage</c> collection. Kept apart from
/// <see cref="ApiKeyRecord"/> so the daemon's usage writes can never overwrite a revocation the
/// <c>edgellm keys</c> command wrote to the same file a moment earlier.
/// </summary>
internal sealed class ApiKeyUsage
{
    public string Id { get; set; } = "";

    public DateTime LastUsedAt { get; set; }
}
