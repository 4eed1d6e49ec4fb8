using EdgeLlm.Guardrails.Redaction;
using EdgeLlm.Guardrails.Tests.Redaction.Fakes;

namespace EdgeLlm.Guardrails.Tests.Redaction;

public class RedactionScopeTests
{
    [Fact]
    public void RestorePutsTheOriginalValuesBack()
    {
        var original = "Write to ann@example.com and bob@example.org; ann@example.com reads it. Card 4111 1111 1111 1111.";
        var redactor = new Redactor([new PatternEmailDetector(), new LuhnCardDetector()], new RedactionRules());
        var scope = new RedactionScope();

        var redacted = redactor.Redact(original, scope).Text;

        Assert.DoesNotContain("@", redacted, StringComparison.Ordinal);
        Assert.Equal(original, scope.Restore(redacted));
    }

    [Fact]
    public void RestoreReplacesPlaceholdersTheModelRepeatsInItsAnswer()
    {
        var scope = new RedactionScope();
        scope.PlaceholderFor("email", "ann@example.com");

        Assert.Equal("I wrote to ann@example.com.[ann@example.com]", scope.Restore("I wrote to [EMAIL_1].[[EMAIL_1]]"));
    }

    [Fact]
    public void TextThatOnlyLooksLikeAPlaceholderIsLeftAlone()
    {
        var scope = new RedactionScope();
        scope.PlaceholderFor("email", "ann@example.com");
        var answer = "[EMAIL_2] [EMAIL_1 [email_1] [CARD_1] [ unclosed";

        Assert.Same(answer, scope.Restore(answer));
    }

    [Fact]
    public void TheSameValueInTwoFamiliesGetsTwoPlaceholders()
    {
        var scope = new RedactionScope();

        Assert.Equal("[PHONE_1]", scope.PlaceholderFor("phone", "12345"));
        Assert.Equal("[CUSTOM_EMPLOYEE_ID_1]", scope.PlaceholderFor("custom:employee-id", "12345"));
        Assert.Equal("[PHONE_1]", scope.PlaceholderFor("phone", "12345"));
        Assert.Equal("[PHONE_2]", scope.PlaceholderFor("phone", "67890"));
        Assert.Equal(3, scope.Count);
    }

    [Fact]
    public void AnEmptyScopeRestoresNothing()
    {
        var text = "[EMAIL_1]";

        Assert.Same(text, new RedactionScope().Restore(text));
    }
}
