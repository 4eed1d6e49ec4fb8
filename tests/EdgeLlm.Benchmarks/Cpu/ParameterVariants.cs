using System.Globalization;
using EdgeLlm.Benchmarks.LlamaCpp;

namespace EdgeLlm.Benchmarks.Cpu;

/// <summary>
/// llama-bench with one setting changed from its defaults (-t threads, -b 2048, -ub 512, -fa auto, f16 KV, mmap),
/// the settings where the daemon or LLamaSharp may differ from llama.cpp's tools: what each costs on this machine.
/// </summary>
internal static class ParameterVariants
{
    /// <summary>The changes measured: each against the reference run of llama-bench's defaults.</summary>
    public static IReadOnlyList<ParameterVariant> For(int threads)
    {
        var variants = new List<ParameterVariant>();
        // llama-bench sets one count for both; the daemon's Threads and BatchThreads come from one setting too, so
        // the table shows what each count gives generation (threads) and the prompt (batch threads).
        foreach (var count in new[] { Math.Max(1, threads / 2), Environment.ProcessorCount }.Distinct().Where(c => c != threads))
        {
            var value = count.ToString(CultureInfo.InvariantCulture);
            variants.Add(new(Parameter.Threads, $"-t {value}", ["-t", value]));
        }

        variants.Add(new(Parameter.MicroBatch, "-ub 128 (the daemon's prompt chunk)", ["-ub", "128"]));
        variants.Add(new(Parameter.MicroBatch, "-ub 2048 (one ubatch; same as 512 for a 512-token prompt)", ["-ub", "2048"]));
        variants.Add(new(Parameter.FlashAttention, "-fa off", ["-fa", "off"]));
        variants.Add(new(Parameter.FlashAttention, "-fa on", ["-fa", "on"]));
        variants.Add(new(Parameter.KvType, "-ctk q8_0 -ctv q8_0", ["-ctk", "q8_0", "-ctv", "q8_0"]));
        variants.Add(new(Parameter.Load, "-lm none (read, no mmap)", ["-lm", "none"]));
        return variants;
    }

    /// <summary>Each variant's pp512 and tg; a variant llama-bench refuses gets no figures and the reason.</summary>
    public static async Task<IReadOnlyList<VariantResult>> MeasureAsync(string tool, string model, ComparisonSettings settings, CancellationToken cancellationToken)
    {
        var results = new List<VariantResult>();
        foreach (var variant in For(settings.Threads))
        {
            Console.WriteLine($"  llama-bench {variant.Label} ...");
            try
            {
                var (prompt, generation) = await LlamaCppTools.PromptAndGenerationAsync(tool, model, settings, variant.Arguments, cancellationToken);
                results.Add(new VariantResult(variant, prompt, generation, null));
            }
            catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or TimeoutException)
            {
                results.Add(new VariantResult(variant, null, null, ex.Message.Split('\n')[0]));
            }
        }

        return results;
    }
}

/// <summary>The settings of the parameter table, each with what the daemon and LLamaSharp pass for it.</summary>
internal enum Parameter
{
    Threads,
    MicroBatch,
    FlashAttention,
    KvType,
    Load,
}

/// <param name="Parameter">The setting changed.</param>
/// <param name="Label">What changed, in the report.</param>
/// <param name="Arguments">The llama-bench arguments that change it.</param>
internal sealed record ParameterVariant(Parameter Parameter, string Label, IReadOnlyList<string> Arguments);

/// <param name="Variant">The change.</param>
/// <param name="PromptRate">pp512 tokens per second; null when llama-bench failed.</param>
/// <param name="GenerationRate">tg tokens per second; null when llama-bench failed.</param>
/// <param name="Failure">Why llama-bench gave no figures.</param>
internal sealed record VariantResult(ParameterVariant Variant, double? PromptRate, double? GenerationRate, string? Failure);
