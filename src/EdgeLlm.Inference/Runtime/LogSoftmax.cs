using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;

namespace EdgeLlm.Inference.Runtime;

/// <summary>
/// Log-probabilities from logits: log-softmax over the tokens that are not at -infinity (the grammar's refusals),
/// with the best <c>top</c> tokens found in one pass over the vocabulary.
/// </summary>
internal static class LogSoftmax
{
    public static SampledToken Sampled(int token, ReadOnlySpan<float> logits, int top)
    {
        var max = float.NegativeInfinity;
        foreach (var logit in logits)
        {
            max = Math.Max(max, logit);
        }

        var sum = 0d;
        foreach (var logit in logits)
        {
            if (!float.IsNegativeInfinity(logit))
            {
                sum += Math.Exp(logit - max);
            }
        }

        var logZ = max + (float)Math.Log(sum);
        var best = Best(logits, Math.Clamp(top, 0, TokenLogprob.MaxAlternatives));
        var alternatives = new (int Token, float Logprob)[best.Length];
        for (var i = 0; i < best.Length; i++)
        {
            alternatives[i] = (best[i], logits[best[i]] - logZ);
        }

        return new SampledToken(token, logits[token] - logZ, alternatives);
    }

    /// <summary>Indexes of the <paramref name="count"/> largest finite logits, largest first (ties: lower index first).</summary>
    internal static int[] Best(ReadOnlySpan<float> logits, int count)
    {
        var best = new List<int>(count + 1);
        for (var i = 0; i < logits.Length && count > 0; i++)
        {
            var logit = logits[i];
            if (float.IsNegativeInfinity(logit) || (best.Count == count && logit <= logits[best[^1]]))
            {
                continue;
            }

            var at = best.Count;
            while (at > 0 && logits[best[at - 1]] < logit)
            {
                at--;
            }

            best.Insert(at, i);
            if (best.Count > count)
            {
                best.RemoveAt(count);
            }
        }

        return [.. best];
    }
}
