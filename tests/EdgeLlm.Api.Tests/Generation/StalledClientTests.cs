using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Api.Tests.Generation;

/// <summary>
/// Clients that stop taking a streamed answer, on raw sockets with a small receive buffer, against the random-weights
/// Llama-2 model (its output almost never ends by itself, so only the stall can end a generation early). One sequence
/// and no queue: a request answered afterwards proves the stalled one gave its sequence back.
/// </summary>
public sealed class StalledClientTests
{
    private const int ClientStalledEvent = 3015;
    private const string Prompt = "Hello there";
    private static readonly TimeSpan StalledClientTimeout = TimeSpan.FromSeconds(2);

    // Filling the server's buffers, then the timeout, then the abort: far inside this on any machine that runs the suite.
    private static readonly TimeSpan Bound = StalledClientTimeout + TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AClientThatNeverReadsLosesItsSequenceAndItsConnection()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await StartAsync(logs);
        using var client = await ConnectAsync(server);

        await client.SendAsync(Encoding.ASCII.GetBytes(StreamingRequest(server.InferenceKey)));

        await WaitUntilAsync(() => Stalls(logs).Count == 1);
        await AssertClosedAsync(client);
        await AssertASequenceIsFreeAsync(server);
        Assert.DoesNotContain(Prompt, Stalls(logs)[0], StringComparison.Ordinal);
        Assert.Contains("tenant-a", Stalls(logs)[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientThatReadsOneByteASecondLosesItsSequenceAndItsConnection()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await StartAsync(logs);
        using var client = await ConnectAsync(server);
        await client.SendAsync(Encoding.ASCII.GetBytes(StreamingRequest(server.InferenceKey)));

        using var stalled = new CancellationTokenSource();
        var reading = ReadOneByteASecondAsync(client, stalled.Token);
        await WaitUntilAsync(() => Stalls(logs).Count == 1);
        await stalled.CancelAsync();
        await reading;

        // Whatever is still buffered on the client's side is read at once: then comes the end of the connection.
        await AssertClosedAsync(client);

        await AssertASequenceIsFreeAsync(server);
    }

    [Fact]
    public async Task RequestsPipelinedBehindAStalledStreamNeverTakeASequence()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await StartAsync(logs);
        var before = server.Model.Scheduler.Snapshot;
        using var client = await ConnectAsync(server);

        var pipelined = string.Concat(Enumerable.Repeat(StreamingRequest(server.InferenceKey), 4));
        await client.SendAsync(Encoding.ASCII.GetBytes(pipelined));

        await WaitUntilAsync(() => Stalls(logs).Count == 1);
        await AssertClosedAsync(client);
        await AssertASequenceIsFreeAsync(server);
        var after = server.Model.Scheduler.Snapshot;
        // The stalled stream and the check that a sequence is free: the three pipelined behind never ran.
        Assert.Equal(2, after.Completed + after.Cancelled - before.Completed - before.Cancelled);
        Assert.Single(Stalls(logs));
    }

    private static Task<InferenceTestServer> StartAsync(CapturingLoggerProvider logs) =>
        InferenceTestServer.StartAsync(
            TestModels.TinyRandomLlama2,
            new Dictionary<string, string>
            {
                ["Inference:ContextSize"] = "8192",
                ["Inference:MaxSequences"] = "1",
                ["Inference:QueueCapacity"] = "0",
                ["Api:RateLimitPerSecond"] = "0",
                ["Api:StalledClientTimeout"] = "00:00:02",
                // Kestrel's own rate floor would otherwise cut some of these connections first; the stall is what is tested.
                ["Api:MinResponseBytesPerSecond"] = "1",
            },
            logs);

    private static string StreamingRequest(string key)
    {
        var body = $$"""{"prompt":"{{Prompt}}","max_tokens":8000,"temperature":0,"stream":true}""";
        return $"POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
    }

    /// <summary>A client whose receive buffer is small, so the server's side fills after a few tens of kilobytes.</summary>
    private static async Task<Socket> ConnectAsync(InferenceTestServer server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(IPAddress.Loopback, server.Address.Port);
        return socket;
    }

    private static List<string> Stalls(CapturingLoggerProvider logs) =>
        [.. logs.Entries.Where(e => e.EventId == ClientStalledEvent).Select(e => e.Message)];

    private static async Task ReadOneByteASecondAsync(Socket client, CancellationToken stop)
    {
        var one = new byte[1];
        try
        {
            while (await client.ReceiveAsync(one, SocketFlags.None, stop) > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The stall was seen; the test goes on to check the connection.
        }
    }

    /// <summary>Reads until the server closes or resets the connection.</summary>
    private static async Task AssertClosedAsync(Socket client)
    {
        using var deadline = new CancellationTokenSource(Bound);
        var buffer = new byte[65536];
        try
        {
            while (await client.ReceiveAsync(buffer, SocketFlags.None, deadline.Token) > 0)
            {
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            // Aborted with data still unsent: a reset is how the close arrives.
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The server kept the stalled client's connection open for {Bound}.");
        }
    }

    private static async Task AssertASequenceIsFreeAsync(InferenceTestServer server)
    {
        await WaitUntilAsync(() => server.Model.Scheduler.Snapshot is { Active: 0, Waiting: 0 });
        using var next = await server.PostJsonAsync("/v1/completions", """{"prompt":"Hi","max_tokens":5}""");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
