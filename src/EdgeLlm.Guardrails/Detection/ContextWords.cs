namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// Words that make a nearby match more likely to be what its detector thinks ("IBAN: …", "tel. …"): looked for,
/// case-insensitively and as whole words, within a window of characters before the match.
/// </summary>
public sealed class ContextWords
{
    private readonly string[] _words;
    private readonly string[] _wordsWithOtherCharacters;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _letterWords;
    private readonly int _window;

    public ContextWords(IEnumerable<string> words, int window)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(window);
        _words = words.Where(w => !string.IsNullOrWhiteSpace(w)).Select(w => w.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        _window = window;
        // A word of letters only, found whole, is a whole run of letters in the window: one pass over the window's
        // runs looks them all up. Words with other characters ("e-mail") are searched for one by one.
        _letterWords = new HashSet<string>(_words.Where(IsLetters), StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        _wordsWithOtherCharacters = [.. _words.Where(w => !IsLetters(w))];
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
        if (_letterWords.Set.Count > 0 && ContainsLetterWord(window))
        {
            return true;
        }

        foreach (var word in _wordsWithOtherCharacters)
        {
            if (ContainsWholeWord(window, word))
            {
                return true;
            }
        }

        return false;
    }

    private bool ContainsLetterWord(ReadOnlySpan<char> window)
    {
        var position = 0;
        while (position < window.Length)
        {
            if (!char.IsLetter(window[position]))
            {
                position++;
                continue;
            }

            var end = position + 1;
            while (end < window.Length && char.IsLetter(window[end]))
            {
                end++;
            }

            if (_letterWords.Contains(window[position..end]))
            {
                return true;
            }

            position = end;
        }

        return false;
    }

    private static bool IsLetters(string word) => word.All(char.IsLetter);

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
