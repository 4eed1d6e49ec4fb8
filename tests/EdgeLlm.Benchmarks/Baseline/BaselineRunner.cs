using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Testing;
using LLama.Native;

namespace EdgeLlm.Benchmarks.Baseline;

/// <summary>
/// Measures the ceiling: <see cref="ReferenceGreedyLoop"/> (one sequence, one token per decode, managed argmax)
/// on the same model, context and threads as the daemon, in this process. The caller disposes it before
/// starting the daemon so the two never compete for the cores.
/// </summary>
internal static class BaselineRunner
{
    // Kept in a static field: native code holds the delegate for the life of the process.
    private static readonly NativeLogConfig.LLamaLogCallback NativeErrorsOnly = (level, message) =>
    {
        if (level == LLamaLogLevel.Error)
        {
            Console.Error.Write(message);
        }
    };

    public static BaselineResult Run(BenchmarkPlan plan)
    {
        // llama.cpp logs every tensor while loading; the report is the output that matters.
        NativeLogConfig.llama_log_set(NativeErrorsOnly);
        using var loop = new ReferenceGreedyLoop(plan.ModelPath, plan.ContextSize, threads: plan.Threads);
        var foreignLoad = ForeignCpuLoad.Start();

        // The first decodes pay for faulting in the memory-mapped weights and sizing the compute graphs.
        loop.Generate(BenchmarkPrompts.Decode, parseSpecial: false, maxTokens: 4);

        var rates = new List<double>();
        var generated = 0;
        for (var i = 0; i < plan.Repeats; i++)
        {
            var result = loop.Generate(BenchmarkPrompts.Decode, parseSpecial: false, plan.DecodeTokens);
            generated = result.Tokens.Count;

            // The generation time spans Tokens - 1 decodes (the first token comes from the prompt's logits),
            // the same span as the daemon's first-to-last SSE token.
            rates.Add((result.Tokens.Count - 1) / result.GenerationTime.TotalSeconds);
        }

        var promptTimes = new List<double>();
        var promptTokens = 0;
        for (var i = 0; i < plan.TtftRuns; i++)
        {
            var result = loop.Generate(BenchmarkPrompts.FirstToken, parseSpecial: false, maxTokens: 1);
            promptTimes.Add(result.PromptTime.TotalMilliseconds);
            promptTokens = result.PromptTokens;
        }

        return new BaselineResult(
            loop.ParameterCount, Percentiles.Median(rates), generated, Percentiles.Median(promptTimes), Percentiles.Of(promptTimes, 95), promptTokens, foreignLoad.Share());
    }
}

/// <param name="ParameterCount">Weights in the model.</param>
/// <param name="DecodeRate">Median decode tokens per second.</param>
/// <param name="DecodeTokens">Tokens generated per decode run (fewer than asked if the model ended the text).</param>
/// <param name="PromptMilliseconds">Median time to decode the time-to-first-token prompt.</param>
/// <param name="PromptMillisecondsP95">95th percentile of that time (shown for context; overheads count from the median).</param>
/// <param name="PromptTokens">Tokens in that prompt.</param>
/// <param name="ForeignCpuShare">Share of the CPUs other processes used meanwhile (0-1).</param>
internal sealed record BaselineResult(
    ulong ParameterCount, double DecodeRate, int DecodeTokens, double PromptMilliseconds, double PromptMillisecondsP95, int PromptTokens, double ForeignCpuShare);
