using System.Globalization;
using System.Net;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Tests.Retrieval;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Api.Tests.Observability;

/// <summary>
/// Every metric the dashboard and the alert rules read is one the daemon exports: read from a live <c>/metrics</c> of
/// the daemon's composition (real Kestrel, stories260K) after the events that record them: completions, a refused
/// request, an ingest and a search; the uplink points at a broker that does not answer and the pull at a server that
/// does not either, as on a site whose links are down.
/// </summary>
public sealed class ExportedMetricsTests
{
    [Fact]
    public async Task EveryMetricADashboardPanelOrAnAlertReadsIsExportedByTheDaemon()
    {
        await using var server = await InferenceTestServer.StartAsync(TestModels.Stories260K, new Dictionary<string, string>
        {
            ["Inference:ContextSize"] = "2048",
            ["Telemetry:BrokerUri"] = $"mqtt://127.0.0.1:{LoopbackPorts.Reserve().ToString(CultureInfo.InvariantCulture)}",
            ["Updates:PullUrl"] = $"http://127.0.0.1:{LoopbackPorts.Reserve().ToString(CultureInfo.InvariantCulture)}/stable/",
            ["Updates:PlainHttpHosts:0"] = "127.0.0.1",
        });
        await DriveAsync(server);

        var exported = await ScrapeUntilAsync(server, ["edgellm_update_feed_state", "edgellm_uplink_connected"]);

        var used = ObservabilityFiles.DashboardExpressions().Concat(ObservabilityFiles.AlertExpressions())
            .SelectMany(e => PromQlMetricNames.In(e.Expression).Select(name => (e.Where, Name: name)))
            .Where(u => u.Name != "up") // Prometheus makes up for every target it scrapes.
            .ToList();
        Assert.Contains(used, u => u.Name == "edgellm_inference_inter_token_latency_seconds_bucket");
        var missing = used.Where(u => !exported.Contains(u.Name)).Select(u => $"{u.Where}: {u.Name}").Distinct().ToList();
        Assert.True(missing.Count == 0, "Not exported by the daemon:\n" + string.Join('\n', missing));
    }

    private static async Task DriveAsync(InferenceTestServer server)
    {
        for (var i = 0; i < 2; i++)
        {
            using var completion = await server.PostAsync("/v1/completions", new { prompt = "Once upon a time", max_tokens = 8, temperature = 0 });
            Assert.Equal(HttpStatusCode.OK, completion.StatusCode);
        }

        using var anonymous = new HttpClient { BaseAddress = server.Address };
        using var refused = await anonymous.GetAsync(new Uri("/v1/models", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        var retrieval = new RetrievalClient(server, server.CreateKey("observability", ApiScopes.Inference, ApiScopes.Ingest));
        var collection = await retrieval.CreateCollectionAsync("manuals");
        await retrieval.IngestTextAsync(collection, "press", "Warm the hydraulic oil to 30 °C before the first stroke of the press.");
        var search = await retrieval.PostAsync($"/v1/collections/{collection}/search", new { query = "hydraulic oil" });
        Assert.Equal(HttpStatusCode.OK, search.Status);
    }

    /// <summary>The sample names of a scrape once it holds <paramref name="awaited"/> (the first update check and connection attempt run beside start-up).</summary>
    private static async Task<HashSet<string>> ScrapeUntilAsync(InferenceTestServer server, string[] awaited)
    {
        using var anonymous = new HttpClient { BaseAddress = server.Address };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var text = await anonymous.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            var names = text.Split('\n')
                .Where(l => l.Length > 0 && l[0] != '#')
                .Select(l => l[..l.IndexOfAny(['{', ' '])])
                .ToHashSet(StringComparer.Ordinal);
            if (awaited.All(names.Contains) || DateTime.UtcNow > deadline)
            {
                return names;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500)); // The exporter caches a scrape for 300 ms.
        }
    }
}
