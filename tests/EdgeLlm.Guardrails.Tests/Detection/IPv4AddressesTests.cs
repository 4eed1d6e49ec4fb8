using System.Text;
using EdgeLlm.Guardrails.Detection;
using EdgeLlm.Guardrails.Tests.Corpus;

namespace EdgeLlm.Guardrails.Tests.Detection;

/// <summary>
/// IPv4 addresses are read from the text's digit runs instead of by the detector's pattern, a speed-up only: over
/// any text they must be exactly the pattern's matches over the whole text.
/// </summary>
public sealed class IPv4AddressesTests
{
    [Fact]
    public void FindsWhatThePatternFindsInTheCorpus() => AssertSameMatches(string.Join('\n', PiiCorpus.Generate().Select(i => i.Text)));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void FindsWhatThePatternFindsInDottedNumbersRunningIntoEachOther(int seed) => AssertSameMatches(DottedNumbers(new Random(seed)));

    [Theory]
    [InlineData("192.168.0.1")]
    [InlineData("::ffff:192.0.2.1")]
    [InlineData("a:b:10.0.0.1")]
    [InlineData("fe80:abcde:10.0.0.1")]
    [InlineData("255.255.255.255.1")]
    public void FindsWhatThePatternFindsAtTheEdgesOfTheText(string address)
    {
        foreach (var text in new[] { address, $" {address}.", $"x{address}", $"{address}x", $"{address}.5", $":{address}", $"٣{address}", $"{address}٣" })
        {
            AssertSameMatches(text, requireMatches: false);
        }
    }

    private static void AssertSameMatches(string text, bool requireMatches = true) =>
        MatcherEquality.AssertSameMatches(FormerPatterns.IPv4(), IPv4Addresses.Find, text, requireMatches ? 51 : 0);

    /// <summary>
    /// Numbers of one to four digits (octets, too large ones, leading zeros) joined by dots mostly, and by colons, hex
    /// groups and words: addresses, versions, IPv6 tails and near misses.
    /// </summary>
    private static string DottedNumbers(Random random)
    {
        string[] joins = [":", "::", ":ab:", ":abcd:", ":abcde:", " ", " ", "x", "_", "٣", "..", ".", "\n"];
        var text = new StringBuilder();
        while (text.Length < 300_000)
        {
            text.Append(random.Next(3) == 0 ? joins[random.Next(joins.Length)] : ".");
            var number = random.Next(4) switch
            {
                0 => random.Next(10).ToString(System.Globalization.CultureInfo.InvariantCulture),
                1 => random.Next(100).ToString("D2", System.Globalization.CultureInfo.InvariantCulture),
                2 => random.Next(200, 300).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            text.Append(number);
        }

        return text.ToString();
    }
}
