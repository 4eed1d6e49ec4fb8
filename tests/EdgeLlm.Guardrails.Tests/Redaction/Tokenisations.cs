namespace EdgeLlm.Guardrails.Tests.Redaction;

/// <summary>Ways to cut a text into tokens, surrogate pairs included: the generator is not obliged to keep them whole.</summary>
internal static class Tokenisations
{
    public static IEnumerable<string[]> AllTwoPieceSplits(string text)
    {
        for (var cut = 0; cut <= text.Length; cut++)
        {
            yield return [text[..cut], text[cut..]];
        }
    }

    public static IEnumerable<string[]> AllThreePieceSplits(string text)
    {
        for (var first = 0; first <= text.Length; first++)
        {
            for (var second = first; second <= text.Length; second++)
            {
                yield return [text[..first], text[first..second], text[second..]];
            }
        }
    }

    /// <summary>Tokens of 0 to <paramref name="longest"/> characters, empty ones included.</summary>
    public static string[] Random(string text, Random random, int longest)
    {
        var tokens = new List<string>();
        var at = 0;
        while (at < text.Length)
        {
            var length = Math.Min(random.Next(longest + 1), text.Length - at);
            tokens.Add(text.Substring(at, length));
            at += length;
        }

        return [.. tokens];
    }
}
