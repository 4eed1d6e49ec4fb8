using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Soak.Scenarios;

namespace EdgeLlm.Soak.Reporting;

/// <summary>Key B's latency in one stretch of the soak: answered requests, those that were not 200, p50 and p95 of the 200s.</summary>
internal sealed record LatencyWindow(string Name, int Requests, int NotOk, double? P50Ms, double? P95Ms)
{
    public static LatencyWindow Of(string name, IEnumerable<LatencySample> samples, TimeSpan from, TimeSpan to)
    {
        var inWindow = samples.Where(s => s.At >= from && s.At < to).ToList();
        var ok = inWindow.Where(s => s.Status == 200).Select(s => s.Latency.TotalMilliseconds).ToList();
        return new LatencyWindow(
            name, inWindow.Count, inWindow.Count - ok.Count,
            ok.Count > 0 ? Percentiles.Of(ok, 50) : null,
            ok.Count > 0 ? Percentiles.Of(ok, 95) : null);
    }

    /// <summary>Key B's share of 200s among its requests sent in the window, in percent; null when none was sent.</summary>
    public double? SuccessPercent => Requests == 0 ? null : 100.0 * (Requests - NotOk) / Requests;
}

internal static class DecodeStep
{
    /// <summary>
    /// One decode step under the flood: per flood stream, the time between its first and last text event inside the
    /// window over the events between them; the median over the streams.
    /// </summary>
    public static double? MedianMs(IEnumerable<List<TimeSpan>> streams, TimeSpan from, TimeSpan to)
    {
        var steps = new List<double>();
        foreach (var arrivals in streams)
        {
            var inWindow = arrivals.Where(t => t >= from && t < to).ToList();
            if (inWindow.Count >= 10)
            {
                steps.Add((inWindow[^1] - inWindow[0]).TotalMilliseconds / (inWindow.Count - 1));
            }
        }

        return steps.Count > 0 ? Percentiles.Median(steps) : null;
    }
}
