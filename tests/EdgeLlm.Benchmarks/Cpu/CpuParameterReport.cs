using EdgeLlm.Benchmarks.Reporting;

namespace EdgeLlm.Benchmarks.Cpu;

/// <summary>The parameter table: what each llama.cpp setting costs here, beside what the daemon and LLamaSharp pass for it.</summary>
internal static class CpuParameterReport
{
    public static void Print(
        CpuSettings settings,
        double? referencePrompt,
        double? referenceGeneration,
        IReadOnlyList<VariantResult> variants,
        IReadOnlyDictionary<Parameter, (string Daemon, string LLamaSharp)>? passed)
    {
        var rows = new List<string[]>
        {
            new[] { "llama-bench", "pp512", "x default", $"tg{settings.Tokens}", "x default", "the daemon passes", "LLamaSharp's default" },
            new[] { $"defaults (-t {settings.Threads} -b 2048 -ub 512 -fa auto, f16 KV, mmap)", ComparisonRow.Rate(referencePrompt), "1.00",
                ComparisonRow.Rate(referenceGeneration), "1.00", "", "" },
        };
        foreach (var v in variants)
        {
            var (daemon, llamaSharp) = passed?.GetValueOrDefault(v.Variant.Parameter) ?? ("n/a", "n/a");
            rows.Add(v.Failure is { } failure
                ? [v.Variant.Label, $"failed: {failure}", "", "", "", daemon, llamaSharp]
                : [v.Variant.Label, ComparisonRow.Rate(v.PromptRate), ComparisonRow.Ratio(v.PromptRate, referencePrompt),
                    ComparisonRow.Rate(v.GenerationRate), ComparisonRow.Ratio(v.GenerationRate, referenceGeneration), daemon, llamaSharp]);
        }

        Console.WriteLine();
        Console.WriteLine("What each llama.cpp setting costs here (llama-bench, one setting changed from its defaults; the default row is the reference above, the mean of the first and last runs):");
        BenchmarkReport.PrintTable(rows);
    }
}
