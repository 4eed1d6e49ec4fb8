using System.Globalization;
using System.Net;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Api.Tests.Endpoints;

/// <summary>
/// One sequence and no queue, on the random-weights Llama-2 model: its output almost never ends by
/// itself, so a long request really holds the slot for the whole test.
/// </summary>
// Alone: the memory test reads the whole process's managed heap, which tests running beside it would move.
[Collection(MeasuredAloneCollection.Name)]
public sealed class AdmissionTests
{
    private const string LongRequest = """{"prompt":"Hello there","max_tokens":8000,"temperature":0,"stream":true}""";

    [Fact]
    public async Task WhenEverySlotAndQueuePlaceIsTakenARequestGets429WithRetryAfter()
    {
        await using var server = await StartAsync();
        using var holder = await server.PostJsonAsync("/v1/completions", LongRequest);
        await FirstEventAsync(holder);

        using var refused = await server.PostJsonAsync("/v1/completions", """{"prompt":"Hi","max_tokens":5}""");
        var body = await InferenceTestServer.JsonAsync(refused);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(ErrorCodes.QueueFull, body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("rate_limit_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(0, server.Model.Scheduler.Snapshot.Cancelled);
    }

    [Fact]
    public async Task AClientThatDisconnectsMidStreamFreesItsSlot()
    {
        await using var server = await StartAsync();
        var holder = await server.PostJsonAsync("/v1/completions", LongRequest);
        await FirstEventAsync(holder);
        Assert.Equal(1, server.Model.Scheduler.Snapshot.Active);

        holder.Dispose();
        await WaitUntilAsync(() => server.Model.Scheduler.Snapshot is { Active: 0, Cancelled: 1 });

        using var next = await server.PostJsonAsync("/v1/completions", """{"prompt":"Hi","max_tokens":5}""");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task AThousandMidStreamDisconnectsLeaveNoSlotTakenAndMemoryFlat()
    {
        await using var server = await StartAsync(maxSequences: 4);
        long? baseline = null;
        for (var round = 0; round < 250; round++)
        {
            if (round == 50)
            {
                baseline = ManagedMemoryAfterCollection();
            }

            var streams = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => server.PostJsonAsync("/v1/completions", LongRequest)));
            await Task.WhenAll(streams.Select(FirstEventAsync));
            foreach (var stream in streams)
            {
                stream.Dispose();
            }

            var cancelledSoFar = (round + 1) * 4;
            await WaitUntilAsync(() => server.Model.Scheduler.Snapshot is { Active: 0, Waiting: 0 } s && s.Cancelled == cancelledSoFar);
        }

        await WaitUntilAsync(() => server.Model.Scheduler.Snapshot is { Active: 0, Waiting: 0, Cancelled: 1000 });
        var growth = ManagedMemoryAfterCollection() - baseline!.Value;
        Assert.True(growth < 16 << 20, $"managed memory grew by {growth} bytes over 800 cancelled streams");
        using var next = await server.PostJsonAsync("/v1/completions", """{"prompt":"Hi","max_tokens":5}""");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    // These tests are about slots and the queue, so the per-key rate limit (tested on its own) is off.
    private static Task<InferenceTestServer> StartAsync(int maxSequences = 1) =>
        InferenceTestServer.StartAsync(
            TestModels.TinyRandomLlama2,
            new Dictionary<string, string>
            {
                ["Inference:ContextSize"] = "8192",
                ["Inference:MaxSequences"] = maxSequences.ToString(CultureInfo.InvariantCulture),
                ["Inference:QueueCapacity"] = "0",
                ["Api:RateLimitPerSecond"] = "0",
            });

    private static long ManagedMemoryAfterCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task FirstEventAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var first = await SseReader.ReadFirstEventAsync(response);
        Assert.Equal("text_completion", first.GetProperty("object").GetString());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
