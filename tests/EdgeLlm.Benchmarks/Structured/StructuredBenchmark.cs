using System.Diagnostics;
using System.Text.Json;
using EdgeLlm.Benchmarks.Daemon;
using EdgeLlm.Benchmarks.LlamaCpp;
using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Benchmarks.SyntheticModels;
using EdgeLlm.Inference.Constraints;
using EdgeLlm.Inference.Runtime;
using EdgeLlm.Testing;

namespace EdgeLlm.Benchmarks.Structured;

/// <summary>
/// <c>EdgeLlm.Benchmarks structured</c>: what a JSON-schema grammar costs. The daemon streams greedy answers with and
/// without a response_format, one stream and eight, turn by turn in alternating order (the median per-round ratio
/// counts), and the schema compiler's time per schema of the test corpus, cold and from the cache.
/// </summary>
internal static class StructuredBenchmark
{
    public const double Goal = 0.90;

    private const int Streams = 8;

    // An answer that can run as long as the budget: an object holding a list of free strings.
    private const string LongFormat = """{"type":"json_schema","json_schema":{"name":"notes","schema":{"type":"object","properties":{"notes":{"type":"array","items":{"type":"string"}}},"required":["notes"],"additionalProperties":false}}}""";

    public const string Usage = """
        Usage: EdgeLlm.Benchmarks structured [--model 1b-q4|stories|PATH] [--natives DIR] [--tokens N] [--repeats N] [--threads N]
          --model    1b-q4: synthetic TinyLlama 1.1B in Q4_0 (random weights: nearly every token the sampler picks is refused by
                     the grammar, so this is the worst case); stories; or a GGUF file (default 1b-q4)
          --natives  a built natives folder for the daemon (default: LLamaSharp's)
          --tokens   tokens per stream (default 64); --repeats: rounds (default 5); --threads: default physical cores
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var options = Options(args);
        if (options is null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var model = options.GetValueOrDefault("--model", "1b-q4") switch
        {
            "1b-q4" => SyntheticModelFiles.Ensure("tinyllama-1.1b-q4_0-random.gguf", SyntheticLlamaShape.TinyLlama1B),
            "stories" => TestModels.Stories260K,
            var path => Path.GetFullPath(path),
        };
        var tokens = int.Parse(options.GetValueOrDefault("--tokens", "64"), System.Globalization.CultureInfo.InvariantCulture);
        var rounds = int.Parse(options.GetValueOrDefault("--repeats", "5"), System.Globalization.CultureInfo.InvariantCulture);
        var threads = options.TryGetValue("--threads", out var t) ? int.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : CpuTopology.PhysicalCores();
        var settings = new ComparisonSettings(threads, 0, tokens, rounds, 5, 1024);
        string[] arguments = options.TryGetValue("--natives", out var natives) ? ["--Inference:NativeDirectory", Path.GetFullPath(natives)] : [];

        Console.WriteLine("EdgeLlm structured-output benchmark: constrained generation as a ratio to free generation, turn by turn in one run.");
        Console.WriteLine($"Model: {Path.GetFileName(model)}; threads {threads}; {tokens} tokens per stream; {rounds} rounds; natives: {(natives ?? "LLamaSharp's")}");
        Console.WriteLine($"Schema: {LongFormat}");
        Console.WriteLine();
        PrintCompileTimes();

        await using var daemon = await ComparedDaemon.StartAsync(model, new DaemonSetup(null, null, arguments), settings, Streams, cancellationToken);
        try
        {
            using var http = new HttpClient { BaseAddress = daemon.Address, Timeout = TimeSpan.FromMinutes(10) };
            var client = new SseClient(http, daemon.ApiKey!);
            await StreamLoad.RunAsync(client, Streams, 4, cancellationToken);
            await StreamLoad.RunAsync(client, Streams, 4, cancellationToken, LongFormat);

            var single = new List<(double Free, double Constrained)>();
            var batched = new List<(double Free, double Constrained)>();
            for (var round = 0; round < rounds; round++)
            {
                var constrainedFirst = round % 2 == 1;
                single.Add(await PairAsync(
                    async () => (await client.CompleteAsync(BenchmarkPrompts.Decode, tokens, cancellationToken)).DecodeRate,
                    async () => (await client.CompleteAsync(BenchmarkPrompts.Decode, tokens, cancellationToken, LongFormat)).DecodeRate,
                    constrainedFirst));
                batched.Add(await PairAsync(
                    async () => (await StreamLoad.RunAsync(client, Streams, tokens, cancellationToken)).TokensPerSecond,
                    async () => (await StreamLoad.RunAsync(client, Streams, tokens, cancellationToken, LongFormat)).TokensPerSecond,
                    constrainedFirst));
            }

            var rows = new List<string[]> { new[] { "metric", "free", "constrained", "ratio (median of rounds)", "goal", "result" } };
            rows.Add(Row("1 stream, tok/s", single));
            rows.Add(Row($"{Streams} streams, aggregate tok/s", batched));
            BenchmarkReport.PrintTable(rows);
            return 0;
        }
        finally
        {
            await DaemonBenchmark.StopAsync(daemon);
        }
    }

    private static string[] Row(string name, List<(double Free, double Constrained)> rounds)
    {
        var ratio = Percentiles.Median([.. rounds.Select(r => r.Constrained / r.Free)]);
        return [name, BenchmarkReport.F(Percentiles.Median([.. rounds.Select(r => r.Free)]), 1), BenchmarkReport.F(Percentiles.Median([.. rounds.Select(r => r.Constrained)]), 1),
            BenchmarkReport.F(ratio, 2), $">= {BenchmarkReport.F(Goal, 2)} x", BenchmarkReport.Verdict(ratio >= Goal)];
    }

    private static async Task<(double Free, double Constrained)> PairAsync(Func<Task<double>> free, Func<Task<double>> constrained, bool constrainedFirst)
    {
        if (constrainedFirst)
        {
            var c = await constrained();
            return (await free(), c);
        }

        var f = await free();
        return (f, await constrained());
    }

    /// <summary>Compile time per schema of the corpus: a fresh compilation, then a cache hit (hash and lookup).</summary>
    private static void PrintCompileTimes()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Schemas");
        var schemas = Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(f => JsonDocument.Parse(File.ReadAllText(f))).ToList();
        JsonSchemaGrammar.Compile(schemas[0].RootElement, strict: true);
        var cold = new List<double>();
        var cached = new List<double>();
        var cache = new GrammarCache(schemas.Count);
        foreach (var schema in schemas)
        {
            var watch = Stopwatch.StartNew();
            cache.GetOrCompile(schema.RootElement, strict: true);
            cold.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            cache.GetOrCompile(schema.RootElement, strict: true);
            cached.Add(watch.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"Grammar compile, {schemas.Count} corpus schemas: cold p50 {BenchmarkReport.F(Percentiles.Of(cold, 50), 3)} ms, max {BenchmarkReport.F(cold.Max(), 3)} ms; "
            + $"cached p50 {BenchmarkReport.F(Percentiles.Of(cached, 50), 4)} ms, max {BenchmarkReport.F(cached.Max(), 4)} ms");
        Console.WriteLine();
    }

    private static Dictionary<string, string>? Options(IReadOnlyList<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (args[i] is not ("--model" or "--natives" or "--tokens" or "--repeats" or "--threads") || i + 1 >= args.Count)
            {
                return null;
            }

            options[args[i]] = args[i + 1];
        }

        return options;
    }
}
