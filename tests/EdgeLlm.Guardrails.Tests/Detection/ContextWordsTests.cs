using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Tests.Detection;

/// <summary>
/// Context words are looked up in one pass over the window, trying a word only where its first character is: a
/// speed-up only, which must find a word exactly where a case-insensitive search for each word does, whatever the
/// case folding of characters outside ASCII ('ſ' is an 's', the Kelvin sign a 'k' to some foldings and not others).
/// </summary>
public sealed class ContextWordsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AWordIsFoundExactlyWhereASearchForEachWordFindsIt(int seed)
    {
        string[] words = ["tel", "phone", "e-mail", "IBAN", "größe", "straße", "kelvin", "idee", "σοφία", "cc", "#ref", "x1"];
        const string Pieces = "tel TEL ſtraße STRASSE straße hotel e-mail E‐MAIL iban İBAN ıban größe GRÖẞE Kelvin \u212Aelvin idee İdee "
            + "ΣΟΦΊΑ σοφία cc acc #ref #REF x1 X1 - . 1 é ſ \u212A İ ı";
        var pieces = Pieces.Split(' ');
        var context = new ContextWords(words, 16);
        var random = new Random(seed);
        for (var round = 0; round < 20_000; round++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 9)).Select(_ => pieces[random.Next(pieces.Length)] + (random.Next(3) == 0 ? "" : " ")));
            var start = random.Next(0, text.Length + 1);
            var expected = SearchedForEachWord(words, text, start, 16);

            Assert.True(expected == context.AppearBefore(text, start), $"'{text}' before {start}: expected {expected}");
        }
    }

    [Fact]
    public void NoWordsAndNoWindowFindNothing()
    {
        Assert.False(new ContextWords([], 40).AppearBefore("tel 2122345678", 4));
        Assert.False(new ContextWords(["tel"], 0).AppearBefore("tel 2122345678", 4));
        Assert.True(new ContextWords(["tel"], 4).AppearBefore("tel 2122345678", 4));
    }

    /// <summary>How context words were found before: a case-insensitive search for each word, then its boundaries.</summary>
    private static bool SearchedForEachWord(string[] words, string text, int start, int size)
    {
        if (start == 0)
        {
            return false;
        }

        var from = Math.Max(0, start - size);
        var window = text.AsSpan(from, start - from);
        foreach (var word in words)
        {
            for (var offset = 0; offset < window.Length;)
            {
                var at = window[offset..].IndexOf(word, StringComparison.OrdinalIgnoreCase);
                if (at < 0)
                {
                    break;
                }

                at += offset;
                var end = at + word.Length;
                if ((at == 0 || !char.IsLetter(window[at - 1])) && (end == window.Length || !char.IsLetter(window[end])))
                {
                    return true;
                }

                offset = at + 1;
            }
        }

        return false;
    }
}
