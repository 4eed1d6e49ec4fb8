using System.Globalization;
using EdgeLlm.Benchmarks.SyntheticModels;
using EdgeLlm.Inference.Runtime;
using EdgeLlm.Testing;

namespace EdgeLlm.Benchmarks.Reuse;

/// <summary>The command line of <c>EdgeLlm.Benchmarks reuse</c>.</summary>
/// <param name="Model">The GGUF file both entries serve (the synthetic TinyLlama 1.1B Q4_0 unless --model names another).</param>
/// <param name="Natives">A built natives folder for the daemon (Inference:NativeDirectory); null: LLamaSharp's.</param>
/// <param name="Only">The one measure to run (A, B, C or D); null: all four.</param>
/// <param name="Rounds">Rounds of A (each holds a cold prefill of the whole system prompt).</param>
/// <param name="DecodeRounds">Rounds of B, C and D.</param>
/// <param name="SystemTokens">Tokens of A's system prompt, counted by the model's own tokenizer.</param>
/// <param name="Threads">Inference:Threads of the daemon.</param>
internal sealed record ReuseSettings(string Model, string? Natives, char? Only, int Rounds, int DecodeRounds, int SystemTokens, int Threads)
{
    public const string Usage = """
        Usage: EdgeLlm.Benchmarks reuse [--only A|B|C|D] [--rounds N] [--decode-rounds N] [--system-tokens N]
                                        [--model 1b-q4|stories|PATH] [--natives DIR] [--threads N]
          --only           one measure: A (TTFT, warm system prompt / cold), B (grounded decode, on / off),
                           C (nothing to copy, on / off) or D (8 streams, on / off); default all four
          --rounds         rounds of A, each with a cold prefill of the whole system prompt (default 3)
          --decode-rounds  rounds of B, C and D (default 5)
          --system-tokens  tokens of A's system prompt, by the model's tokenizer (default 2000; a smaller one checks the harness)
          --model          1b-q4: synthetic TinyLlama 1.1B in Q4_0 (random weights, default); stories: stories260K; or a GGUF file
          --natives        a built natives folder for the daemon (default: LLamaSharp's)
          --threads        decode threads of the daemon (default: physical cores)
        The daemon serves the file twice: 'on' (prefix reuse and speculation, the defaults) and 'off' (both off).
        """;

    /// <summary>Context per sequence: A's longest prompt (system prompt, nonce, question) and B's answer fit.</summary>
    public const int ContextSize = 2304;

    public const int MaxSequences = 8;

    /// <summary>Tokens of the system prompt D's eight streams share.</summary>
    public const int SharedSystemTokens = 300;

    public static ReuseSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new ReuseSettings("1b-q4", null, null, 3, 5, 2000, CpuTopology.PhysicalCores());
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            settings = name switch
            {
                "--only" => settings with { Only = value.ToUpperInvariant() is [var c and >= 'A' and <= 'D'] ? c : throw new ArgumentException($"--only takes A, B, C or D, not '{value}'.") },
                "--rounds" => settings with { Rounds = Whole(name, value, 1) },
                "--decode-rounds" => settings with { DecodeRounds = Whole(name, value, 1) },
                "--system-tokens" => settings with { SystemTokens = Whole(name, value, 64) },
                "--model" => settings with { Model = value },
                "--natives" => settings with { Natives = Directory.Exists(value) ? Path.GetFullPath(value) : throw new ArgumentException($"--natives: there is no folder '{value}'.") },
                "--threads" => settings with { Threads = Whole(name, value, 1) },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        // Room beside the system prompt for the nonce line, the question and the one answer token.
        const int room = 64;
        return settings.SystemTokens <= ContextSize - room
            ? settings
            : throw new ArgumentException($"--system-tokens must be at most {ContextSize - room} (context {ContextSize}).");
    }

    /// <summary>The file of <see cref="Model"/>, generated (the synthetic model) or fetched (stories260K) when absent.</summary>
    public string ModelPath() => Model switch
    {
        "1b-q4" => SyntheticModelFiles.Ensure("tinyllama-1.1b-q4_0-random.gguf", SyntheticLlamaShape.TinyLlama1B),
        "stories" => TestModels.Stories260K,
        var path => File.Exists(path) ? Path.GetFullPath(path) : throw new ArgumentException($"--model: there is no file '{path}'."),
    };

    public bool Runs(char measure) => Only is null || Only == measure;

    private static int Whole(string name, string value, int minimum) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum
            ? number
            : throw new ArgumentException($"{name} must be a whole number of at least {minimum}, not '{value}'.");
}
