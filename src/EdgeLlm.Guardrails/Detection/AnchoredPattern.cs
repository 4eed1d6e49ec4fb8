using System.Text.RegularExpressions;

namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// A bounded pattern run only near the places every one of its matches holds (an IPv6 address's ':' before a hex digit,
/// <see cref="Anchors"/>), found by a vectorised scan: dense text
/// full of hex letters or digits, where the pattern would try a match at almost every character, costs one scan plus
/// short windows. The matches are exactly the pattern's own over the whole text: a window sees all the text before it
/// (for lookbehinds) and <see cref="Reach"/> characters after its last possible start (for the longest match and its
/// lookahead). The IPv4, IPv6 and MAC detectors now read their matches by hand; their anchored patterns remain the
/// definitions the tests hold those readers to.
/// </summary>
internal sealed class AnchoredPattern
{
    private readonly Anchors.Finder _nextAnchor;

    /// <param name="pattern">Never matches empty text.</param>
    /// <param name="anchors">Finds the places of which every match holds at least one.</param>
    /// <param name="anchorWithin">The furthest a match's first anchor can be from the match's start.</param>
    /// <param name="reach">How far past a match attempt's start the pattern can read: its longest match plus its lookahead.</param>
    public AnchoredPattern(Regex pattern, Anchors.Finder anchors, int anchorWithin, int reach)
    {
        Pattern = pattern;
        _nextAnchor = anchors;
        AnchorWithin = anchorWithin;
        Reach = reach;
    }

    /// <param name="pattern">Never matches empty text.</param>
    /// <param name="anchors">Characters of which every match holds at least one.</param>
    /// <param name="anchorWithin">The furthest a match's first anchor can be from the match's start.</param>
    /// <param name="reach">How far past a match attempt's start the pattern can read: its longest match plus its lookahead.</param>
    public AnchoredPattern(Regex pattern, string anchors, int anchorWithin, int reach)
        : this(pattern, Anchors.Characters(anchors), anchorWithin, reach)
    {
    }

    public Regex Pattern { get; }

    public int AnchorWithin { get; }

    public int Reach { get; }

    /// <summary>The pattern's matches in <paramref name="text"/>, in order, as <c>(Index, Length)</c>.</summary>
    public List<(int Index, int Length)> Matches(string text)
    {
        var found = new List<(int Index, int Length)>();
        var decidedTo = 0;
        var anchor = NextAnchor(text, 0);
        while (anchor >= 0)
        {
            // A match starting in [start, last] has its first anchor in this run of anchors; one window covers the run.
            // Anchors whose windows would overlap this one's read-ahead join it: a regex call costs more than the
            // characters it would skip.
            var start = Math.Max(decidedTo, anchor - AnchorWithin);
            var last = anchor;
            while (NextAnchor(text, last + 1) is var next && next >= 0 && next - AnchorWithin <= last + Reach)
            {
                last = next;
            }

            var window = text.AsSpan(0, (int)Math.Min(text.Length, (long)last + Reach));
            foreach (var match in Pattern.EnumerateMatches(window, start))
            {
                if (match.Index > last)
                {
                    break;
                }

                found.Add((match.Index, match.Length));
                decidedTo = match.Index + match.Length;
            }

            decidedTo = Math.Max(decidedTo, last + 1);
            anchor = NextAnchor(text, decidedTo);
        }

        return found;
    }

    private int NextAnchor(string text, int from) => from >= text.Length ? -1 : _nextAnchor(text, from);
}
