using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Redaction;

/// <summary>
/// Runs every detector over a text and keeps the matches to act on: strong enough, and not overlapping. Where two
/// overlap, the stricter action wins (block, then redact, mask, flag, allow), then the earlier, then the longer, so an
/// allowed or flagged family can never shelter a value another family would hide.
/// </summary>
internal sealed class MatchFinder
{
    private readonly IEntityDetector[] detectors;
    private readonly RedactionRules rules;

    public MatchFinder(IEnumerable<IEntityDetector> detectors, RedactionRules rules)
    {
        rules.Validate();
        this.detectors = [.. detectors];
        this.rules = rules;
        foreach (var detector in this.detectors)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(detector.MaxMatchLength, $"{detector.Family}.MaxMatchLength");
        }

        MaxMatchLength = this.detectors.Length == 0 ? 0 : this.detectors.Max(detector => detector.MaxMatchLength);
    }

    /// <summary>The longest text any detector's match can span.</summary>
    public int MaxMatchLength { get; }

    public RedactionRules Rules => rules;

    /// <summary>Fills <paramref name="chosen"/> with the matches to act on, by start; <paramref name="candidates"/> is scratch.</summary>
    public void Find(string text, List<ActionableMatch> candidates, List<ActionableMatch> chosen)
    {
        candidates.Clear();
        chosen.Clear();
        foreach (var detector in detectors)
        {
            foreach (var match in detector.Find(text))
            {
                if (match.Start < 0 || match.Length <= 0 || match.End > text.Length)
                {
                    throw new InvalidOperationException(
                        $"Detector '{detector.Family}' returned a match outside the text ({match.Start}+{match.Length} of {text.Length}).");
                }

                if (match.Score >= rules.MinimumScore)
                {
                    candidates.Add(new ActionableMatch(match, rules.ActionFor(match.Family)));
                }
            }
        }

        if (candidates.Count == 0)
        {
            return;
        }

        candidates.Sort(static (a, b) =>
        {
            var byAction = b.Action.CompareTo(a.Action);
            if (byAction != 0)
            {
                return byAction;
            }

            var byStart = a.Start.CompareTo(b.Start);
            return byStart != 0 ? byStart : b.Match.Length.CompareTo(a.Match.Length);
        });
        foreach (var candidate in candidates)
        {
            if (!OverlapsAny(chosen, candidate))
            {
                chosen.Add(candidate);
            }
        }

        chosen.Sort(static (a, b) => a.Start.CompareTo(b.Start));
    }

    private static bool OverlapsAny(List<ActionableMatch> chosen, ActionableMatch candidate)
    {
        foreach (var other in chosen)
        {
            if (candidate.Start < other.End && other.Start < candidate.End)
            {
                return true;
            }
        }

        return false;
    }
}
