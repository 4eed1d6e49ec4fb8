using EdgeLlm.Guardrails.Policies;

namespace EdgeLlm.Guardrails.Tests.Policies;

public sealed class PolicyVocabularyTests
{
    [Fact]
    public void EveryDirectionIsNamedAsTheDocumentSpellsIt()
    {
        foreach (var direction in Enum.GetValues<GuardrailDirection>())
        {
            Assert.True(PolicyVocabulary.TryParseDirection(PolicyVocabulary.Name(direction), out var read));
            Assert.Equal(direction, read);
        }
    }

    [Fact]
    public void EveryActionIsNamedAsTheDocumentSpellsIt()
    {
        foreach (var action in Enum.GetValues<GuardrailAction>())
        {
            Assert.True(PolicyVocabulary.TryParseAction(PolicyVocabulary.Name(action), out var read));
            Assert.Equal(action, read);
        }
    }

    [Theory]
    [InlineData("Redact")]
    [InlineData("REDACT")]
    [InlineData(" redact")]
    [InlineData("")]
    [InlineData(null)]
    public void OnlyTheLowerCaseSpellingIsAnAction(string? text)
    {
        Assert.False(PolicyVocabulary.TryParseAction(text, out _));
    }

    [Fact]
    public void ACustomFamilyIsSpelledAsDetectorsSpellIt()
    {
        Assert.Equal("custom:employee_id", PolicyVocabulary.CustomFamily("employee_id"));
    }
}
