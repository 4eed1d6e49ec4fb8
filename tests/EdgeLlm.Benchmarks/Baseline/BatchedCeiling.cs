using System.Diagnostics;
using System.Numerics.Tensors;
using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;

namespace EdgeLlm.Benchmarks.Baseline;

/// <summary>
/// What llama.cpp itself gains from batching on this machine: N sequences stepped together, one token each
/// per <c>LLamaContext.Decode</c> of a single batch, managed argmax, no scheduler and no HTTP. Its 8-to-1
/// ratio is the ceiling of the daemon's 8-stream ratio, measured in the same run.
/// </summary>
internal static class BatchedCeiling
{
    /// <summary>Aggregate decode tokens per second of 1 and of <paramref name="sequences"/> sequences.</summary>
    public static (double One, double Many) Measure(BenchmarkPlan plan, int sequences)
    {
        var parameters = new ModelParams(plan.ModelPath)
        {
            ContextSize = (uint)(plan.ContextSize * sequences),
            SeqMax = (uint)sequences,
            KVUnified = true,
            GpuLayerCount = 0,
            Threads = plan.Threads,
            BatchThreads = plan.Threads,
            LoadMode = LLamaLoadMode.MemoryMap,
        };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        using var context = weights.CreateContext(parameters);
        Rate(context, weights, 1, 4);
        return (Rate(context, weights, 1, plan.StreamTokens), Rate(context, weights, sequences, plan.StreamTokens));
    }

    private static double Rate(LLamaContext context, LLamaWeights weights, int sequences, int tokens)
    {
        context.NativeHandle.MemoryClear(true);
        var batch = new LLamaBatch();
        var positions = new int[sequences];
        var logits = new int[sequences];
        for (var s = 0; s < sequences; s++)
        {
            var prompt = weights.Tokenize(BenchmarkPrompts.Streams[s % BenchmarkPrompts.Streams.Count], true, false, Encoding.UTF8);
            for (var i = 0; i < prompt.Length; i++)
            {
                logits[s] = batch.Add(prompt[i], i, (LLamaSeqId)s, i == prompt.Length - 1);
            }

            positions[s] = prompt.Length;
        }

        Decode(context, batch);
        var clock = Stopwatch.StartNew();
        for (var step = 0; step < tokens; step++)
        {
            var next = new int[sequences];
            for (var s = 0; s < sequences; s++)
            {
                next[s] = TensorPrimitives.IndexOfMax<float>(context.NativeHandle.GetLogitsIth(logits[s]));
            }

            batch.Clear();
            for (var s = 0; s < sequences; s++)
            {
                logits[s] = batch.Add(next[s], positions[s]++, (LLamaSeqId)s, true);
            }

            Decode(context, batch);
        }

        return sequences * tokens / clock.Elapsed.TotalSeconds;
    }

    private static void Decode(LLamaContext context, LLamaBatch batch)
    {
        if (context.Decode(batch) != DecodeResult.Ok)
        {
            throw new InvalidOperationException("The batched ceiling's decode failed.");
        }
    }
}
