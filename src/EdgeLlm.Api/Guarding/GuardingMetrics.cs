using System.Diagnostics;
using System.Diagnostics.Metrics;
using EdgeLlm.Guardrails.Enforcement;

namespace EdgeLlm.Api.Guarding;

/// <summary>The guard model's instruments (meter <c>EdgeLlm.Api.Guarding</c>): verdicts and their latency, by model and outcome.</summary>
internal static class GuardingMetrics
{
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
    private static readonly Meter Meter = new("EdgeLlm.Api.Guarding");

    private static readonly Counter<long> Verdicts = Meter.CreateCounter<long>(
        "edgellm.guard.verdicts", "{verdict}", "Guard model verdicts, by model and outcome: safe, unsafe, or why there was none (timeout, not_found, not_guard, not_loaded, queue_full, failed, too_long, unparsable).");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram(
        "edgellm.guard.verdict.duration", "s", "Time from asking the guard model to its verdict (loading, queueing and generating), by model and outcome.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    public static void Judged(string model, GuardVerdict verdict, TimeSpan duration)
    {
        var tags = new TagList { { "model", model }, { "outcome", Outcome(verdict) } };
        Verdicts.Add(1, tags);
        Duration.Record(duration.TotalSeconds, tags);
    }

    /// <summary><c>safe</c>, <c>unsafe</c>, or the reason there is no verdict.</summary>
    public static string Outcome(GuardVerdict verdict) => verdict switch
    {
        GuardVerdict.Safe => "safe",
        GuardVerdict.Unsafe => "unsafe",
        GuardVerdict.Unavailable unavailable => unavailable.Reason,
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };
}
