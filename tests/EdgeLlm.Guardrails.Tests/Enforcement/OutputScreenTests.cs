using System.Text;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Guardrails.Tests.Redaction;

namespace EdgeLlm.Guardrails.Tests.Enforcement;

public sealed class OutputScreenTests
{
    private const string Policy = """
        {
          "version": "o-1",
          "detectors": { "email": { "input": "redact", "output": "redact" }, "card": { "output": "block" } },
          "deny": [ { "name": "codenames", "directions": ["output"], "keywords": ["bluebird"] } ],
          "restore_redactions": true,
          "tenants": { "plain": { "detectors": { "email": { "output": "redact" } } } }
        }
        """;

    [Fact]
    public void AnEmailSplitAtEveryTokenBoundaryIsNeverReleasedRaw()
    {
        const string answer = "Write to zed@example.net today.";
        foreach (var tokens in Tokenisations.AllThreePieceSplits(answer))
        {
            var screen = new EnforcementSetup(Policy).Enforcer.Begin("plain", null).BeginOutput()!;
            var (released, blockedBy) = Run(screen, tokens);

            Assert.Null(blockedBy);
            Assert.Equal("Write to [EMAIL_1] today.", released);
        }
    }

    [Fact]
    public void ADeniedWordSplitAcrossTokensEndsTheAnswerBeforeItsLastPartIsSent()
    {
        const string answer = "The plan is called bluebird and it starts soon.";
        foreach (var tokens in Tokenisations.AllTwoPieceSplits(answer))
        {
            var screen = new EnforcementSetup(Policy).Enforcer.Begin(null, null).BeginOutput()!;
            var (released, blockedBy) = Run(screen, tokens);

            Assert.Equal("codenames", blockedBy);
            Assert.DoesNotContain("bluebird", released, StringComparison.Ordinal);
            Assert.StartsWith(released, answer, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ABlockedCardEndsTheAnswerWithWhatCameBeforeIt()
    {
        var screen = new EnforcementSetup(Policy).Enforcer.Begin(null, null).BeginOutput()!;

        var (released, blockedBy) = Run(screen, ["Your card ", "4111 1111 ", "1111 1111", " is on file."]);

        Assert.Equal("card", blockedBy);
        Assert.DoesNotContain("4111", released, StringComparison.Ordinal);
        Assert.Equal("card", screen.BlockedBy);
    }

    [Fact]
    public void ThePlaceholderTheModelRepeatsIsRestoredForTheCallerWhenThePolicySaysSo()
    {
        var setup = new EnforcementSetup(Policy);
        var session = setup.Enforcer.Begin(null, null);
        Assert.Equal("Mail [EMAIL_1]", session.Screen("Mail ann@example.com", GuardrailDirection.Input).Text);

        var (released, _) = Run(session.BeginOutput()!, ["I will mail [EM", "AIL_1] now."]);

        Assert.Equal("I will mail ann@example.com now.", released);
    }

    [Fact]
    public void APolicyThatScreensNoOutputGivesNoScreen()
    {
        var session = new EnforcementSetup("""{ "version": "1", "detectors": { "email": { "input": "redact" } } }""").Enforcer.Begin(null, null);

        Assert.Null(session.BeginOutput());
    }

    [Fact]
    public void TheAnswersDecisionsAreAuditedOnceAtTheEnd()
    {
        var setup = new EnforcementSetup(Policy);
        var screen = setup.Enforcer.Begin("plain", null).BeginOutput()!;

        Run(screen, ["a@example.com and ", "b@example.com"]);

        var decision = Assert.Single(setup.Decisions);
        Assert.Contains("2 hit(s)", decision, StringComparison.Ordinal);
        Assert.Contains("output", decision, StringComparison.Ordinal);
    }

    private static (string Released, string? BlockedBy) Run(OutputScreen screen, IEnumerable<string> tokens)
    {
        var released = new StringBuilder();
        foreach (var token in tokens)
        {
            var outcome = screen.Push(token);
            released.Append(outcome.Text);
            if (outcome.IsBlocked)
            {
                return (released.ToString(), outcome.BlockedBy);
            }
        }

        var rest = screen.Complete();
        released.Append(rest.Text);
        return (released.ToString(), rest.BlockedBy);
    }
}
