using System.Globalization;
using EdgeLlm.Benchmarks.Daemon;
using EdgeLlm.Benchmarks.LlamaCpp;
using EdgeLlm.Benchmarks.Reporting;

namespace EdgeLlm.Benchmarks.Reuse;

/// <summary>
/// <c>EdgeLlm.Benchmarks reuse</c>: what prompt-prefix reuse and prompt-lookup speculation give and cost. One daemon
/// serves the same file as two entries, <c>on</c> (the features' defaults) and <c>off</c> (both off), and every figure
/// is a ratio of the two (or, for A, of a warm and a cold prompt) measured round by round in the same run.
/// </summary>
internal static class ReuseBenchmark
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        ReuseSettings settings;
        string modelPath;
        try
        {
            settings = ReuseSettings.Parse(args);
            modelPath = settings.ModelPath();
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(ReuseSettings.Usage);
            return 2;
        }

        Console.WriteLine("EdgeLlm reuse benchmark: prefix reuse and prompt-lookup speculation, each figure a ratio measured in the same run.");
        Console.WriteLine($"Model: {Path.GetFileName(modelPath)}, served as '{ReuseMeasures.On}' (defaults), '{ReuseMeasures.LookupOff}' (Speculation off) and '{ReuseMeasures.Off}' (PrefixCache and Speculation off); "
            + $"context {ReuseSettings.ContextSize}, {ReuseSettings.MaxSequences} sequences, threads {settings.Threads}; "
            + $"rounds: A {settings.Rounds}, B-D {settings.DecodeRounds}; natives: {settings.Natives ?? "LLamaSharp's"}");
        Console.WriteLine($"Machine: {BenchmarkReport.CpuModel()}, {Environment.ProcessorCount} logical CPUs");
        Console.WriteLine();

        using var vocabulary = new ModelVocabulary(modelPath);
        var comparison = new ComparisonSettings(settings.Threads, 0, ReuseMeasures.DecodeTokens, settings.DecodeRounds, 0, ReuseSettings.ContextSize);
        await using var daemon = await ComparedDaemon.StartAsync(modelPath, new DaemonSetup(null, null, Arguments(settings, modelPath)), comparison, ReuseSettings.MaxSequences, cancellationToken);
        try
        {
            using var http = new HttpClient { BaseAddress = daemon.Address, Timeout = TimeSpan.FromMinutes(15) };
            var client = new ReuseClient(http, daemon.ApiKey!);
            var measures = new ReuseMeasures(client, http, vocabulary, settings);

            // Warm-up: JIT of the request path and each entry's first decode.
            foreach (var model in new[] { ReuseMeasures.Off, ReuseMeasures.LookupOff, ReuseMeasures.On })
            {
                await client.CompleteAsync(model, BenchmarkPrompts.FirstToken, 4, ReuseSampling.Greedy, cancellationToken);
            }

            var foreignLoad = ForeignCpuLoad.Start(daemon.ProcessId);
            var rows = new List<ReuseRow>();

            // A last: its cold prompts stay kept afterwards, and their cells would raise every later step's attention span on 'on'.
            foreach (var (measure, run) in new (char, Func<CancellationToken, Task<ReuseRow>>)[]
            {
                ('B', measures.GroundedAsync), ('C', measures.NothingToCopyAsync), ('C', measures.NothingToCopyBesideKeptPrefixesAsync),
                ('D', measures.StreamsAsync), ('A', measures.WarmSystemPromptAsync),
            })
            {
                if (settings.Runs(measure))
                {
                    rows.Add(await run(cancellationToken));
                }
            }

            Console.WriteLine();
            ReuseReport.Print([.. rows.OrderBy(r => r.Measure, StringComparer.Ordinal)]);
            var foreign = foreignLoad.Share();
            Console.WriteLine($"  Other processes used {BenchmarkReport.F(foreign * 100, 0)}% of the CPUs meanwhile"
                + (foreign > ForeignCpuLoad.QuietShare ? ": the machine was not quiet, so these ratios are unreliable." : "."));
            return 0;
        }
        finally
        {
            await DaemonBenchmark.StopAsync(daemon);
        }
    }

    /// <summary>The two entries on one file (the first is --model's), as an operator would configure them.</summary>
    private static List<string> Arguments(ReuseSettings settings, string modelPath)
    {
        var arguments = new List<string>
        {
            "--Inference:Models:0:Name", ReuseMeasures.On,
            "--Inference:Models:1:Name", ReuseMeasures.Off,
            "--Inference:Models:1:Path", modelPath,
            "--Inference:Models:1:PrefixCache", "false",
            "--Inference:Models:1:Speculation", "false",
            "--Inference:Models:2:Name", ReuseMeasures.LookupOff,
            "--Inference:Models:2:Path", modelPath,
            "--Inference:Models:2:Speculation", "false",
        };
        if (settings.Natives is { } natives)
        {
            arguments.AddRange(["--Inference:NativeDirectory", natives]);
        }

        return arguments;
    }
}
