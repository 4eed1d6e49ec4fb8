using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;

namespace EdgeLlm.Testing;

/// <summary>
/// The leanest LLamaSharp generation loop: one sequence, <see cref="LLamaContext.Decode(LLamaBatch)"/>
/// of one token at a time and a managed argmax over the logits; no executor, no sampler chain, no HTTP.
/// It is the reference the daemon's greedy output must equal, and the benchmark's speed ceiling.
/// </summary>
internal sealed class ReferenceGreedyLoop : IDisposable
{
    private readonly LLamaWeights _weights;
    private readonly LLamaContext _context;

    public ReferenceGreedyLoop(string modelPath, int contextSize = 2048, int batchSize = 512, int? threads = null)
    {
        var parameters = new ModelParams(modelPath)
        {
            ContextSize = (uint)contextSize,
            SeqMax = 1,
            BatchSize = (uint)batchSize,
            UBatchSize = (uint)batchSize,
            GpuLayerCount = 0,
            LoadMode = LLamaLoadMode.MemoryMap, // as the daemon loads models
            Threads = threads,
            BatchThreads = threads,
        };
        _weights = LLamaWeights.LoadFromFile(parameters);
        _context = _weights.CreateContext(parameters);
    }

    /// <summary>Weights in the model, as llama.cpp counts them.</summary>
    public ulong ParameterCount => _weights.ParameterCount;

    /// <summary>Greedy continuation of the prompt until end-of-generation or <paramref name="maxTokens"/>.</summary>
    public ReferenceResult Generate(string prompt, bool parseSpecial, int maxTokens)
    {
        var handle = _context.NativeHandle;
        handle.MemoryClear(true);
        var prompted = _weights.Tokenize(prompt, _weights.Vocab.ShouldAddBOS, parseSpecial, Encoding.UTF8);
        var batch = new LLamaBatch();
        batch.AddRange(prompted, 0, (LLamaSeqId)0, true);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        Decode(batch);
        var promptTime = System.Diagnostics.Stopwatch.GetElapsedTime(start);

        var decoder = new StreamingTokenDecoder(_context);
        var generated = new List<int>();
        var position = prompted.Length;
        start = System.Diagnostics.Stopwatch.GetTimestamp();
        while (generated.Count < maxTokens)
        {
            var token = ArgMax(handle.GetLogitsIth(batch.TokenCount - 1));
            if (((LLamaToken)token).IsEndOfGeneration(_weights.Vocab))
            {
                break;
            }

            generated.Add(token);
            decoder.Add(token);
            if (generated.Count == maxTokens)
            {
                break;
            }

            batch.Clear();
            batch.Add(token, position++, (LLamaSeqId)0, true);
            Decode(batch);
        }

        return new ReferenceResult(decoder.Read(), prompted.Length, generated, promptTime, System.Diagnostics.Stopwatch.GetElapsedTime(start));
    }

    public void Dispose()
    {
        _context.Dispose();
        _weights.Dispose();
    }

    private void Decode(LLamaBatch batch)
    {
        var result = _context.Decode(batch);
        if (result != DecodeResult.Ok)
        {
            throw new InvalidOperationException($"Reference decode failed: {result}");
        }
    }

    private static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        return best;
    }
}

/// <param name="Text">The generated text.</param>
/// <param name="PromptTokens">Tokens in the prompt.</param>
/// <param name="Tokens">The generated token ids.</param>
/// <param name="PromptTime">Time to decode the whole prompt.</param>
/// <param name="GenerationTime">Time spent generating after the prompt.</param>
internal sealed record ReferenceResult(string Text, int PromptTokens, IReadOnlyList<int> Tokens, TimeSpan PromptTime, TimeSpan GenerationTime);
