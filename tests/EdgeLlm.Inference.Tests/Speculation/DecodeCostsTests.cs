using EdgeLlm.Inference.Speculation;

namespace EdgeLlm.Inference.Tests.Speculation;

public sealed class DecodeCostsTests
{
    [Fact]
    public void WhenStepsCostAboutTheSameWhateverTheyCarryDraftsPayEvenAtModestAcceptance()
    {
        var costs = Measured(tokens => 0.020 + (0.0005 * tokens));

        Assert.Equal(8, costs.BestDrafts(0, 8, 1.0));
        Assert.True(costs.BestDrafts(0, 8, 0.5) >= 2);
        Assert.Equal(0, costs.BestDrafts(0, 8, 0.01));
    }

    [Fact]
    public void WhenStepsCostNearlyInProportionToTheirTokensOnlyLikelyDraftsPay()
    {
        // Measured on this project's 2-core machine with the 1.1B Q4_0, in ms by tokens per step.
        var measured = new Dictionary<int, double> { [1] = 21.0, [2] = 39.0, [3] = 56.9, [4] = 64.6, [5] = 81.0, [8] = 118.1, [9] = 134.0 };
        var costs = new DecodeCosts(64);
        foreach (var (tokens, ms) in measured)
        {
            costs.Observe(tokens, TimeSpan.FromMilliseconds(ms));
        }

        Assert.Equal(7, costs.BestDrafts(0, 8, 1.0));
        Assert.Equal(3, costs.BestDrafts(0, 8, 0.9));
        Assert.Equal(0, costs.BestDrafts(0, 8, 0.8));
        Assert.Equal(0, costs.BestDrafts(0, 8, 0.5));
    }

    [Fact]
    public void OtherStreamsTokensInTheStepCountTowardsItsCost()
    {
        var costs = Measured(tokens => tokens <= 2 ? 0.020 : 0.020 * tokens);

        // Alone, one draft shares the two-token price; beside another stream's token it would make the step dearer.
        Assert.Equal(1, costs.BestDrafts(0, 1, 0.9));
        Assert.Equal(0, costs.BestDrafts(1, 1, 0.9));
    }

    [Fact]
    public void SizesNotMeasuredAreEstimatedBetweenTheirNeighboursAndOptimisticallyAboveTheLargest()
    {
        var costs = new DecodeCosts(64);
        Assert.Equal(1, costs.Seconds(5));

        costs.Observe(1, TimeSpan.FromMilliseconds(10));
        costs.Observe(9, TimeSpan.FromMilliseconds(90));

        Assert.Equal(0.050, costs.Seconds(5), 6);
        Assert.Equal(0.090, costs.Seconds(20), 6);
        Assert.Equal(0.010, costs.Seconds(1), 6);
    }

    [Fact]
    public void EachSizeFollowsItsRecentSteps()
    {
        var costs = new DecodeCosts(8);
        costs.Observe(2, TimeSpan.FromMilliseconds(100));
        for (var i = 0; i < 40; i++)
        {
            costs.Observe(2, TimeSpan.FromMilliseconds(20));
        }

        Assert.Equal(0.020, costs.Seconds(2), 3);
        costs.Observe(0, TimeSpan.FromSeconds(1));
        costs.Observe(9, TimeSpan.FromSeconds(1));
        Assert.Equal(0.020, costs.Seconds(2), 3);
    }

    private static DecodeCosts Measured(Func<int, double> seconds)
    {
        var costs = new DecodeCosts(64);
        for (var tokens = 1; tokens <= 16; tokens++)
        {
            costs.Observe(tokens, TimeSpan.FromSeconds(seconds(tokens)));
        }

        return costs;
    }
}
