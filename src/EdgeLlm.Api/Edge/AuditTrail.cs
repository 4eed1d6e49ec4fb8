namespace EdgeLlm.Api.Edge;

/// <summary>
/// The most recent audit entries in memory, newest first, for <c>GET /admin/audit</c> and the console. The whole trail
/// (kept across restarts and rotated with the logs) is the audit file; this is the window an operator looks at.
/// </summary>
public sealed class AuditTrail
{
    public const int Capacity = 1000;
    private readonly AuditEntry[] _ring = new AuditEntry[Capacity];
    private readonly Lock _gate = new();
    private long _written;

    public void Record(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            _ring[_written % Capacity] = entry;
            _written++;
        }
    }

    /// <summary>Up to <paramref name="limit"/> entries, newest first.</summary>
    public IReadOnlyList<AuditEntry> Recent(int limit)
    {
        lock (_gate)
        {
            var count = (int)Math.Min(Math.Min(limit, Capacity), _written);
            var recent = new List<AuditEntry>(count);
            for (var i = 1; i <= count; i++)
            {
                recent.Add(_ring[(_written - i) % Capacity]);
            }

            return recent;
        }
    }
}

/// <summary>
/// One audited event: an admin request (<c>admin</c>), a request refused for security reasons (<c>refused</c>), or a
/// console sign-in, refused sign-in or sign-out (<c>signin</c>, <c>signin_refused</c>, <c>signout</c>).
/// </summary>
public sealed record AuditEntry(
    DateTimeOffset At,
    string Kind,
    string? KeyId,
    string? Tenant,
    string Method,
    string Path,
    int Status,
    string? Code,
    string? RemoteAddress);
