using System.Collections.Concurrent;
using System.Security.Cryptography;
using EdgeLlm.Retrieval.Store;
using EdgeLlm.Storage;
using LiteDB;

namespace EdgeLlm.Api.Authentication;

/// <summary>
/// The API keys of this appliance, kept in the LiteDB control-plane file (<c>&lt;data-dir&gt;/state.db</c>).
/// The daemon holds one instance for its lifetime; the <c>edgellm keys</c> command opens another on the same
/// file while the daemon runs, which is why the file is opened in LiteDB's shared mode.
/// </summary>
/// <remarks>
/// <para>
/// Only the SHA-256 of each key's secret is stored. A fast hash is the right tool here, unlike for passwords:
/// the secret is 256 bits from a CSPRNG, so a stolen database cannot be brute-forced at any hashing speed,
/// while a deliberately slow hash (PBKDF2, bcrypt, Argon2) would only add CPU to every uncached request and
/// hand an attacker with garbage keys a cheap way to load the device.
/// </para>
/// <para>
/// Successful look-ups are cached in memory for <c>cacheTtl</c> (default 5 s), so a busy client does not hit
/// the file on every request. The cost: a key revoked by another process (the CLI) keeps working here for up
/// to that long. A key revoked through this instance stops at once.
/// </para>
/// </remarks>
public sealed class ApiKeyStore
{
    /// <summary>How long a successful look-up is trusted without reading the file again: 5 seconds.</summary>
    public static readonly TimeSpan DefaultCacheTtl = TimeSpan.FromSeconds(5);

    // Last-use times are for an operator hunting stale keys; a minute is precise enough and keeps
    // authentication from writing to the file more than once a minute per key.
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private readonly ILiteCollection<ApiKeyRecord> _keys;
    private readonly ILiteCollection<ApiKeyUsage> _usage;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheTtl;
    private readonly ConcurrentDictionary<string, CachedKey> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _usageWritten = new(StringComparer.Ordinal);

    // A look-up, its cache entry and its usage write belong together, so this store's calls run one at a time;
    // against the other store on the same database (and other processes) LiteDB's shared-mode mutex serializes them.
    private readonly Lock _gate = new();

    /// <summary>The keys kept in <paramref name="state"/>, with default caching.</summary>
    public ApiKeyStore(StateDatabase state)
        : this(state, DefaultCacheTtl, TimeProvider.System)
    {
    }

    /// <summary>The keys kept in <paramref name="state"/> (its <c>api_keys</c> and <c>api_key_usage</c> collections).</summary>
    /// <param name="state">The control-plane database; its owner opens and closes it.</param>
    /// <param name="cacheTtl">How long a successful look-up is cached; zero turns caching off.</param>
    /// <param name="timeProvider">The clock for creation, revocation, usage and cache expiry.</param>
    public ApiKeyStore(StateDatabase state, TimeSpan cacheTtl, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfLessThan(cacheTtl, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _time = timeProvider;
        _cacheTtl = cacheTtl;
        _keys = state.Database.GetCollection<ApiKeyRecord>("api_keys");
        _usage = state.Database.GetCollection<ApiKeyUsage>("api_key_usage");
    }

    /// <summary>Creates a key. The returned <see cref="CreatedApiKey.Key"/> is the only copy of its secret.</summary>
    /// <param name="name">A label, 1–64 characters of <c>[A-Za-z0-9._-]</c>.</param>
    /// <param name="tenant">The tenant, 1–64 characters of <c>[A-Za-z0-9._-]</c>.</param>
    /// <param name="scopes">One or more of <see cref="ApiScopes.All"/>; duplicates are ignored.</param>
    /// <param name="expiresAt">When the key stops authenticating; null for never.</param>
    /// <exception cref="ArgumentException">A name, tenant or scope is not valid; the message says which.</exception>
    public CreatedApiKey Create(string name, string tenant, IReadOnlyCollection<string> scopes, DateTimeOffset? expiresAt = null)
    {
        ApiKeyValidation.ThrowIfInvalidLabel(name, nameof(name));
        ApiKeyValidation.ThrowIfInvalidLabel(tenant, nameof(tenant));
        var distinctScopes = ApiKeyValidation.NormalizeScopes(scopes, nameof(scopes));

        var (id, key, secretHash) = ApiKeyFormat.Generate();
        var record = new ApiKeyRecord
        {
            Id = id,
            Name = name,
            Tenant = tenant,
            Scopes = distinctScopes,
            SecretHash = secretHash,
            CreatedAt = _time.GetUtcNow().UtcDateTime,
            ExpiresAt = expiresAt?.UtcDateTime,
        };
        lock (_gate)
        {
            _keys.Insert(record);
        }

        return new CreatedApiKey(key, record.ToInfo(lastUsedAt: null));
    }

    /// <summary>Every key, revoked ones included, oldest first. Never any secret.</summary>
    public IReadOnlyList<ApiKeyInfo> List()
    {
        List<ApiKeyRecord> records;
        Dictionary<string, DateTime> usage;
        lock (_gate)
        {
            records = _keys.FindAll().ToList();
            usage = _usage.FindAll().ToDictionary(u => u.Id, u => u.LastUsedAt, StringComparer.Ordinal);
        }

        return records
            .OrderBy(r => r.CreatedAt)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => r.ToInfo(usage.TryGetValue(r.Id, out var used) ? used : null))
            .ToList();
    }

    /// <summary>
    /// Revokes a key. Returns false when no key has that id; revoking an already revoked key returns true
    /// and keeps its first revocation time.
    /// </summary>
    public bool Revoke(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            var record = _keys.FindById(id);
            if (record is null)
            {
                return false;
            }

            if (record.RevokedAt is null)
            {
                record.RevokedAt = _time.GetUtcNow().UtcDateTime;
                _keys.Update(record);
            }
        }

        _cache.TryRemove(id, out _);
        return true;
    }

    /// <summary>Whether the key with this id exists, is not revoked and has not expired (no secret involved: for sessions it already signed in).</summary>
    public bool IsLive(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        ApiKeyRecord? record;
        lock (_gate)
        {
            record = _keys.FindById(id);
        }

        return record is { RevokedAt: null } && (record.ExpiresAt is not { } expires || new DateTimeOffset(expires.ToUniversalTime(), TimeSpan.Zero) > _time.GetUtcNow());
    }

    /// <summary>
    /// The key a client presented, when it is well formed, known, not revoked and its secret matches;
    /// otherwise null. Never throws for malformed input.
    /// </summary>
    public ApiKeyInfo? Authenticate(string? presentedKey) => Check(presentedKey).Key;

    /// <summary>Like <see cref="Authenticate"/>, but says why a key was refused, for the log.</summary>
    internal ApiKeyCheck Check(string? presentedKey)
    {
        if (!ApiKeyFormat.TryParse(presentedKey, out var id, out var presentedHash))
        {
            return new ApiKeyCheck(ApiKeyCheckOutcome.Malformed, null, null);
        }

        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(id, out var cached) && now < cached.ExpiresAt)
        {
            return !SecretMatches(cached.SecretHash, presentedHash) ? new ApiKeyCheck(ApiKeyCheckOutcome.WrongSecret, id, null)
                : cached.Info.ExpiresAt <= now ? new ApiKeyCheck(ApiKeyCheckOutcome.Expired, id, null)
                : new ApiKeyCheck(ApiKeyCheckOutcome.Accepted, id, cached.Info);
        }

        ApiKeyRecord? record;
        lock (_gate)
        {
            record = _keys.FindById(id);
        }

        // The secret is checked before revocation so that only a holder of the secret learns, through the
        // operator's log, that the key was revoked rather than never valid.
        if (record is null)
        {
            return new ApiKeyCheck(ApiKeyCheckOutcome.Unknown, id, null);
        }

        if (!SecretMatches(record.SecretHash, presentedHash))
        {
            return new ApiKeyCheck(ApiKeyCheckOutcome.WrongSecret, id, null);
        }

        if (record.RevokedAt is not null)
        {
            _cache.TryRemove(id, out _);
            return new ApiKeyCheck(ApiKeyCheckOutcome.Revoked, id, null);
        }

        if (record.ExpiresAt is { } expires && new DateTimeOffset(expires.ToUniversalTime(), TimeSpan.Zero) <= now)
        {
            return new ApiKeyCheck(ApiKeyCheckOutcome.Expired, id, null);
        }

        var lastUsed = RecordUse(id, now);
        var info = record.ToInfo(lastUsed);
        if (_cacheTtl > TimeSpan.Zero)
        {
            _cache[id] = new CachedKey(info, record.SecretHash, now + _cacheTtl);
        }

        return new ApiKeyCheck(ApiKeyCheckOutcome.Accepted, id, info);
    }

    // Both hashes are SHA-256 outputs; comparing in constant time keeps response timing from telling an
    // attacker how many leading bytes of a guess were right.
    private static bool SecretMatches(byte[] storedHash, byte[] presentedHash) =>
        CryptographicOperations.FixedTimeEquals(storedHash, presentedHash);

    private DateTime? RecordUse(string id, DateTimeOffset now)
    {
        if (_usageWritten.TryGetValue(id, out var written) && now - written < LastUsedResolution)
        {
            return written.UtcDateTime;
        }

        lock (_gate)
        {
            try
            {
                _usage.Upsert(new ApiKeyUsage { Id = id, LastUsedAt = now.UtcDateTime });
            }
            catch (Exception ex) when (DiskFull.Is(ex))
            {
                // The last-used time is a convenience: a full data disk must not refuse a valid key (inference goes on). Tried again at the next use.
                return now.UtcDateTime;
            }
        }

        _usageWritten[id] = now;
        return now.UtcDateTime;
    }

    private sealed record CachedKey(ApiKeyInfo Info, byte[] SecretHash, DateTimeOffset ExpiresAt);
}

/// <summary>Why <see cref="ApiKeyStore.Check"/> accepted or refused a key; only the log sees the difference.</summary>
internal enum ApiKeyCheckOutcome
{
    Malformed,
    Accepted,
    Unknown,
    WrongSecret,
    Revoked,
    Expired,
}

/// <summary>The outcome of checking a presented key, with its id when the key was well formed.</summary>
internal readonly record struct ApiKeyCheck(ApiKeyCheckOutcome Outcome, string? KeyId, ApiKeyInfo? Key);
