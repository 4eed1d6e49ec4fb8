namespace EdgeLlm.Inference.Speculation;

/// <summary>
/// How many draft tokens one job may propose, learnt from how its drafts fared, so that a job whose text cannot be
/// guessed stops paying for drafts while one that copies its prompt drafts long runs.
/// </summary>
/// <remarks>
/// A verify that accepted nothing backs off: the job then sits out 1 drafting step, after the next such verify 2,
/// then 4 … at most <see cref="MaxBackOffSteps"/>; any accepted draft resets the back-off to 1. Between back-offs
/// the allowance is the caller's maximum scaled by an exponentially weighted average of the accepted share of
/// drafts (weight <see cref="Weight"/> for the newest verify, starting at 1 so a new job tries the full length),
/// and at least 1. Protocol, once per step in which this job could have drafted (speculation on for the step, a
/// pending token): <see cref="Recorded"/> after a verify of the drafts it proposed, otherwise
/// <see cref="Skipped"/> (backing off, or the drafter found nothing); only these two advance the back-off, so
/// steps with speculation off for everyone do not count. Used from the scheduler's thread only.
/// </remarks>
internal sealed class DraftStats
{
    /// <summary>The longest back-off, in drafting steps.</summary>
    public const int MaxBackOffSteps = 32;

    /// <summary>The weight of the newest verify in the acceptance average.</summary>
    public const double Weight = 0.25;

    private int _stepsToSkip;
    private int _nextBackOff = 1;

    /// <summary>The weighted average share of proposed drafts accepted, 0-1.</summary>
    public double Acceptance { get; private set; } = 1;

    /// <summary>How many draft tokens this job may propose at this step, at most <paramref name="max"/>; 0 while backing off.</summary>
    public int Allowance(int max)
    {
        if (_stepsToSkip > 0 || max <= 0)
        {
            return 0;
        }

        return Math.Clamp((int)Math.Round(max * Acceptance, MidpointRounding.AwayFromZero), 1, max);
    }

    /// <summary>After a verify: <paramref name="accepted"/> of the <paramref name="proposed"/> drafts matched.</summary>
    public void Recorded(int proposed, int accepted)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(proposed, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(accepted);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(accepted, proposed);
        Acceptance = (Weight * accepted / proposed) + ((1 - Weight) * Acceptance);
        if (accepted == 0)
        {
            _stepsToSkip = _nextBackOff;
            _nextBackOff = Math.Min(_nextBackOff * 2, MaxBackOffSteps);
        }
        else
        {
            _stepsToSkip = 0;
            _nextBackOff = 1;
        }
    }

    /// <summary>A step this job could have drafted in but did not propose (backing off, or nothing to copy).</summary>
    public void Skipped()
    {
        if (_stepsToSkip > 0)
        {
            _stepsToSkip--;
        }
    }
}
