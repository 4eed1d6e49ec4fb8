using EdgeLlm.Benchmarks.Reporting;

namespace EdgeLlm.Benchmarks.Ollama;

/// <param name="Completions">The baseline: the answer through <c>/v1/completions</c>.</param>
/// <param name="Generate">The same answer through <c>/api/generate</c>.</param>
internal sealed record OllamaRound(ApiAnswer Completions, ApiAnswer Generate);

/// <summary>Prints the Ollama benchmark's table: each figure through both APIs and their ratio, the median of the rounds' ratios.</summary>
internal static class OllamaReport
{
    public static void Print(IReadOnlyList<OllamaRound> rounds)
    {
        var table = new List<string[]> { new[] { "measure", "/v1/completions (SSE, baseline)", "/api/generate (NDJSON)", "ratio Ollama ÷ /v1 (median of rounds)" } };
        table.Add(Row(rounds, "time to first token", "ms", 1, a => a.Timing.TimeToFirstToken.TotalMilliseconds));
        table.Add(Row(rounds, "decode", "tok/s", 1, a => a.Timing.DecodeRate));
        table.Add(Row(rounds, "body bytes per answer", "B", 0, a => a.Bytes));
        BenchmarkReport.PrintTable(table);

        var tokens = rounds[0].Completions.Timing.CompletionTokens;
        Console.WriteLine();
        Console.WriteLine($"  Each answer: {tokens} tokens, the same text through both APIs in all {rounds.Count} rounds; "
            + $"body bytes per token: /v1 {BenchmarkReport.F(rounds[^1].Completions.Bytes / (double)tokens, 0)}, "
            + $"/api/generate {BenchmarkReport.F(rounds[^1].Generate.Bytes / (double)tokens, 0)} (headers and chunked framing not counted).");
    }

    /// <summary>Answers whose text or token count differs from the first baseline answer's; empty when all agree.</summary>
    public static IReadOnlyList<string> Disagreements(IReadOnlyList<OllamaRound> rounds)
    {
        var reference = rounds[0].Completions;
        return [.. rounds.SelectMany((round, i) => new[] { (Where: $"round {i + 1}, /v1/completions", Answer: round.Completions), (Where: $"round {i + 1}, /api/generate", Answer: round.Generate) })
            .Where(a => a.Answer.Text != reference.Text || a.Answer.Timing.CompletionTokens != reference.Timing.CompletionTokens)
            .Select(a => $"{a.Where}: {a.Answer.Timing.CompletionTokens} tokens, \"{a.Answer.Text}\"")];
    }

    private static string[] Row(IReadOnlyList<OllamaRound> rounds, string measure, string unit, int decimals, Func<ApiAnswer, double> figure)
    {
        var baseline = Percentiles.Median([.. rounds.Select(r => figure(r.Completions))]);
        var measured = Percentiles.Median([.. rounds.Select(r => figure(r.Generate))]);
        var ratio = Percentiles.Median([.. rounds.Select(r => figure(r.Generate) / figure(r.Completions))]);
        return [measure, $"{BenchmarkReport.F(baseline, decimals)} {unit}", $"{BenchmarkReport.F(measured, decimals)} {unit}", BenchmarkReport.F(ratio, 2)];
    }
}
