using System.ComponentModel.DataAnnotations;

namespace EdgeLlm.Updates.Tests.Rollouts;

/// <summary>The rollout settings are checked at start-up, and the defaults are the documented ones.</summary>
public sealed class RolloutOptionsTests
{
    [Fact]
    public void TheDefaultsAreValidAndTakeTheDocumentedSteps()
    {
        var options = new UpdatesOptions();

        Assert.Empty(Problems(options));
        Assert.Equal([5, 25, 50, 100], options.EffectiveRolloutSteps);
        Assert.Equal((TimeSpan.FromMinutes(10), 20, 2), (options.RolloutInterval, options.RolloutMinSamples, options.RolloutFailureLimit));
    }

    [Fact]
    public void ConfiguredStepsReplaceTheDefaultOnes() =>
        Assert.Equal([10, 100], new UpdatesOptions { RolloutSteps = [10, 100] }.EffectiveRolloutSteps);

    [Theory]
    [InlineData(new[] { 25, 5, 100 })]
    [InlineData(new[] { 5, 25, 50 })]
    [InlineData(new[] { 0, 100 })]
    [InlineData(new[] { 50, 101 })]
    public void StepsThatDoNotRiseToOneHundredAreRefused(int[] steps) =>
        Assert.Contains(nameof(UpdatesOptions.RolloutSteps), Problems(new UpdatesOptions { RolloutSteps = [.. steps] }));

    [Fact]
    public void AnIntervalUnderASecondAndThresholdsOutOfRangeAreRefused()
    {
        var problems = Problems(new UpdatesOptions
        {
            RolloutInterval = TimeSpan.FromMilliseconds(500), RolloutMinSamples = 0, RolloutMaxErrorRateIncrease = 1.5, RolloutMaxTimeToFirstTokenRatio = 0.5,
            RolloutMinTokensPerSecondRatio = -0.1, RolloutFailureLimit = 0,
        });

        Assert.Equal(
            [nameof(UpdatesOptions.RolloutFailureLimit), nameof(UpdatesOptions.RolloutInterval), nameof(UpdatesOptions.RolloutMaxErrorRateIncrease),
             nameof(UpdatesOptions.RolloutMaxTimeToFirstTokenRatio), nameof(UpdatesOptions.RolloutMinSamples), nameof(UpdatesOptions.RolloutMinTokensPerSecondRatio)],
            problems.Order(StringComparer.Ordinal));
    }

    private static List<string> Problems(UpdatesOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        // The validator skips IValidatableObject while an attribute fails; run it as well, so one case can show both kinds.
        results.AddRange(options.Validate(new ValidationContext(options)));
        return [.. results.SelectMany(r => r.MemberNames).Distinct()];
    }
}
