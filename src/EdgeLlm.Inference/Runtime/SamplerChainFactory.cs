using EdgeLlm.Inference.Sampling;
using LLama.Native;

namespace EdgeLlm.Inference.Runtime;

/// <summary>Builds a native sampler chain from validated <see cref="SamplingParameters"/>, adding only the stages that do something.</summary>
internal static class SamplerChainFactory
{
    private const int PenaltyWindow = 64;

    /// <summary>The chain for the parameters, or null for plain greedy decoding (argmax needs no chain).</summary>
    public static SafeLLamaSamplerChainHandle? Create(SamplingParameters p)
    {
        var penalties = p.RepeatPenalty != 1f || p.FrequencyPenalty != 0f || p.PresencePenalty != 0f;
        if (p.IsGreedy && !penalties)
        {
            return null;
        }

        var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        if (penalties)
        {
            chain.AddPenalties(PenaltyWindow, p.RepeatPenalty, p.FrequencyPenalty, p.PresencePenalty);
        }

        if (p.IsGreedy)
        {
            chain.AddGreedySampler();
            return chain;
        }

        if (p.TopK > 0)
        {
            chain.AddTopK(p.TopK);
        }

        if (p.TopP < 1f)
        {
            chain.AddTopP(p.TopP, 1);
        }

        if (p.MinP > 0f)
        {
            chain.AddMinP(p.MinP, 1);
        }

        chain.AddTemperature(p.Temperature);
        chain.AddDistributionSampler(p.Seed ?? (uint)Random.Shared.Next());
        return chain;
    }
}
