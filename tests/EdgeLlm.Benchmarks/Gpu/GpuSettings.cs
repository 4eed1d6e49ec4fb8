using System.Globalization;
using EdgeLlm.Benchmarks.LlamaCpp;
using EdgeLlm.Inference.Runtime;

namespace EdgeLlm.Benchmarks.Gpu;

/// <summary>The command line of <c>EdgeLlm.Benchmarks gpu</c>.</summary>
/// <param name="Model">stories, 1b (the synthetic 1.1B Q8_0 model, generated when absent) or a GGUF path.</param>
/// <param name="Module">A ggml backend module (libggml-cuda.so) loaded by the lean loop and the daemon; null: CPU only.</param>
/// <param name="LlamaBench">llama.cpp's llama-bench built from the module's source; null: its rows are skipped.</param>
/// <param name="BatchedBench">llama.cpp's llama-batched-bench from the same build; null: its rows are skipped.</param>
/// <param name="Daemon">The edgellm executable (or edgellm.dll); null: beside this benchmark, or the build's.</param>
/// <param name="Streams">Concurrent daemon streams and batched-bench sequences to measure.</param>
/// <param name="Tokens">Generated tokens per run (llama-bench's tg, batched-bench's ntg, the lean loop, each stream).</param>
/// <param name="GpuLayers">Layers offloaded; null: all when a module is given, else 0 (the daemon then gets no setting).</param>
/// <param name="Repeats">Runs of each rate measurement; the median counts.</param>
/// <param name="TtftRuns">Sequential one-token requests for time to first token, and as many lean prompt runs.</param>
/// <param name="ContextSize">Context per sequence of the lean loop and the daemon.</param>
/// <param name="CheckGreedy">Instead of the benchmark: stories260K greedy through the daemon on the CPU and with the module; same text or exit 1.</param>
internal sealed record GpuSettings(
    string Model,
    string? Module,
    string? LlamaBench,
    string? BatchedBench,
    string? Daemon,
    IReadOnlyList<int> Streams,
    int Tokens,
    int? GpuLayers,
    int Repeats,
    int TtftRuns,
    int ContextSize,
    bool CheckGreedy)
{
    public const string Usage = """
        Usage: EdgeLlm.Benchmarks gpu [--model 1b|stories|PATH] [--module libggml-cuda.so] [--llama-bench PATH] [--batched-bench PATH]
                                      [--daemon PATH] [--streams 1,4,16,64] [--tokens N] [--gpu-layers N] [--repeats N] [--ttft-runs N]
                                      [--context N] [--check-greedy]
          --model          1b: synthetic 1.1B llama in Q8_0 (random weights, generated when absent); stories: stories260K; or a GGUF file (default 1b)
          --module         ggml backend module loaded by the lean loop (ggml_backend_load) and the daemon (Inference:BackendModules)
          --llama-bench    llama.cpp's llama-bench (tg and pp512 are the references of the lean loop and the single stream)
          --batched-bench  llama.cpp's llama-batched-bench (generation at each --streams count is the reference of the daemon's)
          --daemon         the edgellm executable or edgellm.dll (default: edgellm beside this program or in ../daemon, else the build's)
          --streams        concurrent streams / sequences (default 1,4,16,64)
          --tokens         generated tokens per run (default 128)
          --gpu-layers     layers offloaded (default: all with --module, 0 without)
          --repeats        runs of each rate measurement; the median counts (default 3)
          --ttft-runs      one-token requests for time to first token, and lean prompt runs (default 20)
          --context        context per sequence of the lean loop and the daemon (default 1024)
          --check-greedy   only check that stories260K's greedy text through the daemon is the same on the CPU and with --module
        """;

    /// <summary>Decode threads of every participant: llama.cpp's tools, the lean loop and the daemon.</summary>
    public int Threads { get; } = CpuTopology.PhysicalCores();

    /// <summary>Layers the lean loop and llama.cpp's tools offload.</summary>
    public int EffectiveGpuLayers => GpuLayers ?? (Module is null ? 0 : 999);

    /// <summary>What llama.cpp's tools, the lean loop and the daemon share.</summary>
    public ComparisonSettings Comparison => new(Threads, EffectiveGpuLayers, Tokens, Repeats, TtftRuns, ContextSize);

    /// <summary>The daemon with the module and the layers, as an operator would set them.</summary>
    public DaemonSetup DaemonSetup => new(Module, GpuLayers, []);

    public static GpuSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new GpuSettings("1b", null, null, null, null, [1, 4, 16, 64], 128, null, 3, 20, 1024, false);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--check-greedy")
            {
                settings = settings with { CheckGreedy = true };
                continue;
            }

            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            settings = name switch
            {
                "--model" => settings with { Model = value },
                "--module" => settings with { Module = ExistingFile(name, value) },
                "--llama-bench" => settings with { LlamaBench = ExistingFile(name, value) },
                "--batched-bench" => settings with { BatchedBench = ExistingFile(name, value) },
                "--daemon" => settings with { Daemon = ExistingFile(name, value) },
                "--streams" => settings with { Streams = [.. value.Split(',').Select(s => Whole(name, s, 1))] },
                "--tokens" => settings with { Tokens = Whole(name, value, 1) },
                "--gpu-layers" => settings with { GpuLayers = Whole(name, value, 0) },
                "--repeats" => settings with { Repeats = Whole(name, value, 1) },
                "--ttft-runs" => settings with { TtftRuns = Whole(name, value, 1) },
                "--context" => settings with { ContextSize = Whole(name, value, 64) },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        // Room for a stream's prompt and tokens, and for the lean loop's 512-token prompt batch.
        var context = Math.Max(settings.Tokens + 128, LlamaCppTools.PromptTokens);
        return settings.ContextSize >= context ? settings : throw new ArgumentException($"--context must be at least {context} here.");
    }

    private static string ExistingFile(string name, string value) =>
        File.Exists(value) ? Path.GetFullPath(value) : throw new ArgumentException($"{name}: there is no file '{value}'.");

    private static int Whole(string name, string value, int minimum) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum
            ? number
            : throw new ArgumentException($"{name} must be a whole number of at least {minimum}, not '{value}'.");
}
