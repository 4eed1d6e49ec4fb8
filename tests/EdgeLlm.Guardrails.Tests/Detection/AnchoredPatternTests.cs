using System.Text.RegularExpressions;
using EdgeLlm.Guardrails.Detection;
using EdgeLlm.Guardrails.Tests.Corpus;

namespace EdgeLlm.Guardrails.Tests.Detection;

/// <summary>
/// The anchored scan is a speed-up only: over any text it must find exactly the matches its pattern finds over the
/// whole text, including where lookbehinds and lookaheads reach across a window's edge.
/// </summary>
public sealed class AnchoredPatternTests
{
    // The IPv6 detector's candidate pattern and the parameters it runs with.
    private static readonly Regex Hexes = new(
        @"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:[0-9]{1,3}\.){3}[0-9]{1,3})?(?![\w:]|\.[0-9])",
        RegexOptions.CultureInvariant);

    private static readonly AnchoredPattern AnchoredHexes = new(Hexes, ":", anchorWithin: 4, reach: 50 + 2);

    // A dotted quad, so windows meet lookbehinds over ':' runs and lookaheads over trailing '.digit'.
    private static readonly Regex Quads = new(
        @"(?<![\w.]|:[0-9A-Fa-f]{0,4}:)[0-9]{1,3}(?:\.[0-9]{1,3}){3}(?![\w]|\.[0-9])",
        RegexOptions.CultureInvariant);

    private static readonly AnchoredPattern AnchoredQuads = new(Quads, ".", anchorWithin: 3, reach: 15 + 2);

    public static TheoryData<string> Detectors => ["ipv4", "ipv6", "mac"];

    [Fact]
    public void FindsWhatThePatternFindsInTheCorpus()
    {
        var text = string.Join('\n', PiiCorpus.Generate().Select(i => i.Text));

        AssertSameMatches(Hexes, AnchoredHexes, text);
        AssertSameMatches(Quads, AnchoredQuads, text);
    }

    [Theory]
    [MemberData(nameof(Detectors))]
    public void EachDetectorsAnchoredScanFindsWhatItsPatternFindsInTheCorpusAndInSeparatorDenseText(string family)
    {
        var anchored = family switch
        {
            "ipv4" => IPv4Detector.Anchored,
            "ipv6" => IPv6Detector.Anchored,
            _ => MacAddressDetector.Anchored,
        };

        AssertSameMatches(anchored.Pattern, anchored, string.Join('\n', PiiCorpus.Generate().Select(i => i.Text)));
        AssertSameMatches(anchored.Pattern, anchored, SeparatedGroups(new Random(7)));
        if (family != "mac")
        {
            // Six hex pairs in a row are too rare in it to test anything.
            AssertSameMatches(anchored.Pattern, anchored, NumberLike(new Random(11)));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void FindsWhatThePatternFindsInRandomRunsOfTheCharactersMatchesAreMadeOf(int seed)
    {
        var text = SeparatedGroups(new Random(seed));

        AssertSameMatches(Hexes, AnchoredHexes, text);
        AssertSameMatches(Quads, AnchoredQuads, text);
    }

    /// <summary>Short groups of digits and hex letters between separators: near misses and matches running into each other.</summary>
    private static string SeparatedGroups(Random random)
    {
        const string Groups = "0123456789abcF";
        const string Separators = ":::...  --x";
        var text = new System.Text.StringBuilder();
        while (text.Length < 200_000)
        {
            text.Append(Groups[random.Next(Groups.Length)], random.Next(4));
            text.Append(Groups[random.Next(10)]).Append(Separators[random.Next(Separators.Length)]);
        }

        return text.ToString();
    }

    /// <summary>
    /// Runs of digits joined by every separator and bracket numbers are written with, with words and hex letters
    /// between: dates, phone numbers, decimals and quads running into each other, into words and into brackets.
    /// </summary>
    private static string NumberLike(Random random)
    {
        const string Joins = "  --..//()+:x,";
        var text = new System.Text.StringBuilder();
        while (text.Length < 300_000)
        {
            text.Append((char)('0' + random.Next(10)), random.Next(1, 3));
            text.Append(random.Next(10));
            text.Append(Joins[random.Next(Joins.Length)], random.Next(4) == 0 ? 0 : 1);

            if (random.Next(40) == 0)
            {
                text.Append(random.Next(2) == 0 ? " call " : "ab:");
            }
        }

        return text.ToString();
    }

    [Fact]
    public void FindsNothingInTextWithoutAnAnchor()
    {
        var text = string.Concat(Enumerable.Repeat("deadbeef 1234 cafe ", 1000));

        Assert.Empty(AnchoredHexes.Matches(text));
        Assert.Empty(AnchoredQuads.Matches(text));
    }

    [Theory]
    [InlineData("fe80::1", 0, 7)]
    [InlineData("at 10.0.0.1.", 3, 8)]
    [InlineData("x 2001:db8::ff00:42:8329 y", 2, 22)]
    public void FindsAMatchAtEitherEndOfTheText(string text, int index, int length)
    {
        var pattern = text.Contains(':') ? AnchoredHexes : AnchoredQuads;

        Assert.Equal([(index, length)], pattern.Matches(text));
    }

    private static void AssertSameMatches(Regex pattern, AnchoredPattern anchored, string text)
    {
        var expected = pattern.Matches(text).Select(m => (m.Index, m.Length)).ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, anchored.Matches(text));
    }
}
