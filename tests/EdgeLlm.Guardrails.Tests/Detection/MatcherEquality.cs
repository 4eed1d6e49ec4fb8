using System.Text.RegularExpressions;

namespace EdgeLlm.Guardrails.Tests.Detection;

/// <summary>Holds a hand-written matcher to the pattern it replaced: the same spans, in the same order, over a whole text.</summary>
internal static class MatcherEquality
{
    /// <summary>
    /// <paramref name="find"/> finds exactly what <paramref name="pattern"/> matches in <paramref name="text"/>; with
    /// <paramref name="minimumMatches"/>, the text must also hold that many matches, so it tests something.
    /// </summary>
    public static void AssertSameMatches(Regex pattern, Func<string, List<(int Index, int Length)>> find, string text, int minimumMatches = 0)
    {
        var expected = pattern.Matches(text).Select(m => (m.Index, m.Length)).ToList();

        Assert.True(expected.Count >= minimumMatches, $"only {expected.Count} matches: the text tests little");
        Assert.Equal(expected, find(text));
    }
}
