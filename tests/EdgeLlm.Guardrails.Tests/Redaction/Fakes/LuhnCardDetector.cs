using System.Text.RegularExpressions;
using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Tests.Redaction.Fakes;

/// <summary>
/// A small card-number detector for redaction tests: 13 to 19 digits with optional single spaces or dashes; a valid Luhn
/// checksum scores 1.0, format alone 0.2 (below the default threshold).
/// </summary>
internal sealed partial class LuhnCardDetector : IEntityDetector
{
    public string Family => "card";

    public int MaxMatchLength => 19 + 18;

    public IEnumerable<EntityMatch> Find(string text)
    {
        foreach (Match match in Pattern().Matches(text))
        {
            yield return new EntityMatch(Family, match.Index, match.Length, HasValidChecksum(match.ValueSpan) ? 1.0 : 0.2);
        }
    }

    private static bool HasValidChecksum(ReadOnlySpan<char> number)
    {
        var sum = 0;
        var doubled = false;
        for (var i = number.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(number[i]))
            {
                continue;
            }

            var digit = number[i] - '0';
            if (doubled)
            {
                digit = digit * 2 > 9 ? (digit * 2) - 9 : digit * 2;
            }

            sum += digit;
            doubled = !doubled;
        }

        return sum % 10 == 0;
    }

    [GeneratedRegex(@"(?<![0-9])(?:[0-9][ -]?){12,18}[0-9](?![0-9])")]
    private static partial Regex Pattern();
}
