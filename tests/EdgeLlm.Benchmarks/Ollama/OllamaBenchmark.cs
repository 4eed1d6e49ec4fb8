using System.Globalization;
using EdgeLlm.Benchmarks.Daemon;
using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Testing;

namespace EdgeLlm.Benchmarks.Ollama;

/// <summary>
/// <c>EdgeLlm.Benchmarks ollama</c>: what Ollama's API costs beside <c>/v1</c>. One daemon answers the same greedy
/// prompt through <c>/v1/completions</c> (the baseline) and <c>/api/generate</c> with <c>raw: true</c>, and the same
/// user turn through <c>/v1/chat/completions</c> (the baseline) and <c>/api/chat</c>, alternating which goes first
/// round by round; time to first token, decode rate and body bytes as the client sees them, each a ratio of the pair.
/// A pair's answers must be the same text, or nothing is reported.
/// </summary>
internal static class OllamaBenchmark
{
    private const string ModelName = "bench";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(3);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        OllamaSettings settings;
        string modelPath;
        try
        {
            settings = OllamaSettings.Parse(args);
            modelPath = settings.ModelPath();
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(OllamaSettings.Usage);
            return 2;
        }

        Console.WriteLine("EdgeLlm Ollama API benchmark: /api/generate (raw) and /api/chat (NDJSON) against /v1/completions and /v1/chat/completions (SSE), the same greedy answers on one daemon.");
        Console.WriteLine($"Model: {Path.GetFileName(modelPath)}; {settings.Tokens} tokens, {settings.Rounds} rounds, threads {settings.Threads}; prefix cache and speculation off, so every request does the same work");
        Console.WriteLine($"Machine: {BenchmarkReport.CpuModel()}, {Environment.ProcessorCount} logical CPUs");
        Console.WriteLine();

        var environment = new Dictionary<string, string>
        {
            ["EDGELLM__Inference__Threads"] = settings.Threads.ToString(CultureInfo.InvariantCulture),
            ["EDGELLM__Inference__ContextSize"] = OllamaSettings.ContextSize.ToString(CultureInfo.InvariantCulture),
            ["EDGELLM__Inference__MaxSequences"] = "1",
        };
        // Without the prefix cache the API that goes second in a round would find the prompt already decoded.
        string[] arguments = ["--Inference:Models:0:Name", ModelName, "--Inference:Models:0:PrefixCache", "false", "--Inference:Models:0:Speculation", "false"];
        await using var daemon = await EdgeLlmProcess.StartAsync(modelPath, arguments: arguments, environment: environment, cancellationToken: cancellationToken);
        try
        {
            await daemon.WaitUntilReadyAsync(ReadyTimeout, cancellationToken);
            using var bytes = new ResponseBodyBytes(new SocketsHttpHandler());
            using var http = new HttpClient(bytes, disposeHandler: false) { BaseAddress = daemon.Address, Timeout = TimeSpan.FromMinutes(10) };
            var apis = new ComparedApis(http, bytes, daemon.ApiKey!, ModelName);

            // Warm-up: JIT of the four request paths and the model's first decode.
            await apis.CompletionsAsync(BenchmarkPrompts.FirstToken, 4, cancellationToken);
            await apis.GenerateAsync(BenchmarkPrompts.FirstToken, 4, cancellationToken);
            await apis.ChatCompletionsAsync(BenchmarkPrompts.FirstToken, 4, cancellationToken);
            await apis.ChatAsync(BenchmarkPrompts.FirstToken, 4, cancellationToken);

            var foreignLoad = ForeignCpuLoad.Start(daemon.ProcessId);
            var (prompt, tokens) = (BenchmarkPrompts.Decode, settings.Tokens);
            var generate = new List<ApiRound>();
            var chat = new List<ApiRound>();
            for (var i = 0; i < settings.Rounds; i++)
            {
                // Alternate which API goes first, so a drift of the machine's speed does not land on one of them.
                Console.WriteLine($"round {i + 1} of {settings.Rounds} ...");
                var ollamaFirst = i % 2 == 1;
                generate.Add(await RoundAsync(() => apis.CompletionsAsync(prompt, tokens, cancellationToken), () => apis.GenerateAsync(prompt, tokens, cancellationToken), ollamaFirst));
                chat.Add(await RoundAsync(() => apis.ChatCompletionsAsync(prompt, tokens, cancellationToken), () => apis.ChatAsync(prompt, tokens, cancellationToken), ollamaFirst));
            }

            var foreign = foreignLoad.Share();
            ApiComparison[] comparisons = [new("/v1/completions", "/api/generate (raw)", generate), new("/v1/chat/completions", "/api/chat", chat)];
            foreach (var comparison in comparisons)
            {
                if (OllamaReport.Disagreements(comparison) is { Count: > 0 } differing)
                {
                    Console.Error.WriteLine($"Greedy answers through {comparison.Baseline} and {comparison.Measured} differ (or are too short for a decode rate), so nothing is reported:");
                    Console.Error.WriteLine($"round 1, {comparison.Baseline}: {comparison.Rounds[0].Baseline.Timing.CompletionTokens} tokens, \"{comparison.Rounds[0].Baseline.Text}\"");
                    Console.Error.WriteLine(string.Join('\n', differing));
                    return 1;
                }
            }

            Console.WriteLine();
            foreach (var comparison in comparisons)
            {
                OllamaReport.Print(comparison);
            }

            Console.WriteLine($"  Other processes used {BenchmarkReport.F(foreign * 100, 0)}% of the CPUs meanwhile"
                + (foreign > ForeignCpuLoad.QuietShare ? ": the machine was not quiet, so these ratios are unreliable." : "."));
            return 0;
        }
        finally
        {
            await DaemonBenchmark.StopAsync(daemon);
        }
    }

    private static async Task<ApiRound> RoundAsync(Func<Task<ApiAnswer>> baseline, Func<Task<ApiAnswer>> measured, bool measuredFirst)
    {
        if (measuredFirst)
        {
            var first = await measured();
            return new ApiRound(await baseline(), first);
        }

        return new ApiRound(await baseline(), await measured());
    }
}
