using EdgeLlm.Updates.Bundles;

namespace EdgeLlm.Updates.Sources;

/// <summary>
/// When the next check runs: <c>PullInterval</c> after one that reached the server; after failures on the link in a
/// row, the jittered back-off (doubling from <c>PullRetryDelay</c>, capped at <c>PullInterval</c>); and never later
/// than the moment the feed's state would change by time alone (its index expiring or growing too old).
/// </summary>
internal sealed class PullSchedule(TimeSpan interval, RetryBackoff backoff)
{
    private int _failures;

    /// <summary>How long to wait after a check that <paramref name="failed"/> (or not), given how long until the feed's state would change.</summary>
    public TimeSpan Next(bool failed, TimeSpan? untilFeedChange)
    {
        _failures = failed ? _failures + 1 : 0;
        var wait = _failures == 0 ? interval : backoff.Delay(_failures);
        return untilFeedChange is { } change && change < wait ? change : wait;
    }
}
