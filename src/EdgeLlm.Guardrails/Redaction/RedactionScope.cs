using System.Text;

namespace EdgeLlm.Guardrails.Redaction;

/// <summary>
/// The placeholders of one request: the same value of the same family always gets the same placeholder
/// (<c>[EMAIL_1]</c>), a different value the next number, and <see cref="Restore"/> puts the values back for the caller
/// who sent them. One scope per request, used by one request at a time: not thread-safe.
/// </summary>
public sealed class RedactionScope
{
    private readonly Dictionary<(string Family, string Value), string> placeholderByValue = [];
    private readonly Dictionary<string, string> valueByPlaceholder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> countByFamily = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> tagByFamily = new(StringComparer.Ordinal);
    private int longestPlaceholder;

    /// <summary>How many distinct values have a placeholder.</summary>
    public int Count => valueByPlaceholder.Count;

    /// <summary>The placeholder for <paramref name="value"/>, made on first sight.</summary>
    public string PlaceholderFor(string family, ReadOnlySpan<char> value)
    {
        var text = value.ToString();
        if (placeholderByValue.TryGetValue((family, text), out var known))
        {
            return known;
        }

        var number = countByFamily.GetValueOrDefault(family) + 1;
        countByFamily[family] = number;
        var placeholder = $"[{TagFor(family)}_{number}]";
        placeholderByValue[(family, text)] = placeholder;
        valueByPlaceholder[placeholder] = text;
        longestPlaceholder = Math.Max(longestPlaceholder, placeholder.Length);
        return placeholder;
    }

    /// <summary>
    /// <paramref name="text"/> with every placeholder of this scope replaced by the value it stands for; text that only
    /// looks like a placeholder is left alone.
    /// </summary>
    public string Restore(string text)
    {
        if (valueByPlaceholder.Count == 0)
        {
            return text;
        }

        var lookup = valueByPlaceholder.GetAlternateLookup<ReadOnlySpan<char>>();
        StringBuilder? restored = null;
        var copiedUpTo = 0;
        var open = text.IndexOf('[', StringComparison.Ordinal);
        while (open >= 0)
        {
            var searchLength = Math.Min(longestPlaceholder, text.Length - open);
            var close = text.AsSpan(open, searchLength).IndexOf(']');
            if (close > 0 && lookup.TryGetValue(text.AsSpan(open, close + 1), out var value))
            {
                restored ??= new StringBuilder(text.Length);
                restored.Append(text, copiedUpTo, open - copiedUpTo).Append(value);
                copiedUpTo = open + close + 1;
                open = text.IndexOf('[', copiedUpTo);
            }
            else
            {
                open = text.IndexOf('[', open + 1);
            }
        }

        return restored is null ? text : restored.Append(text, copiedUpTo, text.Length - copiedUpTo).ToString();
    }

    internal Dictionary<string, string> CopyPlaceholders() => new(valueByPlaceholder, StringComparer.Ordinal);

    // Families are lower-case words or custom:<name>; the tag is their upper-case form with anything else as '_',
    // so a placeholder is always [A-Z0-9_] between brackets.
    private string TagFor(string family)
    {
        if (!tagByFamily.TryGetValue(family, out var tag))
        {
            tag = string.Create(family.Length, family, static (span, source) =>
            {
                for (var i = 0; i < source.Length; i++)
                {
                    var c = source[i];
                    span[i] = char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_';
                }
            });
            tagByFamily[family] = tag;
        }

        return tag;
    }
}
