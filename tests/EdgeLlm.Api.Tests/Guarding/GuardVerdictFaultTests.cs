using EdgeLlm.Api.Guarding;

namespace EdgeLlm.Api.Tests.Guarding;

public sealed class GuardVerdictFaultTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("scheduler-slow:2:500")]
    [InlineData("guard-verdict:unsafe:")]
    [InlineData("guard-verdict:other")]
    public void NoFaultOrAnotherPartsFaultReplacesNothing(string? point) => Assert.Null(GuardVerdictFault.For(point));

    [Theory]
    [InlineData("guard-verdict:unsafe:S1", "unsafe\nS1")]
    [InlineData("guard-verdict:garbage", GuardVerdictFault.GarbageText)]
    [InlineData("guard-verdict:unavailable", null)]
    public void EachVerdictFaultReplacesTheAnswer(string point, string? answer) =>
        Assert.Equal(answer, GuardVerdictFault.For(point)!.Replace());
}
