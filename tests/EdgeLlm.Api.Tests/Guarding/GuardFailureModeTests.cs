using EdgeLlm.Guardrails;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Tests.Guarding;

/// <summary>
/// The judge behind a request's guardrails, as the endpoints will use it: the policy document names the guard model
/// and the failure mode; an unsafe verdict blocks with its category, and no verdict blocks or passes per the mode.
/// </summary>
public sealed class GuardFailureModeTests(GuardServerFixture fixture) : IClassFixture<GuardServerFixture>
{
    private static readonly GuardTurn[] Question = [new("user", "How do I reset my password?")];

    [Theory]
    [InlineData("closed", "guard_unavailable")]
    [InlineData("open", null)]
    public async Task AGuardThatGivesNoVerdictBlocksOnlyWhenThePolicyFailsClosed(string mode, string? blockedBy)
    {
        var session = Begin(Policy("stories-guard", mode), fixture.JudgeWithFault("guard-verdict:garbage"));

        Assert.Equal(blockedBy, await session.JudgeAsync(GuardrailDirection.Input, Question, CancellationToken.None));
    }

    [Theory]
    [InlineData("closed", "guard_unavailable")]
    [InlineData("open", null)]
    public async Task AGuardModelThatIsNotAGuardFollowsTheFailureModeToo(string mode, string? blockedBy)
    {
        var session = Begin(Policy("stories", mode), fixture.Judge);

        Assert.Equal(blockedBy, await session.JudgeAsync(GuardrailDirection.Output, [Question[0], new("assistant", "Open Settings.")], CancellationToken.None));
    }

    [Fact]
    public async Task AnUnsafeVerdictBlocksNamingItsCategoryWhateverTheMode()
    {
        var session = Begin(Policy("stories-guard", "open"), fixture.JudgeWithFault("guard-verdict:unsafe:S2"));

        Assert.Equal("guard:S2", await session.JudgeAsync(GuardrailDirection.Input, Question, CancellationToken.None));
    }

    [Fact]
    public async Task ASafeVerdictFromTheRealModelLetsTheTextThrough()
    {
        // stories260K answers "safe" under the grammar for every conversation the corpus holds.
        var session = Begin(Policy("stories-guard", "closed"), fixture.Judge);

        Assert.Null(await session.JudgeAsync(GuardrailDirection.Input, Question, CancellationToken.None));
    }

    private static GuardrailSession Begin(string policy, IGuardModel judge)
    {
        var loaded = Assert.IsType<PolicyLoadResult.Loaded>(PolicyReader.Read(policy));
        return new GuardrailEnforcer(new PolicyStore(loaded.Policies), Options.Create(new GuardrailsOptions()), NullLoggerFactory.Instance, judge).Begin("tenant-a", "key-1");
    }

    private static string Policy(string model, string mode) =>
        $$"""{"version": "t-1", "guard": {"model": "{{model}}", "directions": ["input", "output"], "categories": ["S1", "S2"], "timeout": "PT30S"}, "failure_mode": "{{mode}}"}""";
}
