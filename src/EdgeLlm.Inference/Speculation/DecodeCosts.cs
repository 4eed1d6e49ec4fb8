namespace EdgeLlm.Inference.Speculation;

/// <summary>
/// How long a decode step takes by the number of tokens it carries, learnt from the steps the scheduler runs, and
/// how many drafts pay for themselves. On a GPU a step of a few more tokens costs about what one token costs, so
/// drafts are nearly free; on a CPU a step is compute-bound and costs almost in proportion to its tokens (the
/// synthetic 1.1B Q4_0 on this project's 2-core machine: 21 ms for 1 token, 64 ms for 4, 118 ms for 8), so drafts
/// win only when nearly all of them are accepted. Choosing by measured cost keeps speculation from ever making a
/// stream slower on either.
/// </summary>
/// <remarks>
/// A step size not measured yet is estimated between the nearest measured sizes around it, or, above the largest
/// measured, as costing no more than it (optimistic, so that the size gets tried and measured). Used from the
/// scheduler's thread only.
/// </remarks>
internal sealed class DecodeCosts(int maxTokens)
{
    /// <summary>The weight of the newest step in each size's average.</summary>
    public const double Weight = 0.2;

    private readonly double[] _seconds = new double[maxTokens + 1];

    /// <summary>A step carrying <paramref name="tokens"/> tokens took <paramref name="elapsed"/>.</summary>
    public void Observe(int tokens, TimeSpan elapsed)
    {
        if (tokens < 1 || tokens >= _seconds.Length || elapsed <= TimeSpan.Zero)
        {
            return;
        }

        var seconds = elapsed.TotalSeconds;
        _seconds[tokens] = _seconds[tokens] == 0 ? seconds : (Weight * seconds) + ((1 - Weight) * _seconds[tokens]);
    }

    /// <summary>
    /// How many drafts, 0 to <paramref name="room"/>, give a stream the most tokens per second when each is accepted
    /// with probability <paramref name="acceptance"/> (a run of drafts stops at the first rejected one) and the step
    /// carries <paramref name="otherTokens"/> tokens of other streams.
    /// </summary>
    public int BestDrafts(int otherTokens, int room, double acceptance)
    {
        var best = 0;
        var bestRate = 1 / Seconds(otherTokens + 1);
        var expected = 1.0;
        var run = 1.0;
        for (var drafts = 1; drafts <= room && otherTokens + 1 + drafts < _seconds.Length; drafts++)
        {
            run *= acceptance;
            expected += run;
            var rate = expected / Seconds(otherTokens + 1 + drafts);
            if (rate > bestRate)
            {
                (best, bestRate) = (drafts, rate);
            }
        }

        return best;
    }

    /// <summary>The measured or estimated seconds of a step of <paramref name="tokens"/> tokens; 1 when nothing is measured.</summary>
    internal double Seconds(int tokens)
    {
        if (_seconds[tokens] > 0)
        {
            return _seconds[tokens];
        }

        var below = tokens - 1;
        while (below > 0 && _seconds[below] == 0)
        {
            below--;
        }

        var above = tokens + 1;
        while (above < _seconds.Length && _seconds[above] == 0)
        {
            above++;
        }

        return (below > 0, above < _seconds.Length) switch
        {
            (true, true) => _seconds[below] + ((_seconds[above] - _seconds[below]) * (tokens - below) / (above - below)),
            (true, false) => _seconds[below],
            (false, true) => _seconds[above],
            _ => 1,
        };
    }
}
