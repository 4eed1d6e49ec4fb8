using EdgeLlm.Guardrails.Detection;

namespace EdgeLlm.Guardrails.Redaction;

/// <summary>
/// Finds, in a generated answer, the placeholders the request's input was given, so the answer can carry the caller's
/// own values back. Only placeholders that existed when the answer started count: one made while screening the answer
/// stands for a value the output rules hid, and the model writing its name must not bring that value back.
/// </summary>
internal sealed class PlaceholderRestorer
{
    private const string Family = "placeholder";

    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> lookup;

    private PlaceholderRestorer(Dictionary<string, string> valueByPlaceholder)
    {
        lookup = valueByPlaceholder.GetAlternateLookup<ReadOnlySpan<char>>();
        LongestPlaceholder = valueByPlaceholder.Keys.Max(placeholder => placeholder.Length);
    }

    public int LongestPlaceholder { get; }

    /// <summary>A restorer for the placeholders <paramref name="scope"/> holds now; null when it holds none.</summary>
    public static PlaceholderRestorer? Snapshot(RedactionScope scope)
    {
        var valueByPlaceholder = scope.CopyPlaceholders();
        return valueByPlaceholder.Count == 0 ? null : new PlaceholderRestorer(valueByPlaceholder);
    }

    /// <summary>
    /// Adds to <paramref name="chosen"/> (by start) each placeholder starting at or after <paramref name="from"/> that
    /// no detector match overlaps: a value a detector found wins over restoring.
    /// </summary>
    public void AddOccurrences(string text, int from, List<ActionableMatch> chosen)
    {
        var added = false;
        for (var open = text.IndexOf('[', from); open >= 0; open = text.IndexOf('[', open + 1))
        {
            var close = text.AsSpan(open, Math.Min(LongestPlaceholder, text.Length - open)).IndexOf(']');
            if (close <= 0 || !lookup.TryGetValue(text.AsSpan(open, close + 1), out var value))
            {
                continue;
            }

            var occurrence = new ActionableMatch(new EntityMatch(Family, open, close + 1, 1.0), RedactionAction.Allow, value);
            if (!chosen.Exists(other => occurrence.Start < other.End && other.Start < occurrence.End))
            {
                chosen.Add(occurrence);
                added = true;
            }
        }

        if (added)
        {
            chosen.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        }
    }
}
