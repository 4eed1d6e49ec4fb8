using System.Diagnostics;
using System.Numerics.Tensors;
using System.Text;
using EdgeLlm.Benchmarks.Reporting;
using LLama;
using LLama.Common;
using LLama.Native;

namespace EdgeLlm.Benchmarks.LlamaCpp;

/// <summary>
/// The lean LLamaSharp loop (one Decode per token, managed argmax; no executor, no HTTP) in one or more context
/// shapes, with each token's time split into the Decode call, the wait for the device (llama_synchronize), the
/// logits read and the argmax (the sampling): where the time goes that llama-bench does not spend. The natives and
/// any backend module must already be loaded (<see cref="LoadedNatives"/>).
/// </summary>
internal static class LeanLoop
{
    public static IReadOnlyList<LeanResult> Run(string modelPath, ComparisonSettings settings, IReadOnlyList<LeanShape> shapes)
    {
        var modelParameters = new ModelParams(modelPath) { GpuLayerCount = settings.GpuLayers, LoadMode = LLamaLoadMode.MemoryMap };
        using var weights = LLamaWeights.LoadFromFile(modelParameters);
        var prompt = weights.Tokenize(BenchmarkPrompts.FirstToken, weights.Vocab.ShouldAddBOS, false, Encoding.UTF8);
        var decodePrompt = weights.Tokenize(BenchmarkPrompts.Decode, weights.Vocab.ShouldAddBOS, false, Encoding.UTF8);
        var results = new List<LeanResult>();
        foreach (var shape in shapes)
        {
            var parameters = new ModelParams(modelPath)
            {
                ContextSize = (uint)settings.ContextSize * shape.Sequences,
                SeqMax = shape.Sequences,
                KVUnified = shape.UnifiedKv,
                BatchSize = shape.BatchSize,
                UBatchSize = shape.UBatchSize,
                Threads = settings.Threads,
                BatchThreads = settings.Threads,
            };
            using var context = weights.CreateContext(parameters);
            Generate(context, shape, decodePrompt, 8);
            var runs = Enumerable.Range(0, settings.Repeats).Select(_ => Generate(context, shape, decodePrompt, settings.Tokens)).ToList();
            var promptMilliseconds = Enumerable.Range(0, settings.TtftRuns).Select(_ => FirstToken(context, prompt).TotalMilliseconds).ToList();
            results.Add(new LeanResult(
                shape.Name,
                runs.Count * settings.Tokens / runs.Sum(r => r.Seconds),
                runs.Average(r => r.DecodeCall),
                runs.Average(r => r.Wait),
                runs.Average(r => r.LogitsRead),
                runs.Average(r => r.Argmax),
                prompt.Length,
                Percentiles.Median(promptMilliseconds),
                PromptRate(context, decodePrompt)));
        }

        return results;
    }

    /// <summary>Greedy generation after the prompt; per-token averages of each phase, in milliseconds.</summary>
    private static LeanRun Generate(LLamaContext context, LeanShape shape, LLamaToken[] prompt, int tokens)
    {
        var handle = context.NativeHandle;
        FirstToken(context, prompt);
        var token = ArgMax(handle.GetLogitsIth(prompt.Length - 1));
        var batch = new LLamaBatch();
        long decodeCall = 0, wait = 0, read = 0, argmax = 0;
        var start = Stopwatch.GetTimestamp();
        for (var position = prompt.Length; position < prompt.Length + tokens; position++)
        {
            var t0 = Stopwatch.GetTimestamp();
            if (shape.RawDecode)
            {
                Check(LoadedNatives.DecodeOne(handle, token));
            }
            else
            {
                batch.Clear();
                batch.Add(token, position, (LLamaSeqId)0, true);
                Check((int)context.Decode(batch));
            }

            var t1 = Stopwatch.GetTimestamp();
            handle.Synchronize();
            var t2 = Stopwatch.GetTimestamp();
            var logits = handle.GetLogitsIth(0);
            var t3 = Stopwatch.GetTimestamp();
            token = ArgMax(logits);
            var t4 = Stopwatch.GetTimestamp();
            (decodeCall, wait, read, argmax) = (decodeCall + (t1 - t0), wait + (t2 - t1), read + (t3 - t2), argmax + (t4 - t3));
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        return new LeanRun(
            elapsed.TotalSeconds, Milliseconds(decodeCall) / tokens, Milliseconds(wait) / tokens, Milliseconds(read) / tokens, Milliseconds(argmax) / tokens);
    }

    private sealed record LeanRun(double Seconds, double DecodeCall, double Wait, double LogitsRead, double Argmax);

    /// <summary>The model's own time to first token: the prompt's decode, the wait for it, and the argmax of its logits.</summary>
    private static TimeSpan FirstToken(LLamaContext context, LLamaToken[] prompt)
    {
        var handle = context.NativeHandle;
        handle.MemoryClear(true);
        var batch = new LLamaBatch();
        batch.AddRange(prompt, 0, (LLamaSeqId)0, true);
        var start = Stopwatch.GetTimestamp();
        Check((int)context.Decode(batch));
        ArgMax(handle.GetLogitsIth(prompt.Length - 1));
        return Stopwatch.GetElapsedTime(start);
    }

    /// <summary>Prompt tokens per second of one <see cref="LlamaCppTools.PromptTokens"/>-token batch, as llama-bench's pp.</summary>
    private static double PromptRate(LLamaContext context, LLamaToken[] text)
    {
        var handle = context.NativeHandle;
        var batch = new LLamaBatch();
        for (var i = 0; i < LlamaCppTools.PromptTokens; i++)
        {
            batch.Add(text[i % text.Length], i, (LLamaSeqId)0, i == LlamaCppTools.PromptTokens - 1);
        }

        var best = TimeSpan.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            handle.MemoryClear(true);
            var start = Stopwatch.GetTimestamp();
            Check((int)context.Decode(batch));
            handle.Synchronize();
            var elapsed = Stopwatch.GetElapsedTime(start);
            best = elapsed < best ? elapsed : best;
        }

        return LlamaCppTools.PromptTokens / best.TotalSeconds;
    }

    private static int ArgMax(Span<float> logits) => TensorPrimitives.IndexOfMax<float>(logits);

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static void Check(int result)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"The lean loop's decode failed: {result}.");
        }
    }
}

/// <param name="Shape">The context shape's name.</param>
/// <param name="Rate">Generated tokens per second over all runs, as the per-token phases are averaged over all runs.</param>
/// <param name="DecodeCallMilliseconds">Per token: the Decode call (on a GPU it returns before the kernels finish).</param>
/// <param name="WaitMilliseconds">Per token: llama_synchronize after it, the device's remaining work.</param>
/// <param name="LogitsReadMilliseconds">Per token: llama_get_logits_ith, the logits as a span.</param>
/// <param name="ArgmaxMilliseconds">Per token: the sampling, a managed argmax over the vocabulary.</param>
/// <param name="PromptTokens">Tokens of the time-to-first-token prompt.</param>
/// <param name="PromptMilliseconds">Median time to first token of that prompt, in this process.</param>
/// <param name="PromptRate">Tokens per second of a 512-token prompt in one batch.</param>
internal sealed record LeanResult(
    string Shape, double Rate, double DecodeCallMilliseconds, double WaitMilliseconds, double LogitsReadMilliseconds, double ArgmaxMilliseconds,
    int PromptTokens, double PromptMilliseconds, double PromptRate)
{
    public double MillisecondsPerToken => 1000 / Rate;

    /// <summary>Per token: the rest of the loop (the managed batch, the loop itself, the timer reads).</summary>
    public double ManagedMilliseconds => MillisecondsPerToken - DecodeCallMilliseconds - WaitMilliseconds - LogitsReadMilliseconds - ArgmaxMilliseconds;
}
