using EdgeLlm.Benchmarks.Reporting;

namespace EdgeLlm.Benchmarks.Baseline;

/// <param name="ParameterCount">Weights in the model.</param>
/// <param name="DecodeRates">Decode tokens per second of each run.</param>
/// <param name="DecodeTokens">Tokens generated per decode run (fewer than asked if the model ended the text).</param>
/// <param name="PromptMilliseconds">Time to decode the time-to-first-token prompt, each run.</param>
/// <param name="PromptTokens">Tokens in that prompt.</param>
/// <param name="ForeignCpuShare">Share of the CPUs other processes used meanwhile (0-1).</param>
internal sealed record BaselineRun(
    ulong ParameterCount, IReadOnlyList<double> DecodeRates, int DecodeTokens, IReadOnlyList<double> PromptMilliseconds, int PromptTokens, double ForeignCpuShare)
{
    public double DecodeRate => Percentiles.Median(DecodeRates);
}

/// <summary>
/// The baseline runs before and after the daemon. Bracketing the daemon cancels a machine whose speed drifts
/// during the run (a virtual machine's host, thermal limits): on a 2-core VM that drift alone moves a single
/// bracket by about 10%.
/// </summary>
internal sealed record BaselineResult(BaselineRun Before, BaselineRun After)
{
    public ulong ParameterCount => Before.ParameterCount;

    public int DecodeTokens => Before.DecodeTokens;

    public int DecodeRuns => Before.DecodeRates.Count + After.DecodeRates.Count;

    /// <summary>Mean of the two brackets' median decode rates.</summary>
    public double DecodeRate => (Before.DecodeRate + After.DecodeRate) / 2;

    public int PromptTokens => Before.PromptTokens;

    public int PromptRuns => Before.PromptMilliseconds.Count + After.PromptMilliseconds.Count;

    public double PromptMillisecondsP50 => Percentiles.Of([.. Before.PromptMilliseconds, .. After.PromptMilliseconds], 50);

    public double PromptMillisecondsP95 => Percentiles.Of([.. Before.PromptMilliseconds, .. After.PromptMilliseconds], 95);

    public double ForeignCpuShare => Math.Max(Before.ForeignCpuShare, After.ForeignCpuShare);
}
