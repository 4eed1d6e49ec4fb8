using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeLlm.Testing;

/// <summary>
/// A fleet owner's consumer as a test sees it: a persistent MQTT 5 session subscribed at QoS 1 to a topic
/// filter, reconnecting on its own when the broker flaps, keeping every message in arrival order and
/// decoding batch payloads (gzip or plain JSON) into their records.
/// </summary>
internal sealed class TestSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly MqttClientOptions _options;
    private readonly string _filter;
    private readonly CancellationTokenSource _disposed = new();
    private readonly ConcurrentQueue<Message> _messages = new();

    private TestSubscriber(int port, string filter, (string User, string Password)? credentials)
    {
        _filter = filter;
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId("fleet-" + Guid.NewGuid().ToString("N")[..8])
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(3600);
        if (credentials is { } login)
        {
            options.WithCredentials(login.User, login.Password);
        }

        _options = options.Build();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            _messages.Enqueue(new Message(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), e.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
        _client.DisconnectedAsync += async _ =>
        {
            while (!_disposed.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(100, _disposed.Token);
                    await ConnectAsync();
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Broker still down: try again.
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        };
    }

    public sealed record Message(string Topic, byte[] Payload, bool Retain);

    /// <summary>One record out of a batch, with the topic and the batch's stream.</summary>
    public sealed record Record(string Topic, string Stream, string Id, long Seq, string Kind, JsonElement Data);

    /// <summary>Connects and subscribes; <paramref name="credentials"/> log in to a broker that wants a user name and password.</summary>
    public static async Task<TestSubscriber> StartAsync(int port, string filter = "edgellm/#", (string User, string Password)? credentials = null)
    {
        var subscriber = new TestSubscriber(port, filter, credentials);
        await subscriber.ConnectAsync();
        return subscriber;
    }

    public IReadOnlyList<Message> Messages => [.. _messages];

    /// <summary>Every record of every batch on <c>…/telemetry</c> and <c>…/events</c>, in arrival order.</summary>
    public IReadOnlyList<Record> Records()
    {
        var records = new List<Record>();
        foreach (var message in _messages.Where(m => m.Topic.EndsWith("/telemetry", StringComparison.Ordinal) || m.Topic.EndsWith("/events", StringComparison.Ordinal)))
        {
            using var batch = JsonDocument.Parse(Decode(message.Payload));
            var stream = batch.RootElement.GetProperty("stream").GetString()!;
            foreach (var record in batch.RootElement.GetProperty("records").EnumerateArray())
            {
                records.Add(new Record(message.Topic, stream, record.GetProperty("id").GetString()!, record.GetProperty("seq").GetInt64(), record.GetProperty("kind").GetString()!, record.GetProperty("data").Clone()));
            }
        }

        return records;
    }

    public async Task WaitUntilAsync(Func<TestSubscriber, bool> condition, TimeSpan timeout, string what)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (!condition(this))
        {
            try
            {
                await Task.Delay(50, cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for {what}; {_messages.Count} messages arrived.");
            }
        }
    }

    /// <summary>Publishes as the fleet would, e.g. a downlink command (QoS 1).</summary>
    public Task PublishAsync(string topic, byte[] payload) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    public static byte[] Decode(byte[] payload)
    {
        if (payload.Length < 2 || payload[0] != 0x1f || payload[1] != 0x8b)
        {
            return payload;
        }

        using var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress);
        using var json = new MemoryStream();
        gzip.CopyTo(json);
        return json.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        try
        {
            await _client.DisconnectAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Already gone with the broker.
        }

        _client.Dispose();
        _disposed.Dispose();
    }

    private async Task ConnectAsync()
    {
        await _client.ConnectAsync(_options);
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(_filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
    }
}
