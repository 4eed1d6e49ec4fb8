using EdgeLlm.Benchmarks.Reporting;

namespace EdgeLlm.Benchmarks.Ollama;

/// <param name="Baseline">The answer through <c>/v1</c>.</param>
/// <param name="Measured">The same answer through Ollama's API.</param>
internal sealed record ApiRound(ApiAnswer Baseline, ApiAnswer Measured);

/// <summary>One comparison of the benchmark: Ollama's endpoint beside its <c>/v1</c> baseline, round by round.</summary>
/// <param name="Baseline">The <c>/v1</c> endpoint.</param>
/// <param name="Measured">Ollama's endpoint.</param>
internal sealed record ApiComparison(string Baseline, string Measured, IReadOnlyList<ApiRound> Rounds);

/// <summary>Prints the Ollama benchmark's tables: each figure through both APIs and their ratio, the median of the rounds' ratios.</summary>
internal static class OllamaReport
{
    public static void Print(ApiComparison comparison)
    {
        var rounds = comparison.Rounds;
        var table = new List<string[]> { new[] { "measure", $"{comparison.Baseline}, SSE (baseline)", $"{comparison.Measured}, NDJSON", "ratio Ollama ÷ /v1: median of rounds (lowest-highest)" } };
        table.Add(Row(rounds, "time to first token", "ms", 1, a => a.Timing.TimeToFirstToken.TotalMilliseconds));
        table.Add(Row(rounds, "decode", "tok/s", 1, a => a.Timing.DecodeRate));
        table.Add(Row(rounds, "body bytes per answer", "B", 0, a => a.Bytes));
        BenchmarkReport.PrintTable(table);

        var tokens = rounds[0].Baseline.Timing.CompletionTokens;
        Console.WriteLine($"  Each answer: {tokens} tokens, the same text through both in all {rounds.Count} rounds; body bytes per token: "
            + $"{BenchmarkReport.F(rounds[^1].Baseline.Bytes / (double)tokens, 0)} and {BenchmarkReport.F(rounds[^1].Measured.Bytes / (double)tokens, 0)} (headers and chunked framing not counted).");
        Console.WriteLine();
    }

    /// <summary>
    /// Why the comparison cannot be reported: answers whose text or token count differs from the first baseline answer's,
    /// or answers too short for a decode rate; empty when all agree.
    /// </summary>
    public static IReadOnlyList<string> Disagreements(ApiComparison comparison)
    {
        var reference = comparison.Rounds[0].Baseline;
        var answers = comparison.Rounds
            .SelectMany((round, i) => new[] { (Where: $"round {i + 1}, {comparison.Baseline}", Answer: round.Baseline), (Where: $"round {i + 1}, {comparison.Measured}", Answer: round.Measured) })
            .ToList();
        return [.. answers
            .Where(a => a.Answer.Text != reference.Text || a.Answer.Timing.CompletionTokens != reference.Timing.CompletionTokens || a.Answer.Timing.CompletionTokens < 2)
            .Select(a => $"{a.Where}: {a.Answer.Timing.CompletionTokens} tokens, \"{a.Answer.Text}\"")];
    }

    private static string[] Row(IReadOnlyList<ApiRound> rounds, string measure, string unit, int decimals, Func<ApiAnswer, double> figure)
    {
        var baseline = Percentiles.Median([.. rounds.Select(r => figure(r.Baseline))]);
        var measured = Percentiles.Median([.. rounds.Select(r => figure(r.Measured))]);
        double[] ratios = [.. rounds.Select(r => figure(r.Measured) / figure(r.Baseline))];
        return
        [
            measure, $"{BenchmarkReport.F(baseline, decimals)} {unit}", $"{BenchmarkReport.F(measured, decimals)} {unit}",
            $"{BenchmarkReport.F(Percentiles.Median(ratios), 2)} ({BenchmarkReport.F(ratios.Min(), 2)}-{BenchmarkReport.F(ratios.Max(), 2)})",
        ];
    }
}
