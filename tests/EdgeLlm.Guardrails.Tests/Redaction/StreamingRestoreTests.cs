using EdgeLlm.Guardrails.Redaction;
using EdgeLlm.Guardrails.Tests.Redaction.Fakes;

namespace EdgeLlm.Guardrails.Tests.Redaction;

public class StreamingRestoreTests
{
    private const string Email = "ann.lee@example.com";
    private const string OtherEmail = "bob@mail.example.org";
    private const string Card = "4111 1111 1111 1111";

    // [EMAIL_2] is made while screening this answer (for bob): the model naming it must not bring bob back.
    private const string Answer =
        $"Sure, I sent it to [EMAIL_1]. Card {Card} goes to {OtherEmail}, not [EMAIL_2] or [EMAIL_9]; [EMAIL_1] agreed.";

    private const string Restored =
        $"Sure, I sent it to {Email}. Card [CARD_1] goes to [EMAIL_2], not [EMAIL_2] or [EMAIL_9]; {Email} agreed.";

    private static readonly Redactor EmailAndCard = new([new PatternEmailDetector(), new LuhnCardDetector()], new RedactionRules());

    [Fact]
    public void ThePlaceholdersOfTheInputAreRestoredAcrossEveryPairOfBoundaries()
    {
        foreach (var tokens in Tokenisations.AllThreePieceSplits(Answer))
        {
            var filter = EmailAndCard.CreateStreamFilter(ScopeOfInput($"Please send it to {Email}."), restorePlaceholders: true);

            Assert.Equal(Restored, StreamCheck.Run(filter, tokens, Restored, [Card, OtherEmail]).Output);
        }
    }

    [Fact]
    public void WithoutRestoreThePlaceholdersStayAsTheModelWroteThem()
    {
        var filter = EmailAndCard.CreateStreamFilter(ScopeOfInput($"Please send it to {Email}."));
        var expected = $"Sure, I sent it to [EMAIL_1]. Card [CARD_1] goes to [EMAIL_2], not [EMAIL_2] or [EMAIL_9]; [EMAIL_1] agreed.";

        Assert.Equal(expected, StreamCheck.Run(filter, [Answer], expected, [Card, OtherEmail, Email]).Output);
    }

    [Fact]
    public void APlaceholderLongerThanAnyMatchIsHeldBackWholeAndRestored()
    {
        var redactor = new Redactor([new LiteralDetector("secret", ("hunter2", 1.0))], new RedactionRules());
        const string placeholder = "[CUSTOM_EMPLOYEE_ID_1]";
        Assert.Equal("E-12345", ScopeWithEmployee().Restore(placeholder));
        var answer = $"Employee {placeholder} logged in with hunter2 and {placeholder} left.";
        var expected = "Employee E-12345 logged in with [SECRET_1] and E-12345 left.";

        foreach (var tokens in Tokenisations.AllThreePieceSplits(answer))
        {
            var filter = redactor.CreateStreamFilter(ScopeWithEmployee(), restorePlaceholders: true);
            Assert.Equal(expected, StreamCheck.Run(filter, tokens, expected, ["hunter2"]).Output);
            Assert.True(filter.HoldBackLimit > placeholder.Length);
        }
    }

    private static RedactionScope ScopeOfInput(string input)
    {
        var scope = new RedactionScope();
        EmailAndCard.Redact(input, scope);
        return scope;
    }

    private static RedactionScope ScopeWithEmployee()
    {
        var scope = new RedactionScope();
        scope.PlaceholderFor("custom:employee-id", "E-12345");
        return scope;
    }
}
