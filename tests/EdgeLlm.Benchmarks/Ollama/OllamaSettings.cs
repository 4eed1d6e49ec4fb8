using System.Globalization;
using EdgeLlm.Benchmarks.SyntheticModels;
using EdgeLlm.Inference.Runtime;
using EdgeLlm.Testing;

namespace EdgeLlm.Benchmarks.Ollama;

/// <summary>The command line of <c>EdgeLlm.Benchmarks ollama</c>.</summary>
/// <param name="Model"><c>stories</c> (stories260K, the default) or <c>1b</c> (the synthetic TinyLlama 1.1B Q4_0).</param>
/// <param name="Tokens">Tokens each greedy answer asks for.</param>
/// <param name="Rounds">Rounds, each one answer through each of the four endpoints.</param>
/// <param name="Threads">Inference:Threads of the daemon.</param>
internal sealed record OllamaSettings(string Model, int Tokens, int Rounds, int Threads)
{
    public const string Usage = """
        Usage: EdgeLlm.Benchmarks ollama [--model stories|1b] [--tokens N] [--rounds N] [--threads N]
          --model    stories: stories260K (default); 1b: the synthetic TinyLlama 1.1B in Q4_0 (random weights)
          --tokens   tokens of each greedy answer (default 64)
          --rounds   rounds, each one answer through each of /v1/completions, /api/generate, /v1/chat/completions and /api/chat (default 15)
          --threads  decode threads of the daemon (default: physical cores)
        One daemon; every figure is a ratio measured in the same run: /api/generate (raw, NDJSON) ÷ /v1/completions (SSE)
        on the same prompt, /api/chat ÷ /v1/chat/completions on the same user turn.
        """;

    /// <summary>Context per sequence: the prompt and the longest answer fit.</summary>
    public const int ContextSize = 1024;

    /// <summary>Room in the context for the prompt.</summary>
    private const int PromptRoom = 64;

    public static OllamaSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new OllamaSettings("stories", 64, 15, CpuTopology.PhysicalCores());
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            settings = name switch
            {
                "--model" => settings with { Model = value is "stories" or "1b" ? value : throw new ArgumentException($"--model takes stories or 1b, not '{value}'.") },
                // Two tokens at least: the decode rate is the tokens after the first over their time.
                "--tokens" => settings with { Tokens = Whole(name, value, 2, ContextSize - PromptRoom) },
                "--rounds" => settings with { Rounds = Whole(name, value, 1, 1000) },
                "--threads" => settings with { Threads = Whole(name, value, 1, 1024) },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        return settings;
    }

    /// <summary>The file of <see cref="Model"/>, generated (the synthetic model) or fetched (stories260K) when absent.</summary>
    public string ModelPath() => Model == "1b"
        ? SyntheticModelFiles.Ensure("tinyllama-1.1b-q4_0-random.gguf", SyntheticLlamaShape.TinyLlama1B)
        : TestModels.Stories260K;

    private static int Whole(string name, string value, int minimum, int maximum) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum && number <= maximum
            ? number
            : throw new ArgumentException($"{name} must be a whole number from {minimum} to {maximum}, not '{value}'.");
}
