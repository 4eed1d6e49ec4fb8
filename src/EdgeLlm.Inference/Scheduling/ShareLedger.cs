namespace EdgeLlm.Inference.Scheduling;

/// <summary>
/// Admission places by owner, taken by request threads and given back by the loop: the shared bound (sequences +
/// queue), and each key's and each tenant's bound. A key with nothing admitted always gets one place, even over the
/// shared bound, so a flood from other keys can delay it but never refuse it; the excess is at most one per key.
/// </summary>
internal sealed class ShareLedger(SchedulerSettings settings)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byTenant = new(StringComparer.Ordinal);
    private int _total;

    public ShareAdmission TryAdmit(RequestOwner? owner)
    {
        lock (_gate)
        {
            if (owner is null)
            {
                // The daemon's own request (a health check): bound by the shared places only.
                if (_total >= settings.MaxSequences + settings.QueueCapacity)
                {
                    return ShareAdmission.QueueFull;
                }

                _total++;
                return ShareAdmission.Admitted;
            }

            var key = _byKey.GetValueOrDefault(owner.Key);
            var tenant = _byTenant.GetValueOrDefault(owner.Tenant);
            if (key >= settings.AdmittedPerKey || tenant >= settings.AdmittedPerKey)
            {
                return ShareAdmission.OwnShareFull;
            }

            if (key > 0 && _total >= settings.MaxSequences + settings.QueueCapacity)
            {
                return ShareAdmission.QueueFull;
            }

            _byKey[owner.Key] = key + 1;
            _byTenant[owner.Tenant] = tenant + 1;
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
