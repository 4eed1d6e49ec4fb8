using System.Net;
using System.Net.Http.Json;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Telemetry;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task MetricsAreValidPrometheusTextAndTheirCountersMoveWithRequests()
    {
        await using var daemon = await EdgeLlmProcess.StartAsync(TestModels.Stories260K);
        await daemon.WaitUntilReadyAsync(TimeSpan.FromMinutes(1));
        using var client = daemon.CreateClient(TimeSpan.FromMinutes(1));
        using var anonymous = new HttpClient { BaseAddress = daemon.Address };
        var before = await ScrapeAsync(anonymous);

        for (var i = 0; i < 2; i++)
        {
            using var ok = await client.PostAsJsonAsync("/v1/completions", new { prompt = "Once upon a time", max_tokens = 12, temperature = 0 });
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var refused = await anonymous.GetAsync(new Uri("/v1/models", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(1)); // The exporter caches a scrape for 300 ms.
        var after = await ScrapeAsync(anonymous);

        Assert.DoesNotContain(after.Types, t => t.Value == "unknown");
        Assert.Equal("counter", after.Types["edgellm_inference_generated_tokens"]);
        Assert.Equal("histogram", after.Types["edgellm_inference_time_to_first_token_seconds"]);
        Assert.Equal(24, Value(after, "edgellm_inference_generated_tokens_total{") - Value(before, "edgellm_inference_generated_tokens_total{"));
        const string completionsOk = "http_server_request_duration_seconds_count{http_request_method=\"POST\",http_response_status_code=\"200\",http_route=\"/v1/completions\"";
        Assert.Equal(2, Value(after, completionsOk) - Value(before, completionsOk));
        Assert.Equal(2, Value(after, "edgellm_inference_time_to_first_token_seconds_count{") - Value(before, "edgellm_inference_time_to_first_token_seconds_count{"));
        Assert.Equal(1, Value(after, "edgellm_api_errors_total{code=\"missing_api_key\""));
        Assert.Contains(after.Samples.Keys, k => k.StartsWith("edgellm_inference_queue_depth{model=\"stories260K\"", StringComparison.Ordinal));
    }

    private static async Task<(Dictionary<string, string> Types, Dictionary<string, double> Samples)> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return await PrometheusText.ParseAsync(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The one sample whose key starts with <paramref name="prefix"/> (labels sorted), 0 when there is none yet.</summary>
    private static double Value((Dictionary<string, string> Types, Dictionary<string, double> Samples) scrape, string prefix) =>
        scrape.Samples.Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(s => s.Value).SingleOrDefault();
}
