namespace EdgeLlm.Inference.Scheduling;

/// <summary>
/// Admission places by owner, taken by request threads and given back by the loop: the shared bound (sequences +
/// queue), and each key's and each tenant's bound. A key with nothing admitted always gets one place, even over the
/// shared bound, so a flood from other keys can delay it but never refuse it; the excess is at most one per key.
/// Without a configured <see cref="SchedulerSettings.MaxQueuedPerKey"/>, a key alone may take every place, and while
/// other keys are present (admitted within <see cref="SchedulerSettings.ShareWindow"/>) each may hold an equal part of
/// them: one key's flood cannot take the places another key's next requests need.
/// </summary>
internal sealed class ShareLedger(SchedulerSettings settings, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byTenant = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _keySeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _tenantSeen = new(StringComparer.Ordinal);
    private int _total;

    private int Places => settings.MaxSequences + settings.QueueCapacity;

    public ShareAdmission TryAdmit(RequestOwner? owner)
    {
        lock (_gate)
        {
            if (owner is null)
            {
                // The daemon's own request (a health check): bound by the shared places only.
                if (_total >= Places)
                {
                    return ShareAdmission.QueueFull;
                }

                _total++;
                return ShareAdmission.Admitted;
            }

            var now = time.GetUtcNow();
            var key = _byKey.GetValueOrDefault(owner.Key);
            var tenant = _byTenant.GetValueOrDefault(owner.Tenant);
            if (key >= Cap(_keySeen, _byKey, owner.Key, now) || tenant >= Cap(_tenantSeen, _byTenant, owner.Tenant, now))
            {
                return ShareAdmission.OwnShareFull;
            }

            if (key > 0 && _total >= Places)
            {
                return ShareAdmission.QueueFull;
            }

            _byKey[owner.Key] = key + 1;
            _byTenant[owner.Tenant] = tenant + 1;
            _keySeen[owner.Key] = now;
            _tenantSeen[owner.Tenant] = now;
            _total++;
            return ShareAdmission.Admitted;
        }
    }

    public void Release(RequestOwner? owner)
    {
        lock (_gate)
        {
            _total--;
            if (owner is null)
            {
                return;
            }

            Decrement(_byKey, owner.Key);
            Decrement(_byTenant, owner.Tenant);
        }
    }

    /// <summary>The places one key (or tenant) may hold: the configured share, or an equal part of all of them among those present.</summary>
    private int Cap(Dictionary<string, DateTimeOffset> seen, Dictionary<string, int> admitted, string name, DateTimeOffset now)
    {
        if (settings.MaxQueuedPerKey is not null)
        {
            return settings.AdmittedPerKey;
        }

        var others = 0;
        foreach (var (other, at) in seen.ToList())
        {
            if (admitted.ContainsKey(other) || now - at < settings.ShareWindow)
            {
                others += other == name ? 0 : 1;
            }
            else
            {
                seen.Remove(other);
            }
        }

        return Math.Min(settings.AdmittedPerKey, Math.Max(1, Places / (others + 1)));
    }

    private static void Decrement(Dictionary<string, int> counts, string name)
    {
        var left = counts[name] - 1;
        if (left == 0)
        {
            counts.Remove(name);
        }
        else
        {
            counts[name] = left;
        }
    }
}

internal enum ShareAdmission
{
    Admitted,

    /// <summary>Every shared sequence and queue place is taken.</summary>
    QueueFull,

    /// <summary>The key, or its tenant, has all the requests its share allows.</summary>
    OwnShareFull,
}
