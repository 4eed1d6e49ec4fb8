using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EdgeLlm.Benchmarks.Daemon;
using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Testing;

namespace EdgeLlm.Benchmarks.Routing;

/// <summary>
/// <c>EdgeLlm.Benchmarks routing</c>: what routing adds to a request. One daemon serves stories260K ("small") and the
/// random-weights Llama-2 ("large"); the same one-token completion goes straight to "small", through the rules-only
/// route and through the classifier route (both end at "small"), one request at a time in rotating order, and each
/// route's overhead is its percentile minus the direct request's, same run. The decision alone is timed in process.
/// </summary>
internal static class RoutingBenchmark
{
    public const double RulesGoalMs = 0.2;
    public const double ClassifierGoalMs = 5;

    public const string Usage = """
        Usage: EdgeLlm.Benchmarks routing [--rounds N] [--decisions N] [--natives DIR]
          --rounds     requests of each kind over HTTP (default 2000)
          --decisions  in-process decisions per route (default 100000)
          --natives    a built natives folder for the daemon (default: LLamaSharp's)
        """;

    private static readonly string[] Kinds = ["small", "rules", "classified"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        // --natives DIR: the daemon on llama.cpp natives built for the machine (scripts/build-natives.sh), as a device runs.
        var natives = args.SkipWhile(a => a != "--natives").Skip(1).FirstOrDefault();
        if (natives is not null)
        {
            args = [.. args.TakeWhile(a => a != "--natives"), .. args.SkipWhile(a => a != "--natives").Skip(2)];
        }

        if (Options(args) is not { } options)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var rounds = options.GetValueOrDefault("--rounds", 2000);
        Console.WriteLine("EdgeLlm routing benchmark: per-request overhead of a route against the same request straight to its model, same run.");
        Console.WriteLine($"Models: small = stories260K, large = llama-2-tiny-random; {rounds} one-token completions of each kind; prompt of {BenchmarkRoutes.Prompt.Length} characters; natives: {natives ?? "LLamaSharp's"}");
        Console.WriteLine();

        var decisions = await DecisionTimer.MeasureAsync(options.GetValueOrDefault("--decisions", 100_000));
        Console.WriteLine("The decision alone (in process, microseconds; the classifier's without its embedding):");
        BenchmarkReport.PrintTable([
            ["route", "p50 us", "p95 us"],
            .. decisions.Select(d => new[] { d.Key, BenchmarkReport.F(d.Value.P50, 2), BenchmarkReport.F(d.Value.P95, 2) })]);
        Console.WriteLine();

        await using var daemon = await StartAsync(natives, cancellationToken);
        try
        {
            using var http = new HttpClient { BaseAddress = daemon.Address, Timeout = TimeSpan.FromMinutes(1) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", daemon.ApiKey);

            // Warm-up: JIT of every path, the connection, and the classifier's centroids (embedded at its first request).
            var times = Kinds.ToDictionary(k => k, _ => new List<double>(rounds));
            for (var i = 0; i < 50; i++)
            {
                foreach (var kind in Kinds)
                {
                    await CompleteAsync(http, kind, cancellationToken);
                }
            }

            await ForeignCpuLoad.WaitForQuietAsync(cancellationToken, daemon.ProcessId);
            var load = ForeignCpuLoad.Start(daemon.ProcessId);
            for (var round = 0; round < rounds; round++)
            {
                for (var k = 0; k < Kinds.Length; k++)
                {
                    var kind = Kinds[(round + k) % Kinds.Length];
                    times[kind].Add(await CompleteAsync(http, kind, cancellationToken));
                }
            }

            var embedding = new List<double>(rounds);
            for (var i = 0; i < Math.Min(rounds, 500); i++)
            {
                embedding.Add(await EmbedAsync(http, cancellationToken));
            }

            Print(times, embedding);
            Console.WriteLine($"Other processes used {BenchmarkReport.F(load.Share() * 100, 0)} % of the CPUs while this ran (the goals are for a quiet machine).");
            return 0;
        }
        finally
        {
            await DaemonBenchmark.StopAsync(daemon);
        }
    }

    private static void Print(Dictionary<string, List<double>> times, List<double> embedding)
    {
        var direct = (P50: Percentiles.Of(times["small"], 50), P95: Percentiles.Of(times["small"], 95));
        var rows = new List<string[]> { new[] { "request", "p50 ms", "p95 ms", "overhead p50 ms", "overhead p95 ms", "goal (p95)", "result" } };
        rows.Add(["straight to small", BenchmarkReport.F(direct.P50, 3), BenchmarkReport.F(direct.P95, 3), "", "", "", ""]);
        foreach (var (kind, goal) in new[] { ("rules", RulesGoalMs), ("classified", ClassifierGoalMs) })
        {
            var p50 = Percentiles.Of(times[kind], 50);
            var p95 = Percentiles.Of(times[kind], 95);
            rows.Add([$"route '{kind}'", BenchmarkReport.F(p50, 3), BenchmarkReport.F(p95, 3), BenchmarkReport.F(p50 - direct.P50, 3), BenchmarkReport.F(p95 - direct.P95, 3),
                $"<= {BenchmarkReport.F(goal, 1)} ms", BenchmarkReport.Verdict(p95 - direct.P95 <= goal)]);
        }

        Console.WriteLine("Over HTTP on loopback (one-token completions, one at a time, milliseconds):");
        BenchmarkReport.PrintTable(rows);
        Console.WriteLine();
        Console.WriteLine($"The classifier's own step, embedding the prompt with stories260K, through /v1/embeddings (HTTP included): p50 {BenchmarkReport.F(Percentiles.Of(embedding, 50), 3)} ms, p95 {BenchmarkReport.F(Percentiles.Of(embedding, 95), 3)} ms");
    }

    private static async Task<EdgeLlmProcess> StartAsync(string? natives, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>(BenchmarkRoutes.Settings())
        {
            ["Inference:Models:0:Name"] = "large",
            ["Inference:Models:1:Name"] = "small",
            ["Inference:Models:1:Path"] = TestModels.Stories260K,
            ["Inference:Models:1:FallbackChatTemplate"] = "plain",
            ["Inference:ContextSize"] = "512",
            ["Api:RateLimitPerSecond"] = "0",
            ["Daemon:LogLevel"] = "Warning",
        };
        if (natives is not null)
        {
            settings["Inference:NativeDirectory"] = Path.GetFullPath(natives);
        }

        var daemon = await EdgeLlmProcess.StartAsync(TestModels.TinyRandomLlama2, arguments: settings.SelectMany(s => new[] { "--" + s.Key, s.Value }), cancellationToken: cancellationToken);
        try
        {
            await daemon.WaitUntilReadyAsync(TimeSpan.FromMinutes(3), cancellationToken);
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    private static async Task<double> CompleteAsync(HttpClient http, string model, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new { model, prompt = BenchmarkRoutes.Prompt, max_tokens = 1, temperature = 0 });
        return await TimeAsync(http, "/v1/completions", body, model is "small" ? null : "small", cancellationToken);
    }

    private static Task<double> EmbedAsync(HttpClient http, CancellationToken cancellationToken) =>
        TimeAsync(http, "/v1/embeddings", JsonSerializer.Serialize(new { model = "small", input = BenchmarkRoutes.Prompt }), null, cancellationToken);

    /// <summary>Milliseconds from sending to the whole answer read; a failure, or a route that chose another model, stops the run.</summary>
    private static async Task<double> TimeAsync(HttpClient http, string path, string body, string? routedTo, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var start = Stopwatch.GetTimestamp();
        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {text}");
        }

        if (routedTo is not null && response.Headers.GetValues("x-edgellm-model").Single() != routedTo)
        {
            throw new InvalidOperationException($"The route sent the benchmark's prompt to {response.Headers.GetValues("x-edgellm-model").Single()}, not {routedTo}.");
        }

        return elapsed;
    }

    private static Dictionary<string, int>? Options(IReadOnlyList<string> args)
    {
        var options = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (args[i] is not ("--rounds" or "--decisions") || i + 1 >= args.Count || !int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                return null;
            }

            options[args[i]] = value;
        }

        return options;
    }
}
