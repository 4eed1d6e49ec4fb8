using System.Globalization;

namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// GBNF for the decimal integers of a closed range, exactly: every integer of the range and nothing else, written
/// without leading zeros (and <c>0</c>, never <c>-0</c>). Built digit position by digit position, the way a range is
/// turned into a regular expression.
/// </summary>
internal static class IntegerRanges
{
    /// <summary>The largest magnitude a grammar writes: <see cref="SchemaLimits.MaxIntegerDigits"/> nines.</summary>
    public static readonly long Largest = (long)Math.Pow(10, SchemaLimits.MaxIntegerDigits) - 1;

    /// <summary>Integers in [<paramref name="low"/>, <paramref name="high"/>] (both within ±<see cref="Largest"/>, low ≤ high).</summary>
    public static string Signed(long low, long high)
    {
        var alternatives = new List<string>();
        if (low < 0)
        {
            // -a .. -b for a ≥ b ≥ 1: the magnitudes b..a behind a minus sign.
            var magnitudeLow = high < 0 ? -high : 1;
            alternatives.Add("\"-\" (" + Magnitudes(magnitudeLow, -low) + ")");
        }

        if (high >= 0)
        {
            alternatives.Add(Magnitudes(Math.Max(low, 0), high));
        }

        return alternatives.Count == 1 ? alternatives[0] : "((" + string.Join(") | (", alternatives) + "))";
    }

    /// <summary>Non-negative integers in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static string Magnitudes(long low, long high)
    {
        var alternatives = new List<string>();
        var lowText = low.ToString(CultureInfo.InvariantCulture);
        var highText = high.ToString(CultureInfo.InvariantCulture);
        for (var length = lowText.Length; length <= highText.Length; length++)
        {
            var from = length == lowText.Length ? lowText : "1" + new string('0', length - 1);
            var to = length == highText.Length ? highText : new string('9', length);
            if (length == 1 && from == "0" && to == "0")
            {
                alternatives.Add("\"0\"");
                continue;
            }

            SameLength(from, to, "", alternatives);
        }

        return string.Join(" | ", alternatives);
    }

    /// <summary>Digit strings of equal length from <paramref name="from"/> to <paramref name="to"/>, each behind <paramref name="prefix"/>.</summary>
    private static void SameLength(string from, string to, string prefix, List<string> alternatives)
    {
        var common = 0;
        while (common < from.Length && from[common] == to[common])
        {
            common++;
        }

        prefix += from[..common] is { Length: > 0 } shared ? GbnfText.Literal(shared) + " " : "";
        from = from[common..];
        to = to[common..];
        if (from.Length == 0)
        {
            alternatives.Add(prefix.TrimEnd());
            return;
        }

        var rest = from.Length - 1;
        var lowFirst = from[0];
        var highFirst = to[0];
        if (rest > 0 && from[1..].Any(d => d != '0'))
        {
            // The run from "from" up to the end of its leading digit.
            SameLength(from[1..], new string('9', rest), prefix + Digit(lowFirst, lowFirst) + " ", alternatives);
            lowFirst++;
        }

        var highTail = rest > 0 && to[1..].Any(d => d != '9');
        var middleHigh = highTail ? (char)(highFirst - 1) : highFirst;
        if (lowFirst <= middleHigh)
        {
            alternatives.Add(prefix + Digit(lowFirst, middleHigh) + (rest > 0 ? " [0-9]" + Repeat(rest) : ""));
        }

        if (highTail)
        {
            SameLength(new string('0', rest), to[1..], prefix + Digit(highFirst, highFirst) + " ", alternatives);
        }
    }

    private static string Digit(char low, char high) => low == high ? "\"" + low + "\"" : "[" + low + "-" + high + "]";

    private static string Repeat(int count) => count == 1 ? "" : "{" + count.ToString(CultureInfo.InvariantCulture) + "}";
}
