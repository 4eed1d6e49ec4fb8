using System.Text.RegularExpressions;
using EdgeLlm.Inference.Constraints;

namespace EdgeLlm.Inference.Tests.Constraints;

public sealed class IntegerRangesTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 9)]
    [InlineData(-5, 5)]
    [InlineData(1, 130)]
    [InlineData(15, 42)]
    [InlineData(-1200, -35)]
    [InlineData(100, 999)]
    [InlineData(7, 7)]
    [InlineData(-1, 0)]
    [InlineData(99, 1001)]
    [InlineData(-309, 1234)]
    public void ARangeMatchesExactlyItsIntegersWrittenWithoutLeadingZeros(long low, long high)
    {
        var matcher = AsRegex(IntegerRanges.Signed(low, high));

        for (var n = low - 150; n <= high + 150; n++)
        {
            Assert.Equal(n >= low && n <= high, matcher.IsMatch(n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        Assert.DoesNotMatch(matcher, "-0");
        Assert.DoesNotMatch(matcher, "0" + high.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void AHalfOpenRangeReachesTheLargestWrittenMagnitude()
    {
        var matcher = AsRegex(IntegerRanges.Signed(0, IntegerRanges.Largest));

        Assert.Matches(matcher, IntegerRanges.Largest.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Matches(matcher, "1000000");
        Assert.DoesNotMatch(matcher, "-1");
    }

    /// <summary>The GBNF of a digit range uses only literals, classes, groups, {n} and |: the same as regex once unquoted.</summary>
    private static Regex AsRegex(string gbnf) => new("^(?:" + gbnf.Replace("\"", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal) + ")$");
}
