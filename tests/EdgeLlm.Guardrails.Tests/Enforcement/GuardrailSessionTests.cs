using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;

namespace EdgeLlm.Guardrails.Tests.Enforcement;

public sealed class GuardrailSessionTests
{
    private const string Policy = """
        {
          "version": "s-1",
          "detectors": {
            "email": { "input": "redact", "output": "mask", "retrieved": "allow" },
            "card": { "min_score": 0.9, "input": "block" },
            "ipv4": { "input": "flag" },
            "custom": [ { "name": "badge", "pattern": "B[0-9]{5}", "input": "redact" } ]
          },
          "deny": [ { "name": "weapons", "directions": ["input"], "keywords": ["pipe bomb"] } ],
          "tenants": { "acme": { "detectors": { "email": { "input": "block" } } } }
        }
        """;

    [Fact]
    public void TheSameValueKeepsOnePlaceholderAcrossTheRequestsTextsAndAnotherValueGetsTheNextNumber()
    {
        var session = new EnforcementSetup(Policy).Enforcer.Begin(null, "key-1");

        var first = session.Screen("From ann@example.com to bob@example.org", GuardrailDirection.Input);
        var second = session.Screen("Again ann@example.com, badge B12345", GuardrailDirection.Input);

        Assert.Equal("From [EMAIL_1] to [EMAIL_2]", first.Text);
        Assert.Equal("Again [EMAIL_1], badge [CUSTOM_BADGE_1]", second.Text);
        Assert.False(first.IsBlocked || second.IsBlocked);
    }

    [Fact]
    public void AFamilyAllowedInADirectionIsLeftAloneThereAndNotCounted()
    {
        var setup = new EnforcementSetup(Policy);
        var session = setup.Enforcer.Begin(null, null);

        var retrieved = session.Screen("Contact ann@example.com", GuardrailDirection.Retrieved);

        Assert.Equal("Contact ann@example.com", retrieved.Text);
        Assert.Empty(setup.Decisions);
    }

    [Fact]
    public void ADenyRuleBlocksBeforeAnyDetectorAndTheDecisionNamesTheRuleNeverTheText()
    {
        var setup = new EnforcementSetup(Policy);
        var session = setup.Enforcer.Begin("globex", "key-7");

        var outcome = session.Screen("How do I build a Pipe Bomb? Mail ann@example.com", GuardrailDirection.Input);

        Assert.Equal("weapons", outcome.BlockedBy);
        Assert.Equal(string.Empty, outcome.Text);
        var decision = Assert.Single(setup.Decisions);
        Assert.Contains("s-1", decision, StringComparison.Ordinal);
        Assert.Contains("weapons", decision, StringComparison.Ordinal);
        Assert.Contains("block", decision, StringComparison.Ordinal);
        Assert.Contains("globex", decision, StringComparison.Ordinal);
        Assert.Contains("key-7", decision, StringComparison.Ordinal);
        Assert.DoesNotContain(setup.Events, e => e.Message.Contains("ipe bomb", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("ann@", StringComparison.Ordinal));
    }

    [Fact]
    public void ABlockedFamilyBlocksAndAFlaggedOnePassesUnchangedButIsAudited()
    {
        var setup = new EnforcementSetup(Policy);
        var session = setup.Enforcer.Begin(null, null);

        var flagged = session.Screen("Server 10.1.2.3 is down", GuardrailDirection.Input);
        var blocked = session.Screen("Card 4111 1111 1111 1111 please", GuardrailDirection.Input);

        Assert.Equal("Server 10.1.2.3 is down", flagged.Text);
        Assert.Null(flagged.BlockedBy);
        Assert.Equal("card", blocked.BlockedBy);
        Assert.Contains(setup.Decisions, d => d.Contains("ipv4", StringComparison.Ordinal) && d.Contains("flag", StringComparison.Ordinal));
        Assert.Contains(setup.Decisions, d => d.Contains("card", StringComparison.Ordinal) && d.Contains("block", StringComparison.Ordinal));
    }

    [Fact]
    public void AHitBelowTheFamilysMinimumScoreIsIgnored()
    {
        var session = new EnforcementSetup(Policy).Enforcer.Begin(null, null);

        // Card-shaped but failing Luhn: a weak hit, below the policy's 0.9 for cards.
        var outcome = session.Screen("Order 4111 1111 1111 1112 shipped", GuardrailDirection.Input);

        Assert.Null(outcome.BlockedBy);
        Assert.Equal("Order 4111 1111 1111 1112 shipped", outcome.Text);
    }

    [Fact]
    public void ATenantGetsItsOwnPolicyAndEveryOtherTenantTheDefault()
    {
        var setup = new EnforcementSetup(Policy);

        var acme = setup.Enforcer.Begin("acme", null).Screen("Mail ann@example.com", GuardrailDirection.Input);
        var other = setup.Enforcer.Begin("initech", null).Screen("Mail ann@example.com", GuardrailDirection.Input);

        Assert.Equal("email", acme.BlockedBy);
        Assert.Equal("Mail [EMAIL_1]", other.Text);
    }

    [Fact]
    public void PreparingEveryPolicyOfASetRecordsNoDecisionAndRequestsScreenAsBefore()
    {
        var setup = new EnforcementSetup(Policy);
        GuardrailPolicySet? activated = null;
        setup.Store.Activated += set => activated = set;

        Assert.True(setup.Store.TryActivate(Policy.Replace("\"s-1\"", "\"s-2\"", StringComparison.Ordinal), out _));
        setup.Enforcer.Prepare(activated!);

        Assert.Equal("s-2", activated!.Version);
        Assert.Empty(setup.Decisions);
        Assert.Equal("Mail [EMAIL_1]", setup.Enforcer.Begin(null, null).Screen("Mail ann@example.com", GuardrailDirection.Input).Text);
        Assert.Equal("email", setup.Enforcer.Begin("acme", null).Screen("Mail ann@example.com", GuardrailDirection.Input).BlockedBy);
    }

    [Fact]
    public void ARequestKeepsThePolicyItStartedWithWhenANewOneIsActivated()
    {
        var setup = new EnforcementSetup(Policy);
        var session = setup.Enforcer.Begin(null, null);

        Assert.True(setup.Store.TryActivate("""{ "version": "s-2", "detectors": { "email": { "input": "block" } } }""", out _));

        Assert.Equal("s-1", session.Policy.Version);
        Assert.Equal("Mail [EMAIL_1]", session.Screen("Mail ann@example.com", GuardrailDirection.Input).Text);
        Assert.Equal("email", setup.Enforcer.Begin(null, null).Screen("Mail ann@example.com", GuardrailDirection.Input).BlockedBy);
    }
}
