using System.Globalization;
using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Benchmarks.SyntheticModels;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Benchmarks.Guardrails;

/// <summary>
/// <c>EdgeLlm.Benchmarks guard-stream</c>: what the request path's output screen (the streaming PII filter and the output
/// deny rules of <see cref="BenchmarkPolicy"/>) adds per token, against the inter-token time of the synthetic TinyLlama
/// 1.1B Q4_0 decoding one greedy stream in process through the real scheduler, in one run. The stream is decoded twice
/// (screen off, then on inside the reading loop, as the API runs it); the screen's own cost is then measured precisely by
/// replaying token texts through it: the recorded stream's, and a realistic answer with an entity every ~200 characters
/// cut into the model's token pieces (the worst case: every entity is held, re-scanned and redacted).
/// </summary>
internal static class StreamFilterBenchmark
{
    public const string Usage = """
        Usage: EdgeLlm.Benchmarks guard-stream [--tokens N] [--seconds S] [--answer-chars N]
          --tokens        tokens per decoded stream (default 128)
          --seconds       replay time per token stream (default 3)
          --answer-chars  length of the answer with planted entities (default 8000)
        """;

    private const double GoalFraction = 0.02;

    private const string Prompt = "You are the help desk assistant of a small company. A customer asks why their last invoice " +
        "was charged twice and whether the refund has been sent. Answer politely and give the details you have on file.";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var tokens = Argument(args, "--tokens", 128);
        var seconds = Argument(args, "--seconds", 3);
        var answerChars = Argument(args, "--answer-chars", 8000);
        var path = SyntheticModelFiles.Ensure("tinyllama-1.1b-q4_0-random.gguf", SyntheticLlamaShape.TinyLlama1B);
        var entry = new ModelOptions { Name = "bench", Path = path, ContextSize = 2048, MaxSequences = 1 };
        var loader = new ModelLoader(Options.Create(new InferenceOptions { Models = [entry] }), NullLoggerFactory.Instance, TimeProvider.System);
        await using var model = loader.Load(entry);

        var screens = BenchmarkPolicy.Screens();
        Console.WriteLine("EdgeLlm guard-stream benchmark: the output screen's cost per token against the inter-token time, in one run.");
        Console.WriteLine($"Model: {Path.GetFileName(path)}, in process through the scheduler, one greedy stream of up to {tokens} tokens; " +
            "screen: the request path's output screen, every PII family and an employee-number pattern redacted, 100 deny keywords and 2 deny patterns");

        await DecodedStream.RecordAsync(model, Prompt, 8, screen: null);
        var off = await DecodedStream.RecordAsync(model, Prompt, tokens, screen: null);
        var on = await DecodedStream.RecordAsync(model, Prompt, tokens, screens());
        var interToken = Percentiles.Median(off.InterTokenSeconds.ToArray()) * 1e6;
        Console.WriteLine($"decoded {off.Texts.Count} deltas ({off.Finish}), {string.Concat(off.Texts).Length} characters; " +
            $"inter-token median: screen off {BenchmarkReport.F(interToken / 1e3, 1)} ms, screen on in the reading loop " +
            $"{BenchmarkReport.F(Percentiles.Median(on.InterTokenSeconds.ToArray()) * 1e3, 1)} ms ({on.Texts.Count} deltas)");

        var (answer, planted) = PlantedPiiAnswer.Write(answerChars);
        var pieces = TokenPieces.Of(model, answer);
        Console.WriteLine($"answer with planted entities: {answer.Length} characters, {planted} entities, {pieces.Count} token pieces " +
            $"({BenchmarkReport.F(answer.Length / (double)pieces.Count, 1)} characters a piece)");

        var duration = TimeSpan.FromSeconds(seconds);
        var replays = new (string Name, FilterReplay Replay)[]
        {
            ("recorded stream (synthetic model's tokens)", FilterReplay.Run(screens, off.Texts, duration)),
            ($"answer, an entity per ~{PlantedPiiAnswer.Spacing} characters", FilterReplay.Run(screens, pieces, duration)),
        };

        Console.WriteLine();
        var rows = new List<string[]>
        {
            new[] { "token stream", "tokens x answers", "placeholders / answer", "Push median", "Push p95", "mean per token (wall)", "mean per token (CPU)", "mean ÷ inter-token", "p95 ÷ inter-token" },
        };
        foreach (var (name, replay) in replays)
        {
            rows.Add([
                name,
                $"{replay.Tokens} x {replay.Repetitions}",
                replay.Redacted.ToString(CultureInfo.InvariantCulture),
                Micro(replay.Median),
                Micro(replay.P95),
                Micro(replay.MeanMicroseconds),
                Micro(replay.CpuMeanMicroseconds),
                Percent(replay.MeanMicroseconds / interToken),
                Percent(replay.P95 / interToken),
            ]);
        }

        BenchmarkReport.PrintTable(rows);
        // The goal is an overhead per token, so the mean (every push and completion) is judged, on the costlier stream.
        var worst = replays.Max(r => r.Replay.MeanMicroseconds);
        var met = worst / interToken <= GoalFraction;
        Console.WriteLine($"\ninter-token time (median, screen off): {BenchmarkReport.F(interToken / 1e3, 2)} ms; screen per token (mean, costlier stream): " +
            $"{Micro(worst)} = {Percent(worst / interToken)} of it; goal <= {Percent(GoalFraction)}: {BenchmarkReport.Verdict(met)}");
        return met ? 0 : 1;
    }

    private static string Micro(double microseconds) => BenchmarkReport.F(microseconds, 1) + " µs";

    private static string Percent(double fraction) => BenchmarkReport.F(fraction * 100, 3) + " %";

    private static int Argument(IReadOnlyList<string> args, string name, int fallback)
    {
        var value = args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return value is null ? fallback : int.Parse(value, CultureInfo.InvariantCulture);
    }
}
