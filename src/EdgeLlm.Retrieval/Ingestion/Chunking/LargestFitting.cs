namespace EdgeLlm.Retrieval.Ingestion.Chunking;

/// <summary>
/// Finds how far a monotone predicate stays true over candidate indices 0..count-1 with few calls:
/// galloping (1, 2, 4, 8 ... candidates) then bisection. With candidates ordered by growing text and
/// the predicate "fits the token budget", the tokenizer runs O(log n) times on texts at most twice
/// the answer's length, never once per character.
/// </summary>
internal static class LargestFitting
{
    /// <summary>The largest index whose predicate returned true, or -1 when index 0 fails.</summary>
    public static int Index(int count, Func<int, bool> fits)
    {
        if (count == 0 || !fits(0))
        {
            return -1;
        }

        var good = 0;
        var bad = count;
        for (var step = 1; good + step < count; step *= 2)
        {
            if (!fits(good + step))
            {
                bad = good + step;
                break;
            }

            good += step;
        }

        if (bad == count && good < count - 1)
        {
            if (fits(count - 1))
            {
                return count - 1;
            }

            bad = count - 1;
        }

        while (bad - good > 1)
        {
            var middle = good + ((bad - good) / 2);
            if (fits(middle))
            {
                good = middle;
            }
            else
            {
                bad = middle;
            }
        }

        return good;
    }
}
