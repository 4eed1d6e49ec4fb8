using System.Diagnostics;
using EdgeLlm.Benchmarks.Reporting;
using EdgeLlm.Routing;
using EdgeLlm.Routing.Classification;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeLlm.Benchmarks.Routing;

/// <summary>
/// The decision alone, in process, on the benchmark's routes: the real resolver, its compiled rules and centroids. The
/// classifier's embedding is not in it (an embedder hands back vectors of stories260K's size): the daemon measures that.
/// </summary>
internal static class DecisionTimer
{
    private const int Dimensions = 64;

    /// <summary>Microseconds per decision, p50 and p95, for each route.</summary>
    public static async Task<IReadOnlyDictionary<string, (double P50, double P95)>> MeasureAsync(int decisions)
    {
        var router = new RouteResolver(Microsoft.Extensions.Options.Options.Create(BenchmarkRoutes.Options()), new SeededEmbedder(), NullLogger<RouteResolver>.Instance);
        var request = new RoutingRequest("key-1", "tenant-a", BenchmarkRoutes.Prompt, new HashSet<string>());
        var classified = await router.PrepareAsync("classified", request, CancellationToken.None);
        var results = new Dictionary<string, (double, double)>();
        foreach (var (route, routed) in new[] { ("rules", request), ("classified", classified) })
        {
            var times = new List<double>(decisions);
            for (var i = 0; i < decisions; i++)
            {
                var start = Stopwatch.GetTimestamp();
                _ = router.Decide(route, routed) ?? throw new InvalidOperationException($"The route '{route}' decided nothing.");
                times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }

            results[route] = (Percentiles.Of(times, 50), Percentiles.Of(times, 95));
        }

        return results;
    }

    // A unit vector seeded by the text: the same text always lands in the same place.
    private sealed class SeededEmbedder : IPromptEmbedder
    {
        public Task<float[]?> EmbedAsync(string model, string text, CancellationToken cancellationToken)
        {
            var random = new Random(text.Length * 31 + text[0]);
            var vector = Enumerable.Range(0, Dimensions).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            var length = MathF.Sqrt(vector.Sum(v => v * v));
            return Task.FromResult<float[]?>([.. vector.Select(v => v / length)]);
        }
    }
}
