using System.Text;
using EdgeLlm.Guardrails.Detection;
using EdgeLlm.Guardrails.Tests.Corpus;

namespace EdgeLlm.Guardrails.Tests.Detection;

/// <summary>
/// IPv6 candidates are read by hand from the hex digits before a colon instead of by the detector's pattern, a speed-up only:
/// over any text they must be exactly the pattern's matches over the whole text.
/// </summary>
public sealed class IPv6CandidatesTests
{
    [Fact]
    public void FindsWhatThePatternFindsInTheCorpus() => AssertSameMatches(string.Join('\n', PiiCorpus.Generate().Select(i => i.Text)));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void FindsWhatThePatternFindsInHexGroupsRunningIntoEachOther(int seed) => AssertSameMatches(HexGroups(new Random(seed)));

    [Theory]
    [InlineData("2001:db8::ff00:42:8329")]
    [InlineData("::ffff:192.0.2.1")]
    [InlineData("fe80::1:2:3:4:5:6:7")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("a::b")]
    public void FindsWhatThePatternFindsAtTheEdgesOfTheText(string address)
    {
        foreach (var text in new[] { address, $" {address}.", $"x{address}", $"{address}x", $"{address}.f", $"{address}.", $"٣{address}", $"{address}:" })
        {
            AssertSameMatches(text, requireMatches: false);
        }
    }

    private static void AssertSameMatches(string text, bool requireMatches = true) =>
        MatcherEquality.AssertSameMatches(FormerPatterns.IPv6(), IPv6Candidates.Find, text, requireMatches ? 51 : 0);

    /// <summary>
    /// Groups of none to five hex digits joined by colons, now and then by a dot, with dotted-quad tails of short and
    /// long numbers: addresses, addresses with a group too many or too long, and addresses glued to words and to each other.
    /// </summary>
    private static string HexGroups(Random random)
    {
        const string Hex = "0123456789abcdefABCDEF";
        const string Others = " \n,;x_é٣/.";
        var text = new StringBuilder();
        while (text.Length < 300_000)
        {
            for (var g = random.Next(1, 10); g > 0; g--)
            {
                var length = random.Next(5) == 0 ? random.Next(0, 6) : random.Next(0, 5);
                for (var i = 0; i < length; i++)
                {
                    text.Append(Hex[random.Next(Hex.Length)]);
                }

                text.Append(random.Next(15) == 0 ? '.' : ':');
            }

            text.Length--;
            if (random.Next(4) == 0)
            {
                text.Append(':').AppendJoin('.', Enumerable.Range(0, random.Next(2, 6)).Select(_ => random.Next(random.Next(2) == 0 ? 256 : 10_000)));
            }
            else if (random.Next(2) == 0)
            {
                text.Append(Hex[random.Next(Hex.Length)]);
            }

            if (random.Next(3) > 0)
            {
                text.Append(Others[random.Next(Others.Length)]);
            }
        }

        return text.ToString();
    }
}
