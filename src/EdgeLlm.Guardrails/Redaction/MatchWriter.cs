using System.Text;

namespace EdgeLlm.Guardrails.Redaction;

/// <summary>
/// Writes a stretch of text with the chosen matches' actions applied. The whole-text redactor and the streaming filter
/// both write through here, so a streamed answer reads exactly as the same answer redacted at once.
/// </summary>
internal static class MatchWriter
{
    /// <summary>
    /// Appends <paramref name="text"/>[<paramref name="from"/>, <paramref name="to"/>) to <paramref name="output"/>;
    /// <paramref name="matches"/> lie inside that stretch, by start, not overlapping.
    /// </summary>
    public static void Write(
        string text,
        int from,
        int to,
        List<ActionableMatch> matches,
        RedactionRules rules,
        RedactionScope scope,
        DecisionTally tally,
        StringBuilder output)
    {
        var position = from;
        foreach (var match in matches)
        {
            output.Append(text, position, match.Start - position);
            position = match.End;
            if (match.RestoredValue is not null)
            {
                output.Append(match.RestoredValue);
                continue;
            }

            var value = text.AsSpan(match.Start, match.Match.Length);
            switch (match.Action)
            {
                case RedactionAction.Redact or RedactionAction.Block:
                    output.Append(scope.PlaceholderFor(match.Match.Family, value));
                    break;
                case RedactionAction.Mask:
                    ValueMask.AppendMasked(output, value, rules.MaskKeepLast);
                    break;
                default:
                    output.Append(value);
                    break;
            }

            tally.Add(match.Match.Family, match.Action);
        }

        output.Append(text, position, to - position);
    }
}
