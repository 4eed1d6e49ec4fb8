using EdgeLlm.Api.Guarding;
using EdgeLlm.Guardrails.Enforcement;

namespace EdgeLlm.Api.Tests.Guarding;

public sealed class GuardVerdictParserTests
{
    private static readonly string[] Categories = ["S1", "S2", "S10", "competitor_pricing"];

    [Theory]
    [InlineData("safe")]
    [InlineData("\n\nsafe\n")]
    public void SafeIsSafe(string answer) =>
        Assert.IsType<GuardVerdict.Safe>(GuardVerdictParser.Parse(answer, Categories));

    [Theory]
    [InlineData("unsafe\nS1", new[] { "S1" })]
    [InlineData("unsafe\nS10,S1", new[] { "S10", "S1" })]
    [InlineData("unsafe\nS2,S2,competitor_pricing", new[] { "S2", "competitor_pricing" })]
    public void UnsafeNamesItsCategoriesInOrderOnce(string answer, string[] expected) =>
        Assert.Equal(expected, Assert.IsType<GuardVerdict.Unsafe>(GuardVerdictParser.Parse(answer, Categories)).Categories);

    [Theory]
    [InlineData("unsafe\nS3")]
    [InlineData("unsafe\nS1,S11")]
    [InlineData("unsafe\ns1")]
    public void ACategoryThePromptDidNotListIsUnparsable(string answer) =>
        Assert.Equal(new GuardVerdict.Unavailable("unparsable"), GuardVerdictParser.Parse(answer, Categories));

    [Theory]
    [InlineData("")]
    [InlineData("unsafe")]
    [InlineData("unsafe\n")]
    [InlineData("unsafe\nS1,")]
    [InlineData("unsafe\nS1, S2")]
    [InlineData("unsafe\nS1\nS2")]
    [InlineData("Safe")]
    [InlineData("safe\nS1")]
    [InlineData("The answer looks safe to me.")]
    [InlineData(GuardVerdictFault.GarbageText)]
    public void AnythingElseIsUnparsable(string answer) =>
        Assert.Equal(new GuardVerdict.Unavailable("unparsable"), GuardVerdictParser.Parse(answer, Categories));
}
