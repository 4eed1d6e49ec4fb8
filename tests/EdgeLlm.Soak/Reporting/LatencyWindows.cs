using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Soak.Scenarios;

namespace EdgeLlm.Soak.Reporting;

/// <summary>
/// Key B's latency in one stretch of the soak, over every request sent in it: those answered (whatever the status),
/// and those still waiting when the soak ended, counted with the wait so far (a request stuck behind a flood must
/// weigh in, not drop out) unless that was under <see cref="TooShortToTell"/> (sent just before the end: it says
/// nothing). <see cref="NotOk"/> counts every one that did not end in 200.
/// </summary>
internal sealed record LatencyWindow(string Name, int Requests, int NotOk, int Unfinished, double? P50Ms, double? P95Ms, double? MaxMs)
{
    private static readonly TimeSpan TooShortToTell = TimeSpan.FromSeconds(1);

    public static LatencyWindow Of(string name, IEnumerable<LatencySample> samples, TimeSpan from, TimeSpan to)
    {
        var inWindow = samples.Where(s => s.At >= from && s.At < to && (s.Finished || s.Latency >= TooShortToTell)).ToList();
        var latencies = inWindow.Select(s => s.Latency.TotalMilliseconds).ToList();
        return new LatencyWindow(
            name, inWindow.Count, inWindow.Count(s => s.Status != 200), inWindow.Count(s => !s.Finished),
            latencies.Count > 0 ? Percentiles.Of(latencies, 50) : null,
            latencies.Count > 0 ? Percentiles.Of(latencies, 95) : null,
            latencies.Count > 0 ? latencies.Max() : null);
    }

    /// <summary>
    /// Key B's requests that were waiting or running at any moment of the window (sent before its end, not answered
    /// before its start): those answered 200, and all of them.
    /// </summary>
    public static (int Ok, int All) InFlight(IEnumerable<LatencySample> samples, TimeSpan from, TimeSpan to)
    {
        var overlapping = samples.Where(s => s.At < to && s.At + s.Latency >= from).ToList();
        return (overlapping.Count(s => s.Status == 200), overlapping.Count);
    }
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
