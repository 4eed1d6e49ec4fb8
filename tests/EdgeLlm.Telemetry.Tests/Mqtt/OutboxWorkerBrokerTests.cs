using EdgeLlm.Telemetry.Outbox;
using EdgeLlm.Telemetry.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Telemetry.Tests.Mqtt;

/// <summary>The outbox draining to a real Mosquitto, as a fleet owner's subscriber sees it.</summary>
public sealed class OutboxWorkerBrokerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task RecordsWrittenWhileTheBrokerIsDownAreAllDeliveredInOrderOnceItIsUp()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var fleet = await TestSubscriber.StartAsync(broker.Port);
        await broker.StopAsync();
        await using var uplink = new UplinkHarness(_folder.File("outbox.db"), broker.Port);
        await uplink.StartAsync();
        var ids = uplink.Append(300, OutboxStream.Events);
        ids.AddRange(uplink.Append(200, OutboxStream.Telemetry));
        ids.AddRange(uplink.Append(100, OutboxStream.Events));
        await Task.Delay(300);
        Assert.False(uplink.Status.Current.Connected);
        Assert.Equal(600, uplink.Store.State().Records);

        await broker.StartAsync();
        await fleet.WaitUntilAsync(f => f.Records().Select(r => r.Id).Distinct().Count() >= 600, Patience, "all 600 records");

        var records = fleet.Records();
        Assert.Equal(ids, FirstOccurrences(records).Select(r => r.Id));
        Assert.All(records.Where(r => r.Stream == "events"), r => Assert.EndsWith("site-a/dev-1/events", r.Topic, StringComparison.Ordinal));
        Assert.All(records.Where(r => r.Stream == "telemetry"), r => Assert.EndsWith("site-a/dev-1/telemetry", r.Topic, StringComparison.Ordinal));
        await WaitUntilAsync(() => uplink.Store.State().Records == 0, "the outbox to empty");
        Assert.Contains(fleet.Messages, m => m.Topic == "edgellm/site-a/dev-1/status" && Text(m).Contains("\"online\"", StringComparison.Ordinal));

        await uplink.StopAsync();
        await fleet.WaitUntilAsync(f => f.Messages.LastOrDefault(m => m.Topic.EndsWith("/status", StringComparison.Ordinal)) is { } last && Text(last).Contains("\"offline\"", StringComparison.Ordinal), Patience, "the offline status");
    }

    [Fact]
    public async Task ABrokerFlappingDuringTheDrainLosesNothingAndResendsKeepTheirIds()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var fleet = await TestSubscriber.StartAsync(broker.Port);
        await using var uplink = new UplinkHarness(_folder.File("outbox.db"), broker.Port, o =>
        {
            o.BatchMaxRecords = 25;
            o.DrainBytesPerSecond = 80 * 1024;
        });
        var ids = uplink.Append(2000, padding: 100);
        await uplink.StartAsync();

        for (var flap = 0; flap < 4; flap++)
        {
            await Task.Delay(400);
            await broker.StopAsync();
            await Task.Delay(200);
            await broker.StartAsync();
        }

        await fleet.WaitUntilAsync(f => f.Records().Select(r => r.Id).Distinct().Count() >= 2000, TimeSpan.FromSeconds(60), "all 2000 records");
        var records = fleet.Records();
        Assert.Equal(ids, FirstOccurrences(records).Select(r => r.Id));
        foreach (var copies in records.GroupBy(r => r.Id).Where(g => g.Count() > 1))
        {
            Assert.Single(copies.Select(c => (c.Seq, c.Data.GetRawText())).Distinct());
        }

        Assert.True(uplink.Store.State().Records < 2000);
    }

    [Fact]
    public async Task AFullOutboxDropsTheOldestAndReportsTheCountOnceTheLinkIsBack()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var fleet = await TestSubscriber.StartAsync(broker.Port);
        await broker.StopAsync();
        await using var uplink = new UplinkHarness(_folder.File("outbox.db"), broker.Port, o => o.OutboxMaxBytes = 64 * 1024);
        await uplink.StartAsync();
        var ids = uplink.Append(200, padding: 1000);
        var dropped = uplink.Store.State().DroppedForSize;
        Assert.True(dropped > 100, $"{dropped} dropped");

        await broker.StartAsync();
        await fleet.WaitUntilAsync(f => f.Records().Any(r => r.Kind == "outbox.dropped"), Patience, "the drop report");

        var records = FirstOccurrences(fleet.Records());
        var report = Assert.Single(records, r => r.Kind == "outbox.dropped");
        Assert.Equal(dropped, report.Data.GetProperty("size").GetInt64());
        Assert.Equal(ids.Skip((int)dropped), records.Where(r => r.Kind == "test").Select(r => r.Id));
        Assert.Equal("outbox.dropped", records[^1].Kind);
    }

    [Fact]
    public async Task AnUpdateCheckCommandFromTheFleetReachesTheTriggerAndOtherCommandsDoNot()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var fleet = await TestSubscriber.StartAsync(broker.Port);
        var trigger = new CountingTrigger();
        await using var uplink = new UplinkHarness(_folder.File("outbox.db"), broker.Port, trigger: trigger);
        await uplink.StartAsync();
        await WaitUntilAsync(() => uplink.Status.Current.Connected, "the link");

        await fleet.PublishAsync("edgellm/site-a/dev-1/cmd/reboot", "{}"u8.ToArray());
        await fleet.PublishAsync("edgellm/site-a/dev-1/cmd/update-check", new byte[100_000]);
        await fleet.PublishAsync("edgellm/site-a/dev-1/cmd/update-check", "{}"u8.ToArray());
        await WaitUntilAsync(() => trigger.Count > 0, "the update check");

        // The two ignored commands were sent first on the same session, so they were handled before it.
        Assert.Equal(1, trigger.Count);
        Assert.NotNull(uplink.Status.Current.LastUpdateCheckCommand);
    }

    [Fact]
    public async Task TlsToABrokerSignedByTheConfiguredCaDeliversAndAnotherCaIsRefused()
    {
        var good = TestCertificates.Create(_folder.Path, "good-");
        var other = TestCertificates.Create(_folder.Path, "other-");
        await using var broker = await MosquittoBroker.StartAsync(good);
        await using var fleet = await TestSubscriber.StartAsync(broker.Port);
        await using var trusted = new UplinkHarness(_folder.File("trusted.db"), broker.TlsPort!.Value, o => { o.BrokerUri = Tls(broker); o.CaCertificateFile = good.CaFile; o.Device = "trusted"; });
        await using var refused = new UplinkHarness(_folder.File("refused.db"), broker.TlsPort!.Value, o => { o.BrokerUri = Tls(broker); o.CaCertificateFile = other.CaFile; o.Device = "refused"; });
        var trustedIds = trusted.Append(5);
        refused.Append(5);

        await trusted.StartAsync();
        await refused.StartAsync();
        await fleet.WaitUntilAsync(f => f.Records().Count(r => r.Topic.Contains("/trusted/", StringComparison.Ordinal)) >= 5, Patience, "the trusted device's records");
        await WaitUntilAsync(() => refused.Status.Current.LastError is not null, "the refused device's failure");

        Assert.Equal(trustedIds, FirstOccurrences(fleet.Records()).Select(r => r.Id));
        Assert.False(refused.Status.Current.Connected);
        Assert.Null(refused.Status.Current.LastConnected);
        Assert.Equal(5, refused.Store.State().Records);
    }

    [Fact]
    public async Task ABrokerDemandingAClientCertificateTakesTheDevicesAndRefusesADeviceWithout()
    {
        var tls = TestCertificates.Create(_folder.Path);
        await using var broker = await MosquittoBroker.StartAsync(tls, requireClientCertificate: true);
        await using var fleet = await TestSubscriber.StartAsync(broker.Port);
        await using var withCertificate = new UplinkHarness(_folder.File("with.db"), broker.TlsPort!.Value, o =>
        {
            o.BrokerUri = Tls(broker);
            o.CaCertificateFile = tls.CaFile;
            o.ClientCertificateFile = _folder.File("client.pem");
            o.ClientKeyFile = _folder.File("client.key");
            o.Device = "with";
        });
        await using var without = new UplinkHarness(_folder.File("without.db"), broker.TlsPort!.Value, o => { o.BrokerUri = Tls(broker); o.CaCertificateFile = tls.CaFile; o.Device = "without"; });
        var ids = withCertificate.Append(3);
        without.Append(3);

        await withCertificate.StartAsync();
        await without.StartAsync();
        await fleet.WaitUntilAsync(f => f.Records().Count(r => r.Topic.Contains("/with/", StringComparison.Ordinal)) >= 3, Patience, "the records of the device with a certificate");
        await WaitUntilAsync(() => without.Status.Current.LastError is not null, "the failure of the device without one");

        Assert.Equal(ids, FirstOccurrences(fleet.Records()).Select(r => r.Id));
        Assert.Null(without.Status.Current.LastConnected);
        Assert.Equal(3, without.Store.State().Records);
    }

    public void Dispose() => _folder.Dispose();

    private static List<TestSubscriber.Record> FirstOccurrences(IEnumerable<TestSubscriber.Record> records)
    {
        var seen = new HashSet<string>();
        return [.. records.Where(r => seen.Add(r.Id))];
    }

    private static Uri Tls(MosquittoBroker broker) => new($"mqtts://127.0.0.1:{broker.TlsPort!.Value}");

    private static string Text(TestSubscriber.Message message) => System.Text.Encoding.UTF8.GetString(message.Payload);

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token).ContinueWith(t => t.IsCanceled ? throw new TimeoutException($"Timed out waiting for {what}.") : t, TaskScheduler.Default).Unwrap();
        }
    }

    private sealed class CountingTrigger : IUpdateCheckTrigger
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void RequestUpdateCheck(string origin) => Interlocked.Increment(ref _count);
    }
}
