namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// E-mail addresses: a local part, '@', and a dotted domain ending in an alphabetic top-level label. Found by scanning
/// for '@' (vectorised) and growing outwards over the characters each side may hold, so text without '@' costs one pass
/// and no input can make it backtrack.
/// </summary>
public sealed class EmailDetector(ContextWords context) : IEntityDetector
{
    private const int MaxLocalPart = 64;
    private const int MaxDomain = 253;

    public string Family => PiiFamilies.Email;

    public int MaxMatchLength => MaxLocalPart + 1 + MaxDomain;

    public IEnumerable<EntityMatch> Find(string text)
    {
        var from = 0;
        while (from < text.Length)
        {
            var at = text.IndexOf('@', from);
            if (at < 0)
            {
                yield break;
            }

            from = at + 1;
            var match = MatchAround(text, at);
            if (match is var (start, end))
            {
                from = end;
                var score = DetectorScores.Combine(DetectorScores.Plausible, context.AppearBefore(text, start));
                yield return new EntityMatch(Family, start, end - start, score);
            }
        }
    }

    private static (int Start, int End)? MatchAround(string text, int at)
    {
        var start = at;
        while (start > 0 && at - start < MaxLocalPart && IsLocalChar(text[start - 1]))
        {
            start--;
        }

        // Dots may separate, not lead: "see.x@y.z" is found as "see.x", ".x@y.z" only from its letters.
        while (start < at && text[start] == '.')
        {
            start++;
        }

        if (start == at || (start > 0 && IsLocalChar(text[start - 1])) || text[at - 1] == '.')
        {
            return null;
        }

        var domainEnd = at + 1;
        while (domainEnd < text.Length && domainEnd - at <= MaxDomain && IsDomainChar(text[domainEnd]))
        {
            domainEnd++;
        }

        // A sentence's full stop or a hyphen after the address belongs to the text, not the domain.
        while (domainEnd > at + 1 && text[domainEnd - 1] is '.' or '-')
        {
            domainEnd--;
        }

        return IsDomain(text.AsSpan(at + 1, domainEnd - at - 1)) && !ContinuesWord(text, domainEnd)
            ? (start, domainEnd)
            : null;
    }

    private static bool IsDomain(ReadOnlySpan<char> domain)
    {
        var labels = 0;
        var lastDot = -1;
        for (var i = 0; i <= domain.Length; i++)
        {
            if (i < domain.Length && domain[i] != '.')
            {
                continue;
            }

            var label = domain[(lastDot + 1)..i];
            if (label.IsEmpty || label.Length > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            labels++;
            lastDot = i;
        }

        var tld = domain[(domain.LastIndexOf('.') + 1)..];
        return labels >= 2 && tld.Length is >= 2 and <= 24 && !tld.ContainsAnyExcept(AsciiLetters);
    }

    private static bool ContinuesWord(string text, int end) =>
        end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is '@' or '_');

    private static bool IsLocalChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

    private static bool IsDomainChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-';

    private static readonly System.Buffers.SearchValues<char> AsciiLetters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
}
