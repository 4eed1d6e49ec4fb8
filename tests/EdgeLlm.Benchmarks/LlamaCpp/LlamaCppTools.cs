using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace EdgeLlm.Benchmarks.LlamaCpp;

/// <summary>
/// llama.cpp's own benchmarks, built from the same source as the module: the peers' ceiling. Each runs as a
/// child process with machine-readable output (llama-bench <c>-o json</c>, llama-batched-bench
/// <c>--output-format jsonl</c>) and flash attention left at llama.cpp's default (auto), as LLamaSharp leaves it.
/// </summary>
internal static class LlamaCppTools
{
    public const int PromptTokens = 512;

    /// <summary>Prompt tokens of each batched-bench sequence (about the length of the daemon streams' prompts).</summary>
    public const int BatchedPromptTokens = 32;

    // Only stops a hang: a CPU run of pp512 and tg with five repeats of a 1B model takes minutes on two cores.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    private static readonly Dictionary<string, string> CudaGraphsOff = new() { ["GGML_CUDA_DISABLE_GRAPHS"] = "1" };

    /// <summary>llama-bench pp512 and tg (--tokens) on the model, then tg again with CUDA graphs disabled.</summary>
    public static async Task<LlamaBenchResult> LlamaBenchAsync(string tool, string model, ComparisonSettings settings, CancellationToken cancellationToken)
    {
        var tests = await LlamaBenchTestsAsync(tool, model, settings, PromptTokens, [], null, cancellationToken);
        var withoutGraphs = await LlamaBenchTestsAsync(tool, model, settings, 0, [], CudaGraphsOff, cancellationToken);
        return new LlamaBenchResult(
            Rate(tests, PromptTokens, 0), Rate(tests, 0, settings.Tokens), withoutGraphs.Single(t => t.Generated == settings.Tokens).Rate);
    }

    /// <summary>llama-bench pp512 and tg (--tokens) with <paramref name="arguments"/> added to the shared settings.</summary>
    public static async Task<PromptAndGeneration> PromptAndGenerationAsync(
        string tool, string model, ComparisonSettings settings, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var tests = await LlamaBenchTestsAsync(tool, model, settings, PromptTokens, arguments, null, cancellationToken);
        return new PromptAndGeneration(Rate(tests, PromptTokens, 0), Rate(tests, 0, settings.Tokens));
    }

    /// <summary>llama-bench tg (--tokens) alone, repeated as the settings say.</summary>
    public static async Task<double> GenerationAsync(string tool, string model, ComparisonSettings settings, CancellationToken cancellationToken) =>
        Rate(await LlamaBenchTestsAsync(tool, model, settings, 0, [], null, cancellationToken), 0, settings.Tokens);

    /// <summary>llama-batched-bench generation rate (S_TG, all sequences together) at each count of <paramref name="sequences"/>.</summary>
    public static async Task<IReadOnlyDictionary<int, double>> BatchedBenchAsync(
        string tool, string model, ComparisonSettings settings, IReadOnlyList<int> sequences, CancellationToken cancellationToken)
    {
        var perSequence = BatchedPromptTokens + settings.Tokens;

        // Its rows go through llama.cpp's asynchronous log, which loses what was logged just before the exit now and
        // then (seen on a busy 2-core machine): a last, sacrificial run of the smallest count protects the real ones.
        int[] counts = [.. sequences, sequences.Min()];
        string[] args =
        [
            "-m", model, "-c", Invariant(sequences.Max() * perSequence), "-b", "2048", "-ub", "512",
            "-npp", Invariant(BatchedPromptTokens), "-ntg", Invariant(settings.Tokens), "-npl", string.Join(',', counts),
            "-ngl", Invariant(settings.GpuLayers), "-t", Invariant(settings.Threads), "--output-format", "jsonl",
        ];
        var (stdout, stderr) = await RunAsync(tool, args, null, cancellationToken);
        var rates = ParseBatchedBench(stdout);
        var missing = sequences.Where(n => !rates.ContainsKey(n)).ToList();
        return missing.Count == 0
            ? rates
            : throw new InvalidDataException($"llama-batched-bench reported no run for {string.Join(',', missing)} sequences:\n{Tail(stdout + stderr)}");
    }

    /// <summary>Rows of llama-bench's <c>-o json</c> array.</summary>
    public static IReadOnlyList<LlamaBenchTest> ParseLlamaBench(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(test => new LlamaBenchTest(
            test.GetProperty("n_prompt").GetInt32(), test.GetProperty("n_gen").GetInt32(), test.GetProperty("avg_ts").GetDouble()))];
    }

    /// <summary>Sequences → S_TG of llama-batched-bench's JSON lines (the first row of a count); other lines (its log) are skipped.</summary>
    public static IReadOnlyDictionary<int, double> ParseBatchedBench(string output) =>
        output.Split('\n')
            .Where(line => line.StartsWith("{\"n_kv_max\"", StringComparison.Ordinal))
            .Select(line =>
            {
                using var row = JsonDocument.Parse(line);
                return (Sequences: row.RootElement.GetProperty("pl").GetInt32(), Rate: row.RootElement.GetProperty("speed_tg").GetDouble());
            })
            .GroupBy(r => r.Sequences)
            .ToDictionary(g => g.Key, g => g.First().Rate);

    private static double Rate(IReadOnlyList<LlamaBenchTest> tests, int prompt, int generated) =>
        tests.SingleOrDefault(t => t.Prompt == prompt && t.Generated == generated)?.Rate
        ?? throw new InvalidDataException($"llama-bench reported no test with {prompt} prompt and {generated} generated tokens.");

    private static async Task<IReadOnlyList<LlamaBenchTest>> LlamaBenchTestsAsync(
        string tool, string model, ComparisonSettings settings, int promptTokens, IReadOnlyList<string> arguments,
        Dictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        // llama-bench adds a repeated list option's values to the list (a second -t is a second test), so a variant's own -t replaces the shared one.
        string[] threads = arguments.Contains("-t") ? [] : ["-t", Invariant(settings.Threads)];
        string[] args =
        [
            "-m", model, "-p", Invariant(promptTokens), "-n", Invariant(settings.Tokens), "-ngl", Invariant(settings.GpuLayers),
            .. threads, "-r", Invariant(settings.Repeats), "-o", "json", .. arguments,
        ];
        var (stdout, stderr) = await RunAsync(tool, args, environment, cancellationToken);
        try
        {
            return ParseLlamaBench(stdout);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"llama-bench printed no JSON results ({ex.Message}):\n{Tail(stdout + stderr)}", ex);
        }
    }

    public static async Task<(string Stdout, string Stderr)> RunAsync(
        string tool, IEnumerable<string> args, Dictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? [])
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {tool}.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(tool)} did not finish within {Timeout.TotalMinutes} minutes.");
        }

        var (output, errors) = (await stdout, await stderr);
        return process.ExitCode == 0
            ? (output, errors)
            : throw new InvalidOperationException($"{Path.GetFileName(tool)} exited with code {process.ExitCode}:\n{Tail(output + errors)}");
    }

    private static string Tail(string output) => string.Join('\n', output.TrimEnd().Split('\n').TakeLast(20));

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One llama-bench test: pp (prompt tokens, none generated) or tg (generated tokens, no prompt).</summary>
internal sealed record LlamaBenchTest(int Prompt, int Generated, double Rate);

/// <param name="PromptRate">pp512 tokens per second.</param>
/// <param name="GenerationRate">tg tokens per second.</param>
/// <param name="GenerationRateWithoutCudaGraphs">tg tokens per second with GGML_CUDA_DISABLE_GRAPHS=1 (on a CPU, the same as tg).</param>
internal sealed record LlamaBenchResult(double PromptRate, double GenerationRate, double GenerationRateWithoutCudaGraphs);

/// <param name="PromptRate">pp512 tokens per second.</param>
/// <param name="GenerationRate">tg tokens per second.</param>
internal sealed record PromptAndGeneration(double PromptRate, double GenerationRate);
