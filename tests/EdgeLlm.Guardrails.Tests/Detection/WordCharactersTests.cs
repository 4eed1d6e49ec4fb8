using System.Text.RegularExpressions;
using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Tests.Detection;

/// <summary>The hand-written matchers' "not inside a word" must see a word character exactly where <c>\w</c> does.</summary>
public sealed class WordCharactersTests
{
    [Fact]
    public void EveryUtf16CodeUnitIsAWordCharacterExactlyWhenTheRegexWordClassMatchesIt()
    {
        var word = new Regex(@"^\w$", RegexOptions.CultureInvariant);
        var differing = Enumerable.Range(0, char.MaxValue + 1)
            .Select(c => (char)c)
            .Where(c => WordCharacters.Contains(c) != word.IsMatch(c.ToString()))
            .Select(c => $"U+{(int)c:X4}")
            .ToList();

        Assert.Empty(differing);
    }
}
