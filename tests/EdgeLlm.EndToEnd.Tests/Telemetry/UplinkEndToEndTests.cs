using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EdgeLlm.Testing;
using Microsoft.Data.Sqlite;

namespace EdgeLlm.EndToEnd.Tests.Telemetry;

/// <summary>The real daemon's telemetry uplink against a real Mosquitto.</summary>
public sealed class UplinkEndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ADaemonKilledBetweenPublishAndAcknowledgementResendsTheRecordWithTheSameId()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var fleet = await TestSubscriber.StartAsync(broker.Port);
        await using var proxy = new AcknowledgementHoldingProxy(broker.Port);
        var settings = Settings(proxy.Port, connectTimeout: "00:00:30");
        var dataDirectory = Directory.CreateTempSubdirectory("edgellm-kill-").FullName;
        string heldId;
        await using (var first = await EdgeLlmProcess.StartAsync(TestModels.Stories260K, createKey: false, environment: settings, dataDirectory: dataDirectory))
        {
            await fleet.WaitUntilAsync(f => f.Records().Any(r => r.Kind == "model.activated"), Patience, "the first daemon's model.activated event");
            proxy.HoldBrokerToClient = true;

            // No PUBACK reaches the daemon now: a record the fleet has that stays in the outbox is held. It is the next
            // snapshot, or the last record before the hold when its PUBACK was still on the way (the worker then waits
            // on that one and publishes nothing more). A second look a moment later skips one whose PUBACK got through.
            await fleet.WaitUntilAsync(f => HeldRecord(f, dataDirectory) is not null, Patience, "a record the fleet has whose acknowledgement is held");
            await Task.Delay(TimeSpan.FromSeconds(1));
            heldId = HeldRecord(fleet, dataDirectory) ?? throw new Xunit.Sdk.XunitException("the held record was acknowledged after all");
            await first.KillAsync();
        }

        Assert.Contains(heldId, OutboxIds(dataDirectory));
        await fleet.WaitUntilAsync(f => f.Messages.LastOrDefault(m => m.Topic.EndsWith("/status", StringComparison.Ordinal)) is { } last && Encoding.UTF8.GetString(last.Payload).Contains("\"offline\"", StringComparison.Ordinal), Patience, "the last will");
        proxy.HoldBrokerToClient = false;

        await using var second = await EdgeLlmProcess.StartAsync(TestModels.Stories260K, createKey: false, environment: settings, dataDirectory: dataDirectory);
        await fleet.WaitUntilAsync(f => f.Records().Count(r => r.Id == heldId) >= 2, Patience, "the held record sent again");
        await second.TerminateAsync(TimeSpan.FromSeconds(30));

        var copies = fleet.Records().Where(r => r.Id == heldId).ToList();
        Assert.Single(copies.Select(c => (c.Seq, c.Kind, c.Data.GetRawText())).Distinct());
        Assert.DoesNotContain(heldId, OutboxIds(dataDirectory));
        Directory.Delete(dataDirectory, recursive: true);
    }

    [Fact]
    public async Task RequestsDoNotWaitForABrokerThatNeverAnswers()
    {
        // A tarpit: accepts the connection, then never says a word, so each connect hangs for the whole ConnectTimeout.
        using var tarpit = new TcpListener(IPAddress.Loopback, 0);
        tarpit.Start();
        var held = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                held.Add(await tarpit.AcceptSocketAsync());
            }
        });
        var port = ((IPEndPoint)tarpit.LocalEndpoint).Port;
        var dataDirectory = Directory.CreateTempSubdirectory("edgellm-tarpit-").FullName;
        var (created, output) = await EdgeLlmProcess.RunToEndAsync(["keys", "create", "--data-dir", dataDirectory, "--name", "ops", "--tenant", "ops", "--scope", "admin"]);
        Assert.Equal(0, created);
        var adminKey = output.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("ellm_", StringComparison.Ordinal));
        await using var daemon = await EdgeLlmProcess.StartAsync(TestModels.Stories260K, environment: Settings(port, connectTimeout: "00:01:00"), dataDirectory: dataDirectory);
        await daemon.WaitUntilReadyAsync(TimeSpan.FromMinutes(1));
        using var client = daemon.CreateClient(TimeSpan.FromSeconds(25));
        Assert.True(SpinWait.SpinUntil(() => held.Count > 0, TimeSpan.FromSeconds(10)), "the uplink should be stuck connecting to the tarpit");

        var slowest = TimeSpan.Zero;
        var times = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            using var response = await client.PostAsJsonAsync("/v1/completions", new { prompt = "Once upon a time", max_tokens = 8 });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            slowest = stopwatch.Elapsed > slowest ? stopwatch.Elapsed : slowest;
            times.Add(stopwatch.Elapsed.TotalSeconds);
        }

        // Generous for a 2-core machine busy with other test assemblies, yet far below the 60 s a request
        // would take if it waited on the link.
        Assert.True(slowest < TimeSpan.FromSeconds(15), $"the slowest request took {slowest.TotalSeconds:F1} s: {string.Join(", ", times)}");
        Assert.NotEmpty(OutboxIds(daemon.DataDirectory));

        // The operator's view says the same: link down towards the configured broker, records waiting.
        using var admin = new HttpClient { BaseAddress = daemon.Address };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminKey);
        using var status = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/admin/status", UriKind.Relative)));
        var root = status.RootElement;
        Assert.False(root.GetProperty("uplink").GetProperty("connected").GetBoolean());
        Assert.Equal($"127.0.0.1:{port}", root.GetProperty("uplink").GetProperty("broker").GetString());
        Assert.True(root.GetProperty("outbox").GetProperty("records").GetInt64() > 0);
        Assert.Equal("stories260K", root.GetProperty("models")[0].GetProperty("name").GetString());
        Assert.Equal("cpu", root.GetProperty("backend").GetProperty("devices")[0].GetProperty("type").GetString());
        using var forbidden = await client.GetAsync(new Uri("/admin/status", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        await daemon.TerminateAsync(TimeSpan.FromSeconds(30));
        Directory.Delete(dataDirectory, recursive: true);
        tarpit.Stop();
        held.ForEach(s => s.Dispose());
        _ = accepting;
    }

    private static Dictionary<string, string> Settings(int port, string connectTimeout) => new()
    {
        ["EDGELLM__Telemetry__BrokerUri"] = $"mqtt://127.0.0.1:{port}",
        ["EDGELLM__Telemetry__Site"] = "e2e",
        ["EDGELLM__Telemetry__Device"] = "device-1",
        ["EDGELLM__Telemetry__SnapshotInterval"] = "00:00:01",
        ["EDGELLM__Telemetry__ConnectTimeout"] = connectTimeout,
        ["EDGELLM__Telemetry__ReconnectDelayMin"] = "00:00:00.100",
        ["EDGELLM__Telemetry__ReconnectDelayMax"] = "00:00:01",
    };

    /// <summary>The newest record the fleet received that is still in the daemon's outbox (not acknowledged), or null.</summary>
    private static string? HeldRecord(TestSubscriber fleet, string dataDirectory)
    {
        var outbox = OutboxIds(dataDirectory).ToHashSet(StringComparer.Ordinal);
        return fleet.Records().Select(r => r.Id).LastOrDefault(outbox.Contains);
    }

    private static List<string> OutboxIds(string dataDirectory)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "outbox.db"), Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM records ORDER BY seq";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
