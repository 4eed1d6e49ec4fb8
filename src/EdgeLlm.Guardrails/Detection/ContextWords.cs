namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// Words that make a nearby match more likely to be what its detector thinks ("IBAN: …", "tel. …"): looked for,
/// case-insensitively and as whole words, within a window of characters before the match.
/// </summary>
public sealed class ContextWords
{
    private readonly string[] _words;
    private readonly int _window;

    // The words each ASCII character can start, ignoring case as OrdinalIgnoreCase does; any other character may start
    // any word ('ſ' is an 's' to it). Every match looks at its window: one pass over it, trying a word only where one
    // could start, costs a fraction of a case-insensitive search per word.
    private readonly string[][] _startingWith = new string[128][];
    private readonly System.Buffers.SearchValues<char> _startingNone;

    public ContextWords(IEnumerable<string> words, int window)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(window);
        _words = words.Where(w => !string.IsNullOrWhiteSpace(w)).Select(w => w.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        _window = window;
        for (var c = (char)0; c < _startingWith.Length; c++)
        {
            var first = c.ToString();
            _startingWith[c] = _words.Where(w => string.Equals(w[..1], first, StringComparison.OrdinalIgnoreCase)).ToArray();
        }

        _startingNone = System.Buffers.SearchValues.Create(Enumerable.Range(0, 128).Select(c => (char)c).Where(c => _startingWith[c].Length == 0).ToArray());
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
        for (var at = 0; at < window.Length; at++)
        {
            // A vectorised skip to the next character that can start a word.
            var skip = window[at..].IndexOfAnyExcept(_startingNone);
            if (skip < 0)
            {
                return false;
            }

            at += skip;

            // "tel" must not be found inside "hotel": a letter before or after means another word.
            var c = window[at];
            if (at > 0 && char.IsLetter(window[at - 1]))
            {
                continue;
            }

            foreach (var word in c < _startingWith.Length ? _startingWith[c] : _words)
            {
                var end = at + word.Length;
                if (end <= window.Length
                    && window.Slice(at, word.Length).Equals(word, StringComparison.OrdinalIgnoreCase)
                    && (end == window.Length || !char.IsLetter(window[end])))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
