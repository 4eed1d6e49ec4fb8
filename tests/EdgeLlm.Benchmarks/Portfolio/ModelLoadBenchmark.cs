using System.Diagnostics;
using System.Globalization;
using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Benchmarks.SyntheticModels;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Runtime;
using EdgeLlm.Inference.Sampling;
using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Testing;
using LLama;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Benchmarks.Portfolio;

/// <summary>
/// <c>EdgeLlm.Benchmarks model-load</c>: what an on-demand model costs. Per round: llama.cpp loading the weights and
/// creating the same context through LLamaSharp alone (the baseline), the daemon's on-demand load of the same model
/// (file checks, footprint, load, one-token health check), the time to first token of the request that waited for that
/// load and of the same request once loaded, and the idle unload. Medians over the rounds, ratios in the same run.
/// </summary>
internal static class ModelLoadBenchmark
{
    public const string Usage = """
        Usage: EdgeLlm.Benchmarks model-load [--model 1b-q4|stories|PATH] [--repeats N]
          --model    1b-q4: synthetic TinyLlama 1.1B in Q4_0 (default); stories; or a GGUF file
          --repeats  rounds (default 5)
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var model = args.SkipWhile(a => a != "--model").Skip(1).FirstOrDefault() ?? "1b-q4";
        var rounds = int.Parse(args.SkipWhile(a => a != "--repeats").Skip(1).FirstOrDefault() ?? "5", CultureInfo.InvariantCulture);
        var path = model switch
        {
            "1b-q4" => SyntheticModelFiles.Ensure("tinyllama-1.1b-q4_0-random.gguf", SyntheticLlamaShape.TinyLlama1B),
            "stories" => TestModels.Stories260K,
            _ => Path.GetFullPath(model),
        };

        var entry = new ModelOptions { Name = "bench", Path = path, LoadPolicy = "on-demand", ContextSize = 2048, MaxSequences = 1 };
        var options = Options.Create(new InferenceOptions { Models = [entry], KeepAlive = TimeSpan.FromMinutes(1) });
        var time = new SkippingClock();
        var loader = new ModelLoader(options, NullLoggerFactory.Instance, time);
        await using var registry = new ModelRegistry();
        using var residency = new ModelResidency(registry, loader, options, time, NullLogger<ModelResidency>.Instance);
        residency.Configure(new MemoryBudget(long.MaxValue, []), gpuPresent: false);
        var slot = residency.Register(entry);
        registry.MarkReady();

        Console.WriteLine("EdgeLlm model-load benchmark: an on-demand load against llama.cpp's own load of the same model, in one run.");
        Console.WriteLine($"Model: {Path.GetFileName(path)} ({new FileInfo(path).Length / (1 << 20)} MiB, estimated footprint {slot.Footprint.TotalBytes / (1 << 20)} MiB); {rounds} rounds; context 2048, 1 sequence; file in the page cache after round 1");
        var prompt = string.Join(' ', Enumerable.Repeat("The quick brown fox jumps over the lazy dog.", 10));
        var rows = new List<(double Raw, double Load, double ColdTtft, double WarmTtft, double Unload)>();
        for (var round = 0; round < rounds; round++)
        {
            var raw = RawLoadSeconds(path, options.Value, slot.Settings);

            var stopwatch = Stopwatch.StartNew();
            var acquired = await residency.AcquireAsync("bench", CancellationToken.None);
            var load = stopwatch.Elapsed.TotalSeconds;
            using var lease = ((ModelAcquisition.Ready)acquired).Lease;
            var coldTtft = load + await FirstTokenSecondsAsync(lease.Model, prompt);
            var warmTtft = await FirstTokenSecondsAsync(lease.Model, prompt);
            lease.Dispose();

            time.Advance(TimeSpan.FromMinutes(2));
            stopwatch.Restart();
            foreach (var idle in residency.TakeIdle())
            {
                await residency.RetireAsync(idle);
            }

            rows.Add((raw, load, coldTtft, warmTtft, stopwatch.Elapsed.TotalSeconds));
            Console.WriteLine($"round {round + 1}: llama.cpp load {BenchmarkReport.F(raw, 3)} s, on-demand load {BenchmarkReport.F(load, 3)} s, TTFT after load {BenchmarkReport.F(coldTtft, 3)} s, loaded {BenchmarkReport.F(warmTtft, 3)} s, unload {BenchmarkReport.F(stopwatch.Elapsed.TotalSeconds, 3)} s");
        }

        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted[sorted.Count / 2];
        }

        var medianRaw = Median(rows.Select(r => r.Raw));
        var medianLoad = Median(rows.Select(r => r.Load));
        var medianCold = Median(rows.Select(r => r.ColdTtft));
        var medianWarm = Median(rows.Select(r => r.WarmTtft));
        Console.WriteLine();
        BenchmarkReport.PrintTable(
        [
            ["measure", "median", "baseline (same run)", "ratio"],
            ["on-demand load (checks, load, health check)", BenchmarkReport.F(medianLoad, 3) + " s", "llama.cpp load + context " + BenchmarkReport.F(medianRaw, 3) + " s", BenchmarkReport.F(medianLoad / medianRaw, 2)],
            ["TTFT of a request that waited for the load", BenchmarkReport.F(medianCold, 3) + " s", "same request, model loaded " + BenchmarkReport.F(medianWarm, 3) + " s", BenchmarkReport.F(medianCold / medianWarm, 1)],
            ["idle unload (drain, free)", BenchmarkReport.F(Median(rows.Select(r => r.Unload)), 3) + " s", "", ""],
        ]);
        return 0;
    }

    private static double RawLoadSeconds(string path, InferenceOptions options, EffectiveModelSettings settings)
    {
        var stopwatch = Stopwatch.StartNew();
        var parameters = ModelLoader.CreateParameters(path, options, settings);
        using var weights = LLamaWeights.LoadFromFile(parameters);
        using var context = weights.CreateContext(parameters);
        return stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<double> FirstTokenSecondsAsync(LoadedModel model, string prompt)
    {
        var stopwatch = Stopwatch.StartNew();
        var admitted = (AdmissionResult.Admitted)model.Scheduler.TrySubmit(new GenerationRequest(model.Tokenizer.Tokenize(prompt, false), SamplingParameters.Greedy, 8, []), CancellationToken.None);
        double? first = null;
        await foreach (var item in admitted.Stream.ReadAllAsync())
        {
            first ??= item is TextDelta ? stopwatch.Elapsed.TotalSeconds : null;
        }

        return first ?? stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>The system clock that can be moved on, so a keep-alive runs out without waiting for it.</summary>
    private sealed class SkippingClock : TimeProvider
    {
        private TimeSpan _skipped;

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _skipped;

        public void Advance(TimeSpan by) => _skipped += by;
    }
}
