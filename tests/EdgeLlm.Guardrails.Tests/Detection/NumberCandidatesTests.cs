using System.Text;
using System.Text.RegularExpressions;
using EdgeLlm.Guardrails.Detection;
using EdgeLlm.Guardrails.Tests.Corpus;

namespace EdgeLlm.Guardrails.Tests.Detection;

/// <summary>
/// The phone, card and IBAN candidates are read by hand instead of by the regexes they were first written as, a
/// speed-up only: over any text they must find exactly the regexes' matches, including where the regexes backtrack
/// (a country code giving back a digit, a number giving back a group) and where their lookarounds see words in other
/// scripts.
/// </summary>
public sealed class NumberCandidatesTests
{
    private static readonly string CorpusText = string.Join('\n', PiiCorpus.Generate().Select(i => i.Text));

    /// <summary>The definitions: the patterns the detectors ran before, byte for byte.</summary>
    private static readonly Dictionary<string, (Regex Pattern, Func<string, List<(int Index, int Length)>> Find)> Matchers = new()
    {
        ["phone"] = (new Regex(
            @"(?<![\w+.\-/]|\+[0-9]{1,3}[ .-]?)(?:\+[0-9]{1,3}[ .-]?)?(?:\([0-9]{1,5}\)[ .-]?)?[0-9](?:[ .\-/]?[0-9]){5,16}(?![\w]|[.\-/][0-9])",
            RegexOptions.CultureInvariant), PhoneCandidates.Find),
        ["card"] = (new Regex(
            @"(?<![\w.,+-]|[0-9][ -])[0-9](?:[ -]?[0-9]){12,18}(?![\w]|[.,-][0-9]|[ -][0-9]{4}(?![0-9]))",
            RegexOptions.CultureInvariant), CardCandidates.Find),
        ["iban"] = (new Regex(@"(?<![\w-])[A-Z]{2}[0-9]{2}(?:[ -]?[A-Z0-9]){11,30}", RegexOptions.CultureInvariant), IbanCandidates.Find),
    };

    public static TheoryData<string> Families => ["phone", "card", "iban"];

    [Theory]
    [MemberData(nameof(Families))]
    public void FindsWhatThePatternFindsInTheCorpus(string family) => AssertSameMatches(family, CorpusText);

    [Theory]
    [MemberData(nameof(Families))]
    public void FindsWhatThePatternFindsInDigitDenseText(string family)
    {
        for (var seed = 1; seed <= 3; seed++)
        {
            AssertSameMatches(family, DigitDense(new Random(seed)));
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void FindsWhatThePatternFindsInSeparatorDenseText(string family)
    {
        for (var seed = 1; seed <= 3; seed++)
        {
            AssertSameMatches(family, SeparatorDense(new Random(seed)));
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void FindsWhatThePatternFindsInGroupedNumbersRunningIntoEachOther(string family)
    {
        for (var seed = 1; seed <= 3; seed++)
        {
            AssertSameMatches(family, GroupedNumbers(new Random(seed)));
        }
    }

    [Theory]
    [InlineData("phone", "+49 30 1234567")]
    [InlineData("phone", "+1234567 8")]
    [InlineData("phone", "(2125551234)")]
    [InlineData("phone", "x+49 3012345678")]
    [InlineData("card", "4111 1111 1111 1111 2222")]
    [InlineData("iban", "DE89 3704 0044 0532 0130 00")]
    public void FindsWhatThePatternFindsInShortTexts(string family, string text)
    {
        // Edges of the text as lookarounds see them, with the text alone and with words around it.
        foreach (var variant in new[] { text, $" {text} ", $"a{text}", $"{text}a", $"٣{text}", $"{text}٣" })
        {
            var (pattern, find) = Matchers[family];
            Assert.Equal(pattern.Matches(variant).Select(m => (m.Index, m.Length)), find(variant));
        }
    }

    private static void AssertSameMatches(string family, string text)
    {
        var (pattern, find) = Matchers[family];
        var expected = pattern.Matches(text).Select(m => (m.Index, m.Length)).ToList();

        Assert.True(expected.Count > 50, $"only {expected.Count} {family} matches: the text tests little");
        var actual = find(text);
        var first = Enumerable.Range(0, Math.Min(expected.Count, actual.Count)).FirstOrDefault(i => expected[i] != actual[i], -1);
        Assert.True(expected.SequenceEqual(actual),
            $"{family}: {expected.Count} expected, {actual.Count} found; first difference at {first}: "
            + (first >= 0 ? $"expected '{text.Substring(expected[first].Index, expected[first].Length)}' at {expected[first].Index}, found '{text.Substring(actual[first].Index, actual[first].Length)}' at {actual[first].Index}" : "one list is a prefix of the other"));
    }

    /// <summary>
    /// Characters drawn at random, most of them digits: long runs joined by every separator the patterns know, with now
    /// and then two capitals for a country code.
    /// </summary>
    private static string DigitDense(Random random)
    {
        const string Others = "     --..//,,++()_xAZDEé٣\u0301";
        var text = new StringBuilder();
        while (text.Length < 300_000)
        {
            text.Append(random.Next(10) < 7 ? (char)('0' + random.Next(10)) : Others[random.Next(Others.Length)]);
            if (random.Next(30) == 0)
            {
                text.Append("DEGBZ"[random.Next(5)]).Append("EBRZ"[random.Next(4)]);
            }
        }

        return text.ToString();
    }

    /// <summary>Short digit groups between separators, often two in a row: near misses of every grouping.</summary>
    private static string SeparatorDense(Random random)
    {
        const string Separators = "  --..//,+()";
        var text = new StringBuilder();
        while (text.Length < 300_000)
        {
            text.Append((char)('0' + random.Next(10)), 1).Append((char)('0' + random.Next(10)), random.Next(5));
            text.Append(Separators[random.Next(Separators.Length)], random.Next(5) == 0 ? 2 : 1);
            if (random.Next(6) == 0)
            {
                text.Append("AZDEGB"[random.Next(6)]).Append("EBRX"[random.Next(4)]);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Numbers in the shapes the detectors look for (country and area codes, groups of four, IBAN-like letter and
    /// digit groups) of random lengths, running into each other, into words, into other scripts' digits and letters.
    /// </summary>
    private static string GroupedNumbers(Random random)
    {
        string[] joins = [" ", " ", "\n", "-", ".", "/", ", ", "", "x", "é", "٣", "_", " +1 ", " (", ") ", "+"];
        var text = new StringBuilder();
        while (text.Length < 300_000)
        {
            switch (random.Next(4))
            {
                case 0:
                    text.Append('+').Append(random.Next(1, 1000)).Append(" .-"[random.Next(3)]).Append('(').Append(random.Next(1, 100_000)).Append(')');
                    break;
                case 1:
                    text.Append("DEGBFRNLAT"[random.Next(10)]).Append("EBRLT"[random.Next(5)]).Append(random.Next(10, 100));
                    break;
            }

            var groups = random.Next(1, 7);
            var separator = " -./"[random.Next(4)];
            for (var g = 0; g < groups; g++)
            {
                for (var d = random.Next(1, 6); d > 0; d--)
                {
                    text.Append(random.Next(8) == 0 ? (char)('A' + random.Next(26)) : (char)('0' + random.Next(10)));
                }

                text.Append(g < groups - 1 ? separator.ToString() : joins[random.Next(joins.Length)]);
            }
        }

        return text.ToString();
    }
}
