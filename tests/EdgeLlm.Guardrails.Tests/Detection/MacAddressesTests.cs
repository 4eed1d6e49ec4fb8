using System.Text;
using EdgeLlm.Guardrails.Detection;
using EdgeLlm.Guardrails.Tests.Corpus;

namespace EdgeLlm.Guardrails.Tests.Detection;

/// <summary>
/// MAC addresses are read by hand from their first separator instead of by the detector's pattern, a speed-up only:
/// over any text they must be exactly the pattern's matches over the whole text.
/// </summary>
public sealed class MacAddressesTests
{
    [Fact]
    public void FindsWhatThePatternFindsInTheCorpus() => AssertSameMatches(string.Join('\n', PiiCorpus.Generate().Select(i => i.Text)));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void FindsWhatThePatternFindsInHexGroupsRunningIntoEachOther(int seed) => AssertSameMatches(HexGroups(new Random(seed)));

    [Theory]
    [InlineData("0a:1b:2c:3d:4e:5f")]
    [InlineData("0a1b.2c3d.4e5f")]
    [InlineData("0A-1B-2C-3D-4E-5F")]
    public void FindsWhatThePatternFindsAtTheEdgesOfTheText(string address)
    {
        foreach (var text in new[] { address, $" {address}.", $"x{address}", $"{address}x", $"{address}.f", $"{address}.", $"٣{address}", $"{address}:" })
        {
            AssertSameMatches(text, requireMatches: false);
        }
    }

    private static void AssertSameMatches(string text, bool requireMatches = true) =>
        MatcherEquality.AssertSameMatches(FormerPatterns.Mac(), MacAddresses.Find, text, requireMatches ? 51 : 0);

    /// <summary>
    /// Groups of one to five hex digits joined by each notation's separators, mostly one kind for a while: addresses,
    /// addresses one group too long or short, mixed separators, and addresses glued to words and to each other.
    /// </summary>
    private static string HexGroups(Random random)
    {
        const string Hex = "0123456789abcdefABCDEF";
        const string Others = " \n,;x_é٣/";
        var text = new StringBuilder();
        while (text.Length < 300_000)
        {
            var separator = ":-."[random.Next(3)];
            var size = separator == '.' ? 4 : 2;
            for (var g = random.Next(2, 8); g > 0; g--)
            {
                var length = random.Next(6) == 0 ? random.Next(1, 6) : size;
                for (var i = 0; i < length; i++)
                {
                    text.Append(Hex[random.Next(Hex.Length)]);
                }

                text.Append(random.Next(12) == 0 ? ":-."[random.Next(3)] : separator);
            }

            text.Length--;
            if (random.Next(3) > 0)
            {
                text.Append(Others[random.Next(Others.Length)]);
            }
        }

        return text.ToString();
    }
}
