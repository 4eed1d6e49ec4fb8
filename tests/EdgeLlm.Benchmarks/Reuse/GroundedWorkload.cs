namespace EdgeLlm.Benchmarks.Reuse;

/// <summary>
/// B's workload, built by calibration because the synthetic model's weights are random and it restates nothing on
/// request: its own greedy continuation D of a seed text S (from the <c>off</c> entry) is put in the prompt as S D,
/// and the prompt ends with S again, so a greedy answer that follows the same path replays D, which prompt lookup can
/// draft from the prompt. Whether it does is measured, not assumed: <see cref="Analyse"/>.
/// </summary>
/// <param name="Seed">S.</param>
/// <param name="Continuation">D, the model's greedy continuation of S.</param>
internal sealed record GroundedWorkload(string Seed, string Continuation)
{
    public const int ContinuationTokens = 256;

    /// <summary>Longest and shortest n-gram looked up, as the daemon's defaults (Inference:SpeculationNgramMax, Min).</summary>
    private const int NgramMax = 4;
    private const int NgramMin = 2;

    /// <summary>The context, then S again: the answer should continue it as D continued S.</summary>
    public string Prompt => $"{Seed}{Continuation}\n\n{Seed}";

    public static async Task<GroundedWorkload> CalibrateAsync(ReuseClient client, string model, CancellationToken cancellationToken)
    {
        var answer = await client.CompleteAsync(model, BenchmarkPrompts.FirstToken, ContinuationTokens, ReuseSampling.Greedy, cancellationToken);
        return new GroundedWorkload(BenchmarkPrompts.FirstToken, answer.Text);
    }

    /// <summary>
    /// How copyable <paramref name="answer"/> is, by <paramref name="vocabulary"/>'s tokens (the answer re-tokenised, so
    /// an estimate): the share of its tokens a prompt-lookup drafter would have guessed (the most recent earlier
    /// occurrence of the longest of the last 4..2 tokens, in the prompt or the answer so far, followed by that token),
    /// and the share of its leading tokens that restate D.
    /// </summary>
    public GroundedAnalysis Analyse(ModelVocabulary vocabulary, string answer)
    {
        var prompt = vocabulary.Tokens(Prompt);
        var all = vocabulary.Tokens(Prompt + answer);
        var start = Math.Min(prompt.Length, all.Length);
        var answerTokens = all.Length - start;
        var guessed = LookupGuesses(all, start);

        // D's tokens as they follow S (alone, the tokenizer would give D a leading space of its own).
        var continuation = vocabulary.Tokens(Seed + Continuation)[vocabulary.Count(Seed)..];
        var restated = all.AsSpan(start).CommonPrefixLength(continuation);
        return new GroundedAnalysis(
            continuation.Length,
            continuation.Distinct().Count(),
            answerTokens,
            answerTokens == 0 ? 0 : guessed / (double)answerTokens,
            answerTokens == 0 ? 0 : restated / (double)answerTokens);
    }

    /// <summary>How many of the tokens from <paramref name="start"/> on a lookup over the tokens before each would have proposed.</summary>
    internal static int LookupGuesses(int[] tokens, int start)
    {
        var guessed = 0;
        for (var i = start; i < tokens.Length; i++)
        {
            guessed += Draft(tokens, i) == tokens[i] ? 1 : 0;
        }

        return guessed;
    }

    /// <summary>The token a lookup over <c>tokens[..position]</c> proposes for <paramref name="position"/>; -1: none.</summary>
    private static int Draft(int[] tokens, int position)
    {
        for (var n = NgramMax; n >= NgramMin; n--)
        {
            if (position < n + 1)
            {
                continue;
            }

            var tail = tokens.AsSpan(position - n, n);

            // The most recent earlier occurrence whose next token is known (before the tail itself).
            for (var j = position - n - 1; j >= 0; j--)
            {
                if (tokens.AsSpan(j, n).SequenceEqual(tail))
                {
                    return tokens[j + n];
                }
            }
        }

        return -1;
    }
}

/// <param name="ContinuationTokens">Tokens of D.</param>
/// <param name="DistinctContinuationTokens">Different tokens in D: a handful means the model loops rather than writes.</param>
/// <param name="AnswerTokens">Tokens of the answer, re-tokenised.</param>
/// <param name="LookupShare">Share of them a prompt-lookup drafter would have guessed.</param>
/// <param name="RestatedShare">Share of them, from the start, equal to D.</param>
internal sealed record GroundedAnalysis(int ContinuationTokens, int DistinctContinuationTokens, int AnswerTokens, double LookupShare, double RestatedShare)
{
    /// <summary>D is a loop of a few tokens: any answer is then copyable from its own output, whatever the context says.</summary>
    public bool Loops => DistinctContinuationTokens * 8 < ContinuationTokens;
}
