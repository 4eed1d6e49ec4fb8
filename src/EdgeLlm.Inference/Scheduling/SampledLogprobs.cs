using System.Text;
using EdgeLlm.Inference.Sampling;

namespace EdgeLlm.Inference.Scheduling;

/// <summary>A sampled token's log-probabilities as the API reports them: each token with its text and bytes.</summary>
internal static class SampledLogprobs
{
    public static TokenLogprob? Of(IEngineSequence sequence, SampledToken sampled)
    {
        if (sampled.Logprob is not { } logprob)
        {
            return null;
        }

        var top = new List<TopLogprob>();
        foreach (var (alternative, alternativeLogprob) in sampled.Top ?? [])
        {
            var alternativeBytes = sequence.TokenBytes(alternative);
            top.Add(new TopLogprob(Encoding.UTF8.GetString(alternativeBytes), alternativeBytes, alternativeLogprob));
        }

        var bytes = sequence.TokenBytes(sampled.Token);
        return new TokenLogprob(Encoding.UTF8.GetString(bytes), bytes, logprob, top);
    }
}
