using System.Globalization;
using EdgeLlm.Inference.Runtime;

namespace EdgeLlm.Benchmarks;

/// <summary>The command line: which models, and overrides of each model's token counts.</summary>
internal sealed record BenchmarkSettings(
    IReadOnlyList<BenchmarkModel> Models, int? DecodeTokens, int? StreamTokens, int TtftRuns, int Threads, int Repeats)
{
    public const string Usage = """
        Usage: EdgeLlm.Benchmarks [--model stories|1b|all] [--tokens N] [--stream-tokens N] [--ttft-runs N] [--repeats N] [--threads N]
               EdgeLlm.Benchmarks gpu --help   (the GPU benchmark against llama.cpp's own tools)
               EdgeLlm.Benchmarks cpu --help   (the CPU benchmark on built natives against llama.cpp's own tools)
          --model          model(s) to run (default all)
          --tokens         decode tokens of the baseline and of the daemon's single stream (default: stories 256, 1b 64)
          --stream-tokens  max_tokens of each concurrent stream (default: stories 128, 1b 48)
          --ttft-runs      sequential requests for time to first token, and as many baseline prompt runs (default 20)
          --repeats        runs of each decode-rate measurement (single stream, each concurrency, the baseline); the median counts (default 5)
          --threads        decode threads of the baseline and the daemon alike (default: physical cores)
        """;

    public static BenchmarkSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new BenchmarkSettings(BenchmarkModel.All, null, null, 20, CpuTopology.PhysicalCores(), 5);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            settings = name switch
            {
                "--model" => settings with { Models = ParseModels(value) },
                "--tokens" => settings with { DecodeTokens = Positive(name, value) },
                "--stream-tokens" => settings with { StreamTokens = Positive(name, value) },
                "--ttft-runs" => settings with { TtftRuns = Positive(name, value) },
                "--repeats" => settings with { Repeats = Positive(name, value) },
                "--threads" => settings with { Threads = Positive(name, value) },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        return settings;
    }

    /// <summary>The settings of one model's run.</summary>
    public BenchmarkPlan PlanFor(BenchmarkModel model) => new(
        model,
        model.ResolvePath(),
        Threads,
        // Room for the longest run plus its prompt (every benchmark prompt is under 128 tokens).
        Math.Max(model.ContextSize, Math.Max(DecodeTokens ?? 0, StreamTokens ?? 0) + 128),
        DecodeTokens ?? model.DecodeTokens,
        StreamTokens ?? model.StreamTokens,
        TtftRuns,
        Repeats);

    private static IReadOnlyList<BenchmarkModel> ParseModels(string value) =>
        value == "all" ? BenchmarkModel.All
        : BenchmarkModel.All.FirstOrDefault(m => m.Key == value) is { } model ? [model]
        : throw new ArgumentException($"--model must be stories, 1b or all, not '{value}'.");

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} must be a positive whole number, not '{value}'.");
}

/// <param name="Model">The model being measured.</param>
/// <param name="ModelPath">Its GGUF file.</param>
/// <param name="Threads">Decode threads of both the baseline and the daemon.</param>
/// <param name="ContextSize">Context per sequence of both.</param>
/// <param name="DecodeTokens">Tokens per decode-rate run.</param>
/// <param name="StreamTokens">max_tokens of each concurrent stream.</param>
/// <param name="TtftRuns">Runs of the prompt-time and time-to-first-token measurements.</param>
/// <param name="Repeats">Runs of each decode-rate measurement; the median counts.</param>
internal sealed record BenchmarkPlan(
    BenchmarkModel Model, string ModelPath, int Threads, int ContextSize, int DecodeTokens, int StreamTokens, int TtftRuns, int Repeats);
