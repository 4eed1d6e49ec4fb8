using System.Text;
using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Redaction;

/// <summary>
/// Applies one direction's rules to text: finds entities with the detectors, then redacts, masks, flags, allows or
/// blocks them per family. Stateless and thread-safe (given thread-safe detectors); the per-request state lives in the
/// <see cref="RedactionScope"/> passed in, and in each <see cref="StreamingOutputFilter"/> it creates.
/// </summary>
public sealed class Redactor
{
    private readonly MatchFinder finder;

    /// <exception cref="ArgumentOutOfRangeException">The rules are out of range, or a detector has no positive MaxMatchLength.</exception>
    public Redactor(IEnumerable<IEntityDetector> detectors, RedactionRules rules)
    {
        finder = new MatchFinder(detectors, rules);
    }

    /// <summary>The longest text any detector's match can span: what a streaming filter holds back.</summary>
    public int MaxMatchLength => finder.MaxMatchLength;

    public RedactionResult Redact(string text, RedactionScope scope)
    {
        var candidates = new List<ActionableMatch>();
        var matches = new List<ActionableMatch>();
        finder.Find(text, candidates, matches);
        if (matches.Count == 0)
        {
            return new RedactionResult(text, [], null);
        }

        var tally = new DecisionTally();
        var output = new StringBuilder(text.Length);
        MatchWriter.Write(text, 0, text.Length, matches, finder.Rules, scope, tally, output);
        var blocked = matches.Find(static match => match.Action == RedactionAction.Block);
        return new RedactionResult(output.ToString(), tally.ToDecisions(), blocked.Match?.Family);
    }

    /// <summary>A filter for one generated answer, sharing <paramref name="scope"/> with the request's input.</summary>
    /// <param name="scope">The request's placeholders: the answer reuses them for the same values.</param>
    /// <param name="restorePlaceholders">
    /// Whether placeholders the input was given (those in <paramref name="scope"/> now) are written back as the caller's
    /// values when the model repeats them. For an answer that is not streamed, push it whole and complete.
    /// </param>
    public StreamingOutputFilter CreateStreamFilter(RedactionScope scope, bool restorePlaceholders = false) =>
        new(finder, scope, restorePlaceholders);
}
