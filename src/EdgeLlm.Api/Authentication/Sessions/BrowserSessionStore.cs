using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace EdgeLlm.Api.Authentication.Sessions;

/// <summary>
/// The console's sessions, in memory: a restart signs everyone out, which is what an appliance that restarts for an
/// update should do. A session is found by the SHA-256 of its cookie value, so the store never holds a cookie that
/// could be replayed. At most <see cref="MaxSessions"/> live at once; the least recently used gives way.
/// </summary>
public sealed class BrowserSessionStore(TimeSpan idleTimeout, TimeSpan absoluteTimeout, ApiKeyStore keys, TimeProvider time)
{
    public const int MaxSessions = 256;

    // The key behind a session is looked up again this often, so a revoked key's sessions end within this time even
    // when the key was revoked by another process (the CLI).
    private static readonly TimeSpan KeyRecheck = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);

    /// <summary>Opens a session for <paramref name="key"/>; returns the cookie value (the only copy) and the session.</summary>
    public (string Cookie, BrowserSession Session) Open(ApiKeyInfo key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = time.GetUtcNow();
        var endsAt = now + absoluteTimeout;
        if (key.ExpiresAt is { } expires && expires < endsAt)
        {
            endsAt = expires;
        }

        var cookie = NewToken();
        var session = new BrowserSession(key, NewToken(), now, endsAt);
        MakeRoom();
        _sessions[Hash(cookie)] = new Entry(session) { LastSeen = now, KeyCheckedAt = now };
        return (cookie, session);
    }

    /// <summary>The live session a cookie names, touching its idle time; null when none (unknown, ended or timed out).</summary>
    public BrowserSession? Find(string? cookie)
    {
        if (string.IsNullOrEmpty(cookie) || cookie.Length > 128)
        {
            return null;
        }

        var id = Hash(cookie);
        if (!_sessions.TryGetValue(id, out var entry))
        {
            return null;
        }

        var now = time.GetUtcNow();
        lock (entry)
        {
            if (now >= entry.Session.EndsAt || now - entry.LastSeen >= idleTimeout || (now - entry.KeyCheckedAt >= KeyRecheck && !keys.IsLive(entry.Session.Key.Id)))
            {
                _sessions.TryRemove(id, out _);
                return null;
            }

            if (now - entry.KeyCheckedAt >= KeyRecheck)
            {
                entry.KeyCheckedAt = now;
            }

            entry.LastSeen = now;
            return entry.Session;
        }
    }

    /// <summary>Ends the session a cookie names; false when there was none.</summary>
    public bool End(string? cookie) => !string.IsNullOrEmpty(cookie) && _sessions.TryRemove(Hash(cookie), out _);

    /// <summary>Ends every session of one key (it was revoked); returns how many.</summary>
    public int EndAllOf(string keyId)
    {
        var ended = 0;
        foreach (var (id, entry) in _sessions)
        {
            if (string.Equals(entry.Session.Key.Id, keyId, StringComparison.Ordinal) && _sessions.TryRemove(id, out _))
            {
                ended++;
            }
        }

        return ended;
    }

    /// <summary>How many sessions are open now (timed-out ones not yet swept included).</summary>
    public int Count => _sessions.Count;

    private void MakeRoom()
    {
        while (_sessions.Count >= MaxSessions)
        {
            var oldest = _sessions.MinBy(s => s.Value.LastSeen);
            _sessions.TryRemove(oldest.Key, out _);
        }
    }

    private static string Hash(string cookie) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(cookie)));

    /// <summary>256 random bits as base64url: a cookie value or an anti-forgery token that needs no escaping anywhere.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed class Entry(BrowserSession session)
    {
        public BrowserSession Session { get; } = session;

        public DateTimeOffset LastSeen { get; set; }

        public DateTimeOffset KeyCheckedAt { get; set; }
    }
}
