using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Testing;
using LLama.Native;

namespace EdgeLlm.Benchmarks.Baseline;

/// <summary>
/// Measures the ceiling: <see cref="ReferenceGreedyLoop"/> (one sequence, one token per decode, managed argmax)
/// on the same model, context and threads as the daemon, in this process. It runs once before and once after
/// the daemon and is disposed each time, so the two never compete for the cores.
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

    /// <summary>One bracket: half the plan's decode runs and half its prompt runs (rounded up).</summary>
    public static BaselineRun Run(BenchmarkPlan plan)
    {
        // llama.cpp logs every tensor while loading; the report is the output that matters.
        NativeLogConfig.llama_log_set(NativeErrorsOnly);
        using var loop = new ReferenceGreedyLoop(plan.ModelPath, plan.ContextSize, threads: plan.Threads);
        var foreignLoad = ForeignCpuLoad.Start();

        // The first decodes pay for faulting in the memory-mapped weights and sizing the compute graphs.
        loop.Generate(BenchmarkPrompts.Decode, parseSpecial: false, maxTokens: 4);

        var rates = new List<double>();
        var generated = 0;
        for (var i = 0; i < Half(plan.Repeats); i++)
        {
            var result = loop.Generate(BenchmarkPrompts.Decode, parseSpecial: false, plan.DecodeTokens);
            generated = result.Tokens.Count;

            // The generation time spans Tokens - 1 decodes (the first token comes from the prompt's logits),
            // the same span as the daemon's first-to-last SSE token.
            rates.Add((result.Tokens.Count - 1) / result.GenerationTime.TotalSeconds);
        }

        var promptTimes = new List<double>();
        var promptTokens = 0;
        for (var i = 0; i < Half(plan.TtftRuns); i++)
        {
            var result = loop.Generate(BenchmarkPrompts.FirstToken, parseSpecial: false, maxTokens: 1);
            promptTimes.Add(result.PromptTime.TotalMilliseconds);
            promptTokens = result.PromptTokens;
        }

        return new BaselineRun(loop.ParameterCount, rates, generated, promptTimes, promptTokens, foreignLoad.Share());
    }

    private static int Half(int runs) => (runs + 1) / 2;
}
