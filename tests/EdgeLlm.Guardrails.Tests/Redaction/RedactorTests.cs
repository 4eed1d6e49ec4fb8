using EdgeLlm.Guardrails.Detection;
using EdgeLlm.Guardrails.Redaction;
using EdgeLlm.Guardrails.Tests.Redaction.Fakes;

namespace EdgeLlm.Guardrails.Tests.Redaction;

public class RedactorTests
{
    private const string Card = "4111 1111 1111 1111";
    private const string OtherCard = "5500-0000-0000-0004";

    [Fact]
    public void PlaceholdersAreTypedAndTheSameValueGetsTheSamePlaceholder()
    {
        var result = Redact(
            $"Mail ann@example.com or bob@example.org; ann@example.com again. Card {Card}, then {OtherCard}, then {Card}.",
            new RedactionRules());

        Assert.Equal(
            "Mail [EMAIL_1] or [EMAIL_2]; [EMAIL_1] again. Card [CARD_1], then [CARD_2], then [CARD_1].",
            result.Text);
        Assert.Equal(
            [new RedactionDecision("email", RedactionAction.Redact, 3), new RedactionDecision("card", RedactionAction.Redact, 3)],
            result.Decisions);
        Assert.False(result.IsBlocked);
    }

    [Fact]
    public void TheScopeKeepsPlaceholdersStableAcrossTextsOfOneRequest()
    {
        var redactor = new Redactor([new PatternEmailDetector()], new RedactionRules());
        var scope = new RedactionScope();

        var first = redactor.Redact("from ann@example.com to bob@example.org", scope);
        var second = redactor.Redact("reply to bob@example.org, cc carl@example.net", scope);

        Assert.Equal("from [EMAIL_1] to [EMAIL_2]", first.Text);
        Assert.Equal("reply to [EMAIL_2], cc [EMAIL_3]", second.Text);
    }

    [Fact]
    public void AFreshScopeNumbersFromOneAgain()
    {
        var redactor = new Redactor([new PatternEmailDetector()], new RedactionRules());
        redactor.Redact("bob@example.org", new RedactionScope());

        Assert.Equal("[EMAIL_1]", redactor.Redact("carl@example.net", new RedactionScope()).Text);
    }

    [Fact]
    public void MatchesBelowTheMinimumScoreAreLeftAlone()
    {
        // Luhn-invalid: format alone scores 0.2.
        var text = "Order 4111 1111 1111 1112 shipped.";

        Assert.Equal(text, Redact(text, new RedactionRules()).Text);
        Assert.Equal("Order [CARD_1] shipped.", Redact(text, new RedactionRules { MinimumScore = 0.1 }).Text);
    }

    [Fact]
    public void MaskKeepsTheLastFourDigitsAndTheSeparators()
    {
        var rules = new RedactionRules { Actions = Actions(("card", RedactionAction.Mask)) };

        Assert.Equal("Card **** **** **** 1111 and ****-****-****-0004.", Redact($"Card {Card} and {OtherCard}.", rules).Text);
    }

    [Fact]
    public void MaskNeverLeavesMoreThanHalfOfAShortValueReadable()
    {
        var rules = new RedactionRules { Actions = Actions(("code", RedactionAction.Mask)) };
        var redactor = new Redactor([new LiteralDetector("code", ("12-34-5", 1.0))], rules);

        Assert.Equal("id **-*4-5", redactor.Redact("id 12-34-5", new RedactionScope()).Text);
    }

    [Fact]
    public void AllowAndFlagLeaveTheTextAsItIsAndAreReported()
    {
        var rules = new RedactionRules { Actions = Actions(("email", RedactionAction.Allow), ("card", RedactionAction.Flag)) };
        var text = $"ann@example.com paid with {Card}.";

        var result = Redact(text, rules);

        Assert.Equal(text, result.Text);
        Assert.Equal(
            [new RedactionDecision("email", RedactionAction.Allow, 1), new RedactionDecision("card", RedactionAction.Flag, 1)],
            result.Decisions);
    }

    [Fact]
    public void BlockIsReportedNamingTheFamilyAndTheValueStillDoesNotSurvive()
    {
        var rules = new RedactionRules { Actions = Actions(("card", RedactionAction.Block)) };

        var result = Redact($"ann@example.com paid with {Card}.", rules);

        Assert.True(result.IsBlocked);
        Assert.Equal("card", result.BlockedFamily);
        Assert.Contains(new RedactionDecision("card", RedactionAction.Block, 1), result.Decisions);
        Assert.DoesNotContain(Card, result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void WhereMatchesOverlapTheStricterActionWins()
    {
        var rules = new RedactionRules
        {
            Actions = Actions(("number", RedactionAction.Allow), ("card", RedactionAction.Redact)),
        };
        var redactor = new Redactor(
            [new LiteralDetector("number", ($"No. {Card}", 1.0)), new LuhnCardDetector()],
            rules);

        Assert.Equal("No. [CARD_1]", redactor.Redact($"No. {Card}", new RedactionScope()).Text);
    }

    [Fact]
    public void DecisionsNeverCarryTheMatchedText()
    {
        var result = Redact($"ann@example.com {Card}", new RedactionRules());

        foreach (var decision in result.Decisions)
        {
            Assert.DoesNotContain("ann", decision.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("4111", decision.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ATextWithNothingFoundComesBackAsItIs()
    {
        var text = "Nothing to see here: v1.2.3, 2026-12-03 10:00.";

        var result = Redact(text, new RedactionRules());

        Assert.Same(text, result.Text);
        Assert.Empty(result.Decisions);
    }

    [Fact]
    public void RulesOutOfRangeAreRefusedAtConstruction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Redactor([], new RedactionRules { MinimumScore = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Redactor([], new RedactionRules { MaskKeepLast = -1 }));
    }

    [Fact]
    public void ADetectorReturningAMatchOutsideTheTextIsABrokenInvariant()
    {
        var redactor = new Redactor([new OutOfRangeDetector()], new RedactionRules());

        var error = Assert.Throws<InvalidOperationException>(() => redactor.Redact("short", new RedactionScope()));
        Assert.Contains("broken", error.Message, StringComparison.Ordinal);
    }

    internal static Dictionary<string, RedactionAction> Actions(params (string Family, RedactionAction Action)[] actions) =>
        actions.ToDictionary(entry => entry.Family, entry => entry.Action, StringComparer.Ordinal);

    private static RedactionResult Redact(string text, RedactionRules rules) =>
        new Redactor([new PatternEmailDetector(), new LuhnCardDetector()], rules).Redact(text, new RedactionScope());

    private sealed class OutOfRangeDetector : IEntityDetector
    {
        public string Family => "broken";

        public int MaxMatchLength => 10;

        public IEnumerable<EntityMatch> Find(string text) => [new EntityMatch(Family, text.Length - 1, 5, 1.0)];
    }
}
