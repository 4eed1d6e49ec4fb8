using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;

namespace EdgeLlm.Guardrails.Tests.Enforcement;

/// <summary>How a session turns the guard model's verdict (or its absence) into a decision, per the policy's failure mode.</summary>
public sealed class GuardVerdictTests
{
    private static string Policy(string failureMode) => $$"""
        {
          "version": "g-1",
          "detectors": { "email": { "input": "redact" } },
          "guard": { "model": "guard", "directions": ["input"], "categories": ["S1", "S10"] },
          "failure_mode": "{{failureMode}}"
        }
        """;

    [Fact]
    public async Task AnUnsafeVerdictBlocksNamingItsFirstCategoryAndTheGuardSeesOnlyRedactedText()
    {
        var guard = new ScriptedGuard(new GuardVerdict.Unsafe(["S10", "S1"]));
        var setup = new EnforcementSetup(Policy("open"), guard);
        var session = setup.Enforcer.Begin(null, null);
        var screened = session.Screen("I am ann@example.com", GuardrailDirection.Input);

        var blocked = await session.JudgeAsync(GuardrailDirection.Input, [new GuardTurn("user", screened.Text)], CancellationToken.None);

        Assert.Equal("guard:S10", blocked);
        Assert.Equal("I am [EMAIL_1]", Assert.Single(Assert.Single(guard.Shown)).Content);
        Assert.Contains(setup.Decisions, d => d.Contains("guard:S10", StringComparison.Ordinal) && d.Contains("block", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASafeVerdictPassesAndADirectionThePolicyDoesNotGuardIsNotJudged()
    {
        var guard = new ScriptedGuard(new GuardVerdict.Safe());
        var session = new EnforcementSetup(Policy("closed"), guard).Enforcer.Begin(null, null);

        Assert.Null(await session.JudgeAsync(GuardrailDirection.Input, [new GuardTurn("user", "hello")], CancellationToken.None));
        Assert.Null(await session.JudgeAsync(GuardrailDirection.Output, [new GuardTurn("assistant", "hello")], CancellationToken.None));
        Assert.Single(guard.Shown);
    }

    [Theory]
    [InlineData("closed", "guard_unavailable", "block")]
    [InlineData("open", null, "flag")]
    public async Task NoVerdictFollowsTheFailureModeAndIsCounted(string failureMode, string? expected, string action)
    {
        var setup = new EnforcementSetup(Policy(failureMode), new ScriptedGuard(new GuardVerdict.Unavailable("timeout")));
        var session = setup.Enforcer.Begin(null, null);

        var blocked = await session.JudgeAsync(GuardrailDirection.Input, [new GuardTurn("user", "hello")], CancellationToken.None);

        Assert.Equal(expected, blocked);
        Assert.Contains(setup.Decisions, d => d.Contains("guard_unavailable", StringComparison.Ordinal) && d.Contains(action, StringComparison.Ordinal));
        Assert.Contains(setup.Events, e => e.EventId == 8002 && e.Message.Contains("timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutAGuardRunnerAGuardedPolicyFailsClosed()
    {
        var session = new EnforcementSetup(Policy("closed")).Enforcer.Begin(null, null);

        Assert.Equal("guard_unavailable", await session.JudgeAsync(GuardrailDirection.Input, [new GuardTurn("user", "hello")], CancellationToken.None));
    }
}
