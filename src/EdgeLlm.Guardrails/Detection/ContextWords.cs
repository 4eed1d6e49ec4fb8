namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// Words that make a nearby match more likely to be what its detector thinks ("IBAN: …", "tel. …"): looked for,
/// case-insensitively and as whole words, within a window of characters before the match.
/// </summary>
public sealed class ContextWords
{
    private readonly string[] _words;
    private readonly int _window;

    public ContextWords(IEnumerable<string> words, int window)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(window);
        _words = words.Where(w => !string.IsNullOrWhiteSpace(w)).Select(w => w.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        _window = window;
    }

    /// <summary>Whether one of the words ends within the window before <paramref name="start"/>.</summary>
    public bool AppearBefore(string text, int start)
    {
        if (_words.Length == 0 || _window == 0 || start == 0)
        {
            return false;
        }

        var from = Math.Max(0, start - _window);
        var window = text.AsSpan(from, start - from);
        foreach (var word in _words)
        {
            if (ContainsWholeWord(window, word))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsWholeWord(ReadOnlySpan<char> window, string word)
    {
        var offset = 0;
        while (offset < window.Length)
        {
            var at = window[offset..].IndexOf(word, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return false;
            }

            at += offset;
            var end = at + word.Length;
            // "tel" must not be found inside "hotel": letters on either side mean another word.
            var startsWord = at == 0 || !char.IsLetter(window[at - 1]);
            var endsWord = end == window.Length || !char.IsLetter(window[end]);
            if (startsWord && endsWord)
            {
                return true;
            }

            offset = at + 1;
        }

        return false;
    }
}
