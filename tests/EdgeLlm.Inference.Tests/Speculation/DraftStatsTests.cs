using EdgeLlm.Inference.Speculation;

namespace EdgeLlm.Inference.Tests.Speculation;

public sealed class DraftStatsTests
{
    [Fact]
    public void ANewJobMayProposeTheFullMaximum()
    {
        var stats = new DraftStats();

        Assert.Equal(8, stats.Allowance(8));
        Assert.Equal(0, stats.Allowance(0));
    }

    [Fact]
    public void EachVerifyThatAcceptsNothingDoublesTheStepsSatOutUpTo32()
    {
        var stats = new DraftStats();
        var backOffs = new List<int>();
        for (var failure = 0; failure < 8; failure++)
        {
            stats.Recorded(stats.Allowance(8), accepted: 0);
            backOffs.Add(StepsUntilAllowed(stats));
        }

        Assert.Equal([1, 2, 4, 8, 16, 32, 32, 32], backOffs);
    }

    [Fact]
    public void AnAcceptedDraftEndsTheBackOffAndResetsItsLength()
    {
        var stats = new DraftStats();
        for (var failure = 0; failure < 4; failure++)
        {
            stats.Recorded(stats.Allowance(8), accepted: 0);
            StepsUntilAllowed(stats);
        }

        stats.Recorded(stats.Allowance(8), accepted: 0); // Now backing off for 16 steps.
        stats.Skipped();
        Assert.Equal(0, stats.Allowance(8));

        stats.Recorded(1, accepted: 1); // A verify in flight when the back-off began still counts.
        Assert.True(stats.Allowance(8) > 0);
        stats.Recorded(stats.Allowance(8), accepted: 0);
        Assert.Equal(1, StepsUntilAllowed(stats));
    }

    [Fact]
    public void LowAcceptanceShrinksTheAllowanceToOneAndHighAcceptanceGrowsItBack()
    {
        var stats = new DraftStats();
        var shrinking = new List<int>();
        for (var failure = 0; failure < 12; failure++)
        {
            var allowance = stats.Allowance(8);
            shrinking.Add(allowance);
            stats.Recorded(allowance, accepted: 0);
            StepsUntilAllowed(stats);
        }

        Assert.Equal(shrinking.OrderByDescending(k => k), shrinking);
        Assert.Equal(8, shrinking[0]);
        Assert.Equal(1, shrinking[^1]);

        var growing = new List<int>();
        for (var success = 0; success < 20; success++)
        {
            var allowance = stats.Allowance(8);
            growing.Add(allowance);
            stats.Recorded(allowance, accepted: allowance);
        }

        Assert.Equal(growing.Order(), growing);
        Assert.Equal(8, growing[^1]);
    }

    [Fact]
    public void HalfTheDraftsAcceptedSettlesNearHalfTheMaximum()
    {
        var stats = new DraftStats();
        for (var step = 0; step < 50; step++)
        {
            var allowance = stats.Allowance(8);
            stats.Recorded(allowance, accepted: Math.Max(1, allowance / 2));
        }

        Assert.InRange(stats.Allowance(8), 4, 5);
        Assert.InRange(stats.Acceptance, 0.45, 0.65);
    }

    [Fact]
    public void DraftsThatAreNeverAcceptedCostAlmostNothingOverALongAnswer()
    {
        var stats = new DraftStats();
        var proposed = 0;
        const int Steps = 10_000;
        for (var step = 0; step < Steps; step++)
        {
            var allowance = stats.Allowance(8);
            if (allowance == 0)
            {
                stats.Skipped();
                continue;
            }

            proposed += allowance;
            stats.Recorded(allowance, accepted: 0);
        }

        // After the first few failures: one 1-token draft every 33 steps.
        Assert.True(proposed < Steps * 0.05, $"{proposed} draft tokens over {Steps} steps");
    }

    [Fact]
    public void SkippedStepsOutsideABackOffChangeNothing()
    {
        var stats = new DraftStats();
        stats.Recorded(8, accepted: 4);
        var before = stats.Allowance(8);

        stats.Skipped();
        stats.Skipped();

        Assert.Equal(before, stats.Allowance(8));
    }

    [Fact]
    public void AVerifyCannotAcceptMoreThanItProposed()
    {
        var stats = new DraftStats();

        Assert.Throws<ArgumentOutOfRangeException>(() => stats.Recorded(2, accepted: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => stats.Recorded(0, accepted: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => stats.Recorded(2, accepted: -1));
    }

    /// <summary>Skips steps until drafting is allowed again; returns how many were sat out.</summary>
    private static int StepsUntilAllowed(DraftStats stats)
    {
        var skipped = 0;
        while (stats.Allowance(8) == 0)
        {
            stats.Skipped();
            skipped++;
            Assert.True(skipped <= DraftStats.MaxBackOffSteps);
        }

        return skipped;
    }
}
