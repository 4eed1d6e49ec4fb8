using EdgeLlm.Telemetry.Mqtt;
using EdgeLlm.Telemetry.Outbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeLlm.Telemetry.Tests.Support;

/// <summary>The outbox and its worker as the daemon wires them, pointed at a test broker with quick reconnects.</summary>
internal sealed class UplinkHarness : IAsyncDisposable
{
    private readonly OutboxWorker _worker;

    public UplinkHarness(string outboxPath, int brokerPort, Action<TelemetryOptions>? change = null, IUpdateCheckTrigger? trigger = null)
    {
        Options = new TelemetryOptions
        {
            OutboxPath = outboxPath,
            BrokerUri = new Uri($"mqtt://127.0.0.1:{brokerPort}"),
            Site = "site-a",
            Device = "dev-1",
            ReconnectDelayMin = TimeSpan.FromMilliseconds(50),
            ReconnectDelayMax = TimeSpan.FromMilliseconds(300),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            DrainBytesPerSecond = 0,
        };
        change?.Invoke(Options);
        Store = new OutboxStore(Options.OutboxPath, Options.OutboxMaxBytes, Options.OutboxMaxAge, TimeProvider.System);
        var topics = MqttTopics.For(Options.TopicRoot, Options.Site, Options.EffectiveDevice);
        var commands = new CommandDispatcher(topics, Options, trigger, Status, TimeProvider.System, NullLogger.Instance);
        _worker = new OutboxWorker(Store, () => new MqttUplink(Options, topics, commands, Status, TimeProvider.System), Options, Status, TimeProvider.System, NullLogger<OutboxWorker>.Instance);
    }

    public TelemetryOptions Options { get; }

    public OutboxStore Store { get; }

    public UplinkStatus Status { get; } = new();

    public Task StartAsync() => _worker.StartAsync(CancellationToken.None);

    public Task StopAsync() => _worker.StopAsync(CancellationToken.None);

    public List<string> Append(int count, OutboxStream stream = OutboxStream.Events, int padding = 0) =>
        [.. Enumerable.Range(0, count).Select(i => Store.Append(stream, "test", $$"""{"i":{{i}},"pad":"{{new string('x', padding)}}"}"""))];

    public async ValueTask DisposeAsync()
    {
        await _worker.StopAsync(CancellationToken.None);
        _worker.Dispose();
        Store.Dispose();
    }
}
