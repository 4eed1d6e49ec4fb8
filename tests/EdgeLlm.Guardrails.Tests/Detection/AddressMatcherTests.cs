using System.Text.RegularExpressions;
using EdgeLlm.Guardrails.Detection;
using EdgeLlm.Guardrails.Tests.Corpus;

namespace EdgeLlm.Guardrails.Tests.Detection;

/// <summary>
/// The hand-read IPv4, IPv6 and MAC matchers are a speed-up only: over the corpus, separator-dense and number-dense
/// text they must find exactly what the detectors' former patterns find over the whole text (the texts the former
/// anchored scan was held to).
/// </summary>
public sealed class AddressMatcherTests
{
    public static TheoryData<string> Detectors => ["ipv4", "ipv6", "mac"];

    [Theory]
    [MemberData(nameof(Detectors))]
    public void EachMatcherFindsWhatItsFormerPatternFindsInTheCorpusAndInSeparatorDenseText(string family)
    {
        var (pattern, find) = Matcher(family);

        AssertSameMatches(pattern, find, string.Join('\n', PiiCorpus.Generate().Select(i => i.Text)));
        AssertSameMatches(pattern, find, SeparatedGroups(new Random(7)));
        if (family != "mac")
        {
            // Six hex pairs in a row are too rare in it to test anything.
            AssertSameMatches(pattern, find, NumberLike(new Random(11)));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TheIPMatchersFindWhatTheirPatternsFindInRandomRunsOfTheCharactersMatchesAreMadeOf(int seed)
    {
        var text = SeparatedGroups(new Random(seed));

        AssertSameMatches(FormerPatterns.IPv6(), IPv6Candidates.Find, text);
        AssertSameMatches(FormerPatterns.IPv4(), IPv4Addresses.Find, text);
    }

    [Theory]
    [InlineData("fe80::1", 0, 7)]
    [InlineData("at 10.0.0.1.", 3, 8)]
    [InlineData("x 2001:db8::ff00:42:8329 y", 2, 22)]
    [InlineData("0a:1b:2c:3d:4e:5f", 0, 17)]
    public void FindsAnAddressAtEitherEndOfTheText(string text, int index, int length)
    {
        var found = text.Contains('.', StringComparison.Ordinal) ? IPv4Addresses.Find(text)
            : text.Contains("::", StringComparison.Ordinal) || text.Contains("db8", StringComparison.Ordinal) ? IPv6Candidates.Find(text)
            : MacAddresses.Find(text);

        Assert.Equal([(index, length)], found);
    }

    private static (Regex Pattern, Func<string, List<(int Index, int Length)>> Find) Matcher(string family) => family switch
    {
        "ipv4" => (FormerPatterns.IPv4(), IPv4Addresses.Find),
        "ipv6" => (FormerPatterns.IPv6(), IPv6Candidates.Find),
        _ => (FormerPatterns.Mac(), MacAddresses.Find),
    };

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

    private static void AssertSameMatches(Regex pattern, Func<string, List<(int Index, int Length)>> find, string text) =>
        MatcherEquality.AssertSameMatches(pattern, find, text, minimumMatches: 1);
}
