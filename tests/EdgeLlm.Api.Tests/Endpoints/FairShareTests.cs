using System.Diagnostics;
using System.Net;
using System.Text;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Inference.Scheduling;
using EdgeLlm.Testing;

namespace EdgeLlm.Api.Tests.Endpoints;

/// <summary>
/// Two real API keys of two tenants sharing two sequences, on the random-weights Llama-2 model, whose long answers
/// almost never end by themselves: a request that is answered while the flood's requests all still run or wait did
/// not wait behind any of them.
/// </summary>
public sealed class FairShareTests
{
    private const string LongStream = """{"prompt":"Hello there","max_tokens":8000,"temperature":0,"stream":true}""";
    private const string ShortRequest = """{"prompt":"Hi","max_tokens":8,"temperature":0}""";

    [Fact]
    public async Task ASecondKeyKeepsGettingASequenceAtOnceWhileTheFirstKeyFloodsTheQueue()
    {
        await using var server = await StartAsync();
        var other = server.CreateKey("tenant-b", ApiScopes.Inference);
        using (var hello = await server.PostJsonAsync("/v1/completions", ShortRequest, other))
        {
            Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        }

        using var flooding = new CancellationTokenSource();
        var reading = Enumerable.Range(0, 5).Select(_ => StreamAsync(server, flooding.Token)).ToList();
        // Key a is alone no longer (key b asked within the minute): one sequence stays for key b.
        await WaitUntilAsync(server, s => s is { Active: 1, Waiting: 4 });

        for (var i = 0; i < 3; i++)
        {
            using var answer = await server.PostJsonAsync("/v1/completions", ShortRequest, other);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("text_completion", (await InferenceTestServer.JsonAsync(answer)).GetProperty("object").GetString());
        }

        Assert.All(reading, r => Assert.False(r.IsCompleted));
        Assert.Equal(4, server.Model.Scheduler.Snapshot.Waiting);
        await flooding.CancelAsync();
        await Task.WhenAll(reading);
    }

    [Fact]
    public async Task AKeyOverItsQueuedShareGets429NamingItsShareWhileAnotherKeyIsServed()
    {
        await using var server = await StartAsync(new Dictionary<string, string>
        {
            ["Inference:MaxSequencesPerKey"] = "1",
            ["Inference:MaxQueuedPerKey"] = "1",
        });
        var other = server.CreateKey("tenant-b", ApiScopes.Inference);
        using var holding = new CancellationTokenSource();
        var reading = Enumerable.Range(0, 2).Select(_ => StreamAsync(server, holding.Token)).ToList();
        await WaitUntilAsync(server, s => s is { Active: 1, Waiting: 1 });

        using var refused = await server.PostJsonAsync("/v1/completions", ShortRequest);
        using var served = await server.PostJsonAsync("/v1/completions", ShortRequest, other);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var error = (await InferenceTestServer.JsonAsync(refused)).GetProperty("error");
        Assert.Equal(ErrorCodes.QueueFull, error.GetProperty("code").GetString());
        Assert.Contains("API key", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.All(reading, r => Assert.False(r.IsCompleted));
        await holding.CancelAsync();
        await Task.WhenAll(reading);
    }

    private static readonly CapturingLoggerProvider Logs = new();

    private static Task<InferenceTestServer> StartAsync(Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Inference:ContextSize"] = "8192",
            ["Inference:MaxSequences"] = "2",
            ["Inference:QueueCapacity"] = "8",
            ["Api:RateLimitPerSecond"] = "0",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return InferenceTestServer.StartAsync(TestModels.TinyRandomLlama2, settings, Logs);
    }

    /// <summary>A long stream of key a, its text taken as it comes (as a client does, so it never counts as stalled) until <paramref name="stop"/>.</summary>
    private static async Task StreamAsync(InferenceTestServer server, CancellationToken stop)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = new StringContent(LongStream, Encoding.UTF8, "application/json") };
            using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync(stop);
            await body.CopyToAsync(Stream.Null, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The test is over.
        }
    }

    private static async Task WaitUntilAsync(InferenceTestServer server, Func<SchedulerSnapshot, bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition(server.Model.Scheduler.Snapshot))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"The scheduler never got there; it is at {server.Model.Scheduler.Snapshot}." + string.Join("\n", Logs.Entries.Where(e => e.EventId is >= 1000 and < 4000 && e.EventId != 3900).Select(e => e.EventId + " " + e.Message)));
            await Task.Delay(10);
        }
    }
}
