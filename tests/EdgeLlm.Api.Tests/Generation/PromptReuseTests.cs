using System.Net.Http.Headers;
using System.Text.Json;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Api.Tests.Generation;

/// <summary>
/// Prompt-prefix reuse and speculation through the daemon's composition on stories260K: what an answer says it
/// reused, what /metrics counts and what /admin/status shows.
/// </summary>
public sealed class PromptReuseTests : IAsyncLifetime
{
    private const string SystemPrompt = "You tell short stories to children. They are about friends, animals and the park, and always end well. "
        + "Each story has a girl named Lily and a dog named Max. Lily and Max play with a red ball near a big tree.";

    private InferenceTestServer _server = null!;

    public async Task InitializeAsync() => _server = await InferenceTestServer.StartAsync(TestModels.Stories260K);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AChatThatStartsLikeAnEarlierOneSaysHowManyPromptTokensItDidNotDecodeAgain()
    {
        var first = await ChatAsync("Tell me about the ball.", stream: false);
        var second = await ChatAsync("Tell me about the tree.", stream: false);
        var third = await ChatAsync("Tell me about the park.", stream: true);

        // The shared start: the template's system header and the system prompt, up to where the questions part.
        var shared = _server.Model.Tokenizer.Tokenize(SystemPrompt, false).Length;
        Assert.Equal(0, Cached(first));
        Assert.InRange(Cached(second), shared, second.GetProperty("prompt_tokens").GetInt32() - 1);
        Assert.InRange(Cached(third), shared, third.GetProperty("prompt_tokens").GetInt32() - 1);
    }

    [Fact]
    public async Task ACompletionsAnswerCarriesTheSameDetailAndMetricsCountTheReuse()
    {
        using var first = await _server.PostAsync("/v1/completions", new { prompt = SystemPrompt + " Once upon a time", max_tokens = 8, temperature = 0 });
        using var second = await _server.PostAsync("/v1/completions", new { prompt = SystemPrompt + " One day", max_tokens = 8, temperature = 0 });
        var usage = (await InferenceTestServer.JsonAsync(second)).GetProperty("usage");

        Assert.Equal(0, Cached((await InferenceTestServer.JsonAsync(first)).GetProperty("usage")));
        Assert.True(Cached(usage) > 30, usage.ToString());
        var reused = await MetricAsync("edgellm_inference_prefix_cache_hit_tokens_total{", v => v >= Cached(usage));
        Assert.True(reused >= Cached(usage), $"hit tokens {reused}");
        Assert.True(await MetricAsync("edgellm_inference_prefix_cache_lookups_total{", v => v >= 1, "result=\"hit\"") >= 1);
        Assert.False(double.IsNaN(await MetricAsync("edgellm_inference_speculation_proposed_tokens_total{", _ => true)), "no proposed-tokens counter");
        Assert.False(double.IsNaN(await MetricAsync("edgellm_inference_speculation_accepted_tokens_total{", _ => true)), "no accepted-tokens counter");
    }

    [Fact]
    public async Task TheStatusShowsEachModelsReuseAndWhatItsKeptPrefixesHold()
    {
        await ChatAsync("Tell me about Max.", stream: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/status");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _server.CreateKey("operators", ApiScopes.Admin));

        using var response = await _server.Client.SendAsync(request);
        var reuse = (await InferenceTestServer.JsonAsync(response)).GetProperty("models")[0].GetProperty("reuse");

        Assert.True(reuse.GetProperty("prefix_cache").GetBoolean());
        Assert.True(reuse.GetProperty("speculation").GetBoolean());
        Assert.Equal(JsonValueKind.Null, reuse.GetProperty("unavailable").ValueKind);
        Assert.Equal(1, reuse.GetProperty("kept_prefixes").GetInt32());
        Assert.True(reuse.GetProperty("kept_cells").GetInt64() > 40, reuse.ToString());
    }

    private static int Cached(JsonElement usage) => usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32();

    /// <summary>The usage of a chat answer, whole or streamed (its last chunk, asked for with include_usage).</summary>
    private async Task<JsonElement> ChatAsync(string question, bool stream)
    {
        using var response = await _server.PostAsync("/v1/chat/completions", new
        {
            messages = new object[] { new { role = "system", content = SystemPrompt }, new { role = "user", content = question } },
            max_tokens = 12,
            temperature = 0,
            stream,
            stream_options = stream ? new { include_usage = true } : null,
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        if (!stream)
        {
            return (await InferenceTestServer.JsonAsync(response)).GetProperty("usage");
        }

        var last = (await response.Content.ReadAsStringAsync()).Split('\n')
            .Where(l => l.StartsWith("data: {", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l["data: ".Length..]).RootElement)
            .Last();
        return last.GetProperty("usage");
    }

    /// <summary>A metric's value from /metrics once <paramref name="enough"/> holds (the scrape is cached briefly).</summary>
    private async Task<double> MetricAsync(string prefix, Func<double, bool> enough, string? label = null)
    {
        var value = double.NaN;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var line = (await _server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n')
                .FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal) && l.Contains("model=\"stories260K\"", StringComparison.Ordinal) && (label is null || l.Contains(label, StringComparison.Ordinal)));
            value = line is null ? double.NaN : double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            if (!double.IsNaN(value) && enough(value))
            {
                return value;
            }

            await Task.Delay(250);
        }

        return value;
    }
}
