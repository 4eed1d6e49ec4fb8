using EdgeLlm.Benchmarks.LlamaCpp;

namespace EdgeLlm.Benchmarks.Cpu;

/// <summary>Everything one CPU run measured; a participant that failed is null.</summary>
/// <param name="Bench">llama-bench pp512 and tg at the start.</param>
/// <param name="BenchAgain">The same at the end; the reference is the mean of both.</param>
/// <param name="Batched">llama-batched-bench generation rate by sequences.</param>
/// <param name="Server">llama-server's single stream.</param>
/// <param name="Daemon">The daemon on the built natives.</param>
/// <param name="DaemonOwn">The daemon on LLamaSharp's natives.</param>
/// <param name="HeadToHead">The daemon on the built natives against llama.cpp's tools, round by round.</param>
/// <param name="Lean">The lean loop on the built natives, in this process.</param>
/// <param name="LeanOwn">The lean loop on LLamaSharp's natives, in a child process.</param>
/// <param name="Parameters">The llama-bench parameter table; null when skipped or failed.</param>
/// <param name="Passed">What the daemon and LLamaSharp pass for each parameter.</param>
internal sealed record CpuResults(
    PromptAndGeneration? Bench,
    PromptAndGeneration? BenchAgain,
    IReadOnlyDictionary<int, double>? Batched,
    LlamaServerResult? Server,
    ComparedDaemonResult? Daemon,
    ComparedDaemonResult? DaemonOwn,
    HeadToHeadResult? HeadToHead,
    LeanRunResult? Lean,
    LeanRunResult? LeanOwn,
    IReadOnlyList<VariantResult>? Parameters,
    IReadOnlyDictionary<Parameter, (string Daemon, string LLamaSharp)>? Passed)
{
    /// <summary>llama-bench's tg: the mean of the runs at the start and the end, or the one that ran.</summary>
    public double? Generation => Mean(Bench?.GenerationRate, BenchAgain?.GenerationRate);

    /// <summary>llama-bench's pp512, likewise.</summary>
    public double? Prompt => Mean(Bench?.PromptRate, BenchAgain?.PromptRate);

    public bool AllRan(CpuSettings settings) =>
        Bench is not null && BenchAgain is not null && Batched is not null && Server is not null && Daemon is not null && DaemonOwn is not null && HeadToHead is not null
        && Lean is not null && LeanOwn is not null && (settings.SkipParameters || Parameters is not null);

    private static double? Mean(double? first, double? second) =>
        (first, second) switch
        {
            ({ } a, { } b) => (a + b) / 2,
            ({ } a, null) => a,
            (null, var b) => b,
        };
}
