using System.Globalization;
using EdgeLlm.Benchmarks.LlamaCpp;
using EdgeLlm.Inference.Runtime;

namespace EdgeLlm.Benchmarks.Cpu;

/// <summary>The command line of <c>EdgeLlm.Benchmarks cpu</c>.</summary>
/// <param name="Natives">The built natives folder: libllama.so, libmtmd.so, libggml*.so, and llama.cpp's tools beside them.</param>
/// <param name="Model">1b-q4 (the synthetic TinyLlama 1.1B in Q4_0, generated when absent), stories, or a GGUF path.</param>
/// <param name="Daemon">The edgellm executable (or edgellm.dll); null: beside this benchmark, or the build's.</param>
/// <param name="Tokens">Generated tokens per run of every participant.</param>
/// <param name="Repeats">Runs of each rate measurement.</param>
/// <param name="Threads">Threads (and batch threads) of every participant.</param>
/// <param name="SkipParameters">Leave out the llama-bench parameter table.</param>
/// <param name="QuietWait">How long each part waits for other processes to leave the CPUs; zero: not at all.</param>
internal sealed record CpuSettings(
    string Natives, string Model, string? Daemon, int Tokens, int Repeats, int Threads, bool SkipParameters, TimeSpan QuietWait)
{
    public const string Usage = """
        Usage: EdgeLlm.Benchmarks cpu --natives DIR [--model 1b-q4|stories|PATH] [--tokens N] [--repeats N] [--threads N]
                                      [--daemon PATH] [--quiet-wait SECONDS] [--skip-parameters]
          --natives          built natives folder (scripts/build-natives.sh --tools): the libraries, llama-bench, llama-batched-bench, llama-server
          --model            1b-q4: synthetic TinyLlama 1.1B in Q4_0 (random weights, generated when absent); stories: stories260K; or a GGUF file (default 1b-q4)
          --tokens           generated tokens per run of every participant (default 64)
          --repeats          runs of each rate measurement; the median counts (llama-bench: its mean) (default 5)
          --threads          threads and batch threads of every participant (default: physical cores)
          --daemon           the edgellm executable or edgellm.dll (default: edgellm beside this program or in ../daemon, else the build's)
          --quiet-wait       seconds each part waits for other processes to leave the CPUs before it measures; 0: no wait (default 60)
          --skip-parameters  leave out the llama-bench parameter table (threads, n_ubatch, flash attention, KV type, mmap)
        """;

    /// <summary>Sequences of llama-batched-bench and concurrent daemon streams: the goal's 8, and 1 for the ratio.</summary>
    public static IReadOnlyList<int> Streams { get; } = [1, 8];

    /// <summary>Context per sequence: room for a stream's prompt and tokens, and the lean loop's 512-token prompt batch.</summary>
    public int ContextSize => Math.Max(Tokens + 128, 1024);

    /// <summary>What llama.cpp's tools, the lean loop and the daemon share.</summary>
    public ComparisonSettings Comparison => new(Threads, 0, Tokens, Repeats, TtftRuns: Math.Max(5, Repeats), ContextSize);

    public string Tool(string name) => Path.Combine(Natives, name);

    public static CpuSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new CpuSettings("", "1b-q4", null, 64, 5, CpuTopology.PhysicalCores(), false, TimeSpan.FromSeconds(60));
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--skip-parameters")
            {
                settings = settings with { SkipParameters = true };
                continue;
            }

            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            settings = name switch
            {
                "--natives" => settings with { Natives = NativesFolder(value) },
                "--model" => settings with { Model = value },
                "--daemon" => settings with { Daemon = File.Exists(value) ? Path.GetFullPath(value) : throw new ArgumentException($"--daemon: there is no file '{value}'.") },
                "--tokens" => settings with { Tokens = Whole(name, value, 2) },
                "--repeats" => settings with { Repeats = Whole(name, value, 1) },
                "--threads" => settings with { Threads = Whole(name, value, 1) },
                "--quiet-wait" => settings with { QuietWait = TimeSpan.FromSeconds(Whole(name, value, 0)) },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        return settings.Natives.Length > 0 ? settings : throw new ArgumentException("--natives is required.");
    }

    private static string NativesFolder(string value)
    {
        var folder = Path.GetFullPath(value);
        string[] required = ["libllama.so", "libmtmd.so", "libggml.so"];
        var missing = required.Where(file => !File.Exists(Path.Combine(folder, file))).ToList();
        return missing.Count == 0 ? folder : throw new ArgumentException($"--natives: {folder} lacks {string.Join(", ", missing)}.");
    }

    private static int Whole(string name, string value, int minimum) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum
            ? number
            : throw new ArgumentException($"{name} must be a whole number of at least {minimum}, not '{value}'.");
}
