using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using EdgeLlm.Telemetry.Outbox;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeLlm.Telemetry.Mqtt;

/// <summary>
/// The one connection to the broker (MQTT 5, persistent session, QoS 1): a retained <c>online</c> status on
/// connect and a retained last-will <c>offline</c>; the command subscription feeds the <see cref="CommandDispatcher"/>.
/// Publishing returns only once the broker acknowledged (PUBACK), and throws otherwise.
/// </summary>
internal sealed class MqttUplink : IAsyncDisposable
{
    // Long enough for a site offline for weeks to find its command subscription still there.
    private const uint SessionExpirySeconds = 30 * 24 * 3600;

    private readonly TelemetryOptions _options;
    private readonly MqttTopics _topics;
    private readonly CommandDispatcher _commands;
    private readonly UplinkStatus _status;
    private readonly TimeProvider _time;
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _clientOptions;

    public MqttUplink(TelemetryOptions options, MqttTopics topics, CommandDispatcher commands, UplinkStatus status, TimeProvider time)
    {
        _options = options;
        _topics = topics;
        _commands = commands;
        _status = status;
        _time = time;
        _client = new MqttClientFactory().CreateMqttClient();
        _clientOptions = BuildOptions();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            e.AutoAcknowledge = true;
            _commands.Handle(e.ApplicationMessage.Topic, (int)Math.Min(int.MaxValue, e.ApplicationMessage.Payload.Length));
            return Task.CompletedTask;
        };
        _client.DisconnectedAsync += e =>
        {
            _status.Update(s => s with { Connected = false, LastError = e.Exception?.Message ?? e.ReasonString ?? e.Reason.ToString() });
            return Task.CompletedTask;
        };
    }

    public string ClientId => _clientOptions.ClientId;

    public bool IsConnected => _client.IsConnected;

    /// <summary>Connects (within <c>ConnectTimeout</c>), subscribes to the command topic and publishes the retained online status.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(cancellationToken: timeout.Token);
        }

        var result = await _client.ConnectAsync(_clientOptions, timeout.Token);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new MqttUplinkException($"The broker refused the connection: {result.ResultCode} {result.ReasonString}");
        }

        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(_topics.Commands, MqttQualityOfServiceLevel.AtLeastOnce).Build(), timeout.Token);
        await PublishAsync(_topics.Status, Encoding.UTF8.GetBytes(StatusJson("online")), BatchPayload.JsonContentType, retain: true, timeout.Token);
        _status.Update(s => s with { Connected = true, LastConnected = _time.GetUtcNow(), LastError = null });
    }

    /// <summary>Publishes one batch and returns once the broker acknowledged it.</summary>
    public Task PublishBatchAsync(OutboxStream stream, byte[] payload, bool compressed, CancellationToken cancellationToken) =>
        PublishAsync(stream == OutboxStream.Events ? _topics.Events : _topics.Telemetry, payload, compressed ? BatchPayload.GzipContentType : BatchPayload.JsonContentType, retain: false, cancellationToken);

    /// <summary>A clean goodbye: the retained status says offline, then a normal disconnect (which suppresses the will).</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            return;
        }

        try
        {
            await PublishAsync(_topics.Status, Encoding.UTF8.GetBytes(StatusJson("offline")), BatchPayload.JsonContentType, retain: true, cancellationToken);
            await _client.DisconnectAsync(cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is MqttCommunicationException or MqttUplinkException or OperationCanceledException)
        {
            // Going away anyway: the broker's will says offline for us.
        }

        _status.Update(s => s with { Connected = false });
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task PublishAsync(string topic, byte[] payload, string contentType, bool retain, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithContentType(contentType)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        var result = await _client.PublishAsync(message, cancellationToken);

        // No subscriber yet is still a PUBACK: the broker took the message (and a persistent consumer session gets it).
        if (result.ReasonCode is not (MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers))
        {
            throw new MqttUplinkException($"The broker did not accept the message on {topic}: {result.ReasonCode} {result.ReasonString}");
        }

        _status.Update(s => s with { LastAcknowledged = _time.GetUtcNow() });
    }

    private string StatusJson(string state) => new JsonObject
    {
        ["state"] = state,
        ["ts"] = _time.GetUtcNow().UtcDateTime,
        ["site"] = _options.Site,
        ["device"] = _options.EffectiveDevice,
        ["versions"] = new JsonObject
        {
            ["edgellm"] = DaemonVersion(),
            ["dotnet"] = Environment.Version.ToString(),
        },
    }.ToJsonString();

    private static string DaemonVersion() =>
        (Assembly.GetEntryAssembly() ?? typeof(MqttUplink).Assembly).GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private MqttClientOptions BuildOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.BrokerHost, _options.EffectiveBrokerPort)
            .WithClientId($"edgellm-{_options.Site}-{_options.EffectiveDevice}")
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(SessionExpirySeconds)
            .WithKeepAlivePeriod(_options.KeepAlive)
            .WithTimeout(_options.ConnectTimeout)
            .WithWillTopic(_topics.Status)
            .WithWillPayload(Encoding.UTF8.GetBytes(StatusJson("offline")))
            .WithWillContentType(BatchPayload.JsonContentType)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillRetain(true);
        if (!string.IsNullOrEmpty(_options.Username))
        {
            builder.WithCredentials(_options.Username, BrokerPassword.Read(_options.PasswordFile));
        }

        if (_options.UseTls)
        {
            builder.WithTlsOptions(BrokerTls.Configure(_options));
        }

        return builder.Build();
    }
}

/// <summary>The broker refused a connection or did not acknowledge a message: the link is treated as down.</summary>
internal sealed class MqttUplinkException(string message) : Exception(message);
