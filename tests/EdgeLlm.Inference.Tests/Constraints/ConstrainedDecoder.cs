using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;

namespace EdgeLlm.Inference.Tests.Constraints;

/// <summary>
/// A minimal generation loop through a llama.cpp sampler chain holding a grammar sampler: the chain applies the
/// grammar to the whole vocabulary, samples and accepts, so every token keeps the output a prefix of the grammar
/// and end-of-generation is only possible once the grammar is complete.
/// </summary>
internal sealed class ConstrainedDecoder : IDisposable
{
    private readonly LLamaContext _context;

    public ConstrainedDecoder(string modelPath)
    {
        var parameters = new ModelParams(modelPath) { ContextSize = 1024, BatchSize = 512, UBatchSize = 512, SeqMax = 1, GpuLayerCount = 0 };
        Weights = LLamaWeights.LoadFromFile(parameters);
        _context = Weights.CreateContext(parameters);
    }

    public LLamaWeights Weights { get; }

    public List<string> Pieces { get; } = [];

    /// <summary>The text generated and whether generation ended with end-of-generation (not the token budget).</summary>
    public (string Text, bool Completed) Generate(string prompt, string gbnf, string root, uint? seed, int maxTokens)
    {
        using var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        chain.AddGrammar(Weights.Vocab, gbnf, root);
        if (seed is { } s)
        {
            chain.AddTemperature(1.0f);
            chain.AddDistributionSampler(s);
        }
        else
        {
            chain.AddGreedySampler();
        }

        Pieces.Clear();
        _context.NativeHandle.MemoryClear(true);
        var tokens = Weights.Tokenize(prompt, true, false, Encoding.UTF8);
        var batch = new LLamaBatch();
        batch.AddRange(tokens, 0, (LLamaSeqId)0, true);
        Decode(batch);
        var decoder = new StreamingTokenDecoder(_context);
        var position = tokens.Length;
        for (var generated = 0; generated < maxTokens; generated++)
        {
            var token = chain.Sample(_context.NativeHandle, batch.TokenCount - 1);
            if (token.IsEndOfGeneration(Weights.Vocab))
            {
                return (decoder.Read(), true);
            }

            decoder.Add(token);
            Pieces.Add(Weights.Vocab.LLamaTokenToString(token, false) ?? "<null>");
            batch.Clear();
            batch.Add(token, position++, (LLamaSeqId)0, true);
            Decode(batch);
        }

        return (decoder.Read(), false);
    }

    public void Dispose()
    {
        _context.Dispose();
        Weights.Dispose();
    }

    private void Decode(LLamaBatch batch)
    {
        if (_context.Decode(batch) != DecodeResult.Ok)
        {
            throw new InvalidOperationException("decode failed");
        }
    }
}
