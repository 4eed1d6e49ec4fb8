using System.Globalization;

namespace EdgeLlm.Benchmarks.Reuse;

/// <summary>
/// Deterministic prompt text: a made-up operations manual cut to a token count, questions about it, and a nonce line.
/// The same seed gives the same text on every run, so runs are comparable.
/// </summary>
internal static class PromptText
{
    private static readonly string[] Nouns =
    [
        "pump", "valve", "filter", "sensor", "gateway", "battery", "relay", "controller", "tank", "inverter",
        "log", "alarm", "shift", "operator", "report", "cable", "panel", "schedule", "firmware", "cabinet",
    ];

    private static readonly string[] Verbs =
    [
        "check", "record", "replace", "reset", "inspect", "calibrate", "report", "isolate", "clean", "restart",
    ];

    private static readonly string[] States =
    [
        "open", "closed", "warm", "idle", "loaded", "offline", "overdue", "sealed", "drained", "charged",
    ];

    /// <summary>
    /// Numbered rules of the manual, as many whole words as fit in <paramref name="tokens"/> tokens by
    /// <paramref name="vocabulary"/> (the count is at most that, and short of it by less than a word).
    /// </summary>
    public static string Manual(ModelVocabulary vocabulary, int tokens, int seed)
    {
        var random = new Random(seed);
        var words = new List<string>();
        for (var rule = 1; words.Count < tokens; rule++)
        {
            words.AddRange(Sentence(random, rule).Split(' '));
        }

        // The token count grows with the words, so the longest prefix that fits is found by bisection.
        int low = 1, high = words.Count;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (vocabulary.Count(Join(words, middle)) <= tokens)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return Join(words, low);
    }

    /// <summary>A question of about twenty tokens about the manual; round <paramref name="round"/> gets its own.</summary>
    public static string Question(int round)
    {
        var random = new Random(1000 + round);
        return $"Question {round + 1}: which rule says to {Pick(random, Verbs)} the {Pick(random, Nouns)} when the {Pick(random, Nouns)} is {Pick(random, States)}, and why?";
    }

    /// <summary>A line no earlier prompt has: placed first, nothing kept matches the prompt.</summary>
    public static string Nonce() => $"Request {Guid.NewGuid().ToString("N")[..8]}";

    private static string Sentence(Random random, int rule) =>
        $"Rule {rule.ToString(CultureInfo.InvariantCulture)}. When the {Pick(random, Nouns)} of the {Pick(random, Nouns)} is {Pick(random, States)}, "
        + $"the {Pick(random, Nouns)} must {Pick(random, Verbs)} the {Pick(random, Nouns)} and {Pick(random, Verbs)} the {Pick(random, Nouns)} before the next {Pick(random, Nouns)}.";

    private static string Pick(Random random, string[] words) => words[random.Next(words.Length)];

    private static string Join(List<string> words, int count) => string.Join(' ', words.Take(count));
}
