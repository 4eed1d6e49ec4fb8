using System.Globalization;
using EdgeLlm.Benchmarks.Daemon;
using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Testing;

namespace EdgeLlm.Benchmarks.Ollama;

/// <summary>
/// <c>EdgeLlm.Benchmarks ollama</c>: what Ollama's API costs beside <c>/v1</c>. One daemon answers the same greedy
/// prompt through <c>/v1/completions</c> (the baseline) and <c>/api/generate</c> with <c>raw: true</c>, alternating
/// round by round; time to first token, decode rate and body bytes as the client sees them, each a ratio of the two.
/// The answers must be the same text, or nothing is reported.
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

        Console.WriteLine("EdgeLlm Ollama API benchmark: /api/generate (raw, NDJSON) against /v1/completions (SSE), the same greedy answer on one daemon.");
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

            // Warm-up: JIT of both request paths and the model's first decode.
            await apis.CompletionsAsync(BenchmarkPrompts.FirstToken, 4, cancellationToken);
            await apis.GenerateAsync(BenchmarkPrompts.FirstToken, 4, cancellationToken);

            var foreignLoad = ForeignCpuLoad.Start(daemon.ProcessId);
            var rounds = new List<OllamaRound>();
            for (var i = 0; i < settings.Rounds; i++)
            {
                // Alternate which API goes first, so a drift of the machine's speed does not land on one of them.
                Console.WriteLine($"round {i + 1} of {settings.Rounds} ...");
                rounds.Add(await RoundAsync(apis, settings.Tokens, generateFirst: i % 2 == 1, cancellationToken));
            }

            var foreign = foreignLoad.Share();
            if (OllamaReport.Disagreements(rounds) is { Count: > 0 } differing)
            {
                Console.Error.WriteLine($"Greedy answers differ, so nothing is reported. The first /v1/completions answer: {rounds[0].Completions.Timing.CompletionTokens} tokens, \"{rounds[0].Completions.Text}\"; differing:");
                Console.Error.WriteLine(string.Join('\n', differing));
                return 1;
            }

            Console.WriteLine();
            OllamaReport.Print(rounds);
            Console.WriteLine($"  Other processes used {BenchmarkReport.F(foreign * 100, 0)}% of the CPUs meanwhile"
                + (foreign > ForeignCpuLoad.QuietShare ? ": the machine was not quiet, so these ratios are unreliable." : "."));
            return 0;
        }
        finally
        {
            await DaemonBenchmark.StopAsync(daemon);
        }
    }

    private static async Task<OllamaRound> RoundAsync(ComparedApis apis, int tokens, bool generateFirst, CancellationToken cancellationToken)
    {
        if (generateFirst)
        {
            var generate = await apis.GenerateAsync(BenchmarkPrompts.Decode, tokens, cancellationToken);
            return new OllamaRound(await apis.CompletionsAsync(BenchmarkPrompts.Decode, tokens, cancellationToken), generate);
        }

        var completions = await apis.CompletionsAsync(BenchmarkPrompts.Decode, tokens, cancellationToken);
        return new OllamaRound(completions, await apis.GenerateAsync(BenchmarkPrompts.Decode, tokens, cancellationToken));
    }
}
