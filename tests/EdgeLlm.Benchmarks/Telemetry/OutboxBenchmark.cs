using System.Diagnostics;
using System.Globalization;
using EdgeLlm.Telemetry;
using EdgeLlm.Telemetry.Mqtt;
using EdgeLlm.Telemetry.Outbox;
using EdgeLlm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeLlm.Benchmarks.Telemetry;

/// <summary>
/// The telemetry outbox: write throughput (one transaction per record, as events arrive), then drain
/// throughput to a local Mosquitto (QoS 1, deleted after each PUBACK) against <c>mosquitto_pub</c> publishing
/// the same number of QoS 1 messages of the same size to the same broker, in the same run.
/// </summary>
internal static class OutboxBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args is ["--records", var value, ..] ? int.Parse(value, CultureInfo.InvariantCulture) : 20_000;
        var folder = Directory.CreateTempSubdirectory("edgellm-outbox-bench-").FullName;
        try
        {
            await using var broker = await MosquittoBroker.StartAsync();
            var data = $$"""{"model":"stories260K","code":"queue_full","route":"/v1/chat/completions","count":12,"pad":"{{new string('x', 100)}}"}""";
            var options = new TelemetryOptions
            {
                OutboxPath = Path.Combine(folder, "outbox.db"),
                OutboxMaxBytes = 1L << 30,
                BrokerUri = new Uri($"mqtt://127.0.0.1:{broker.Port}"),
                DrainBytesPerSecond = 0,
            };

            using var store = new OutboxStore(options.OutboxPath, options.OutboxMaxBytes, options.OutboxMaxAge, TimeProvider.System);
            var writing = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                store.Append(OutboxStream.Events, "api.refused", data);
            }

            var writeSeconds = writing.Elapsed.TotalSeconds;
            var drainSeconds = await DrainAsync(store, options);
            var publishSeconds = await MosquittoPubAsync(broker.Port, count, data);

            Console.WriteLine();
            Console.WriteLine($"{count} records of {data.Length} bytes of data each, to Mosquitto on loopback, QoS 1");
            Console.WriteLine("| measure | result | baseline (same run) | ratio | goal |");
            Console.WriteLine("| --- | --- | --- | --- | --- |");
            Console.WriteLine($"| outbox write (one transaction per record) | {count / writeSeconds:F0} records/s | | | |");
            Console.WriteLine($"| outbox drain (batches of {options.BatchMaxRecords}, delete after PUBACK) | {count / drainSeconds:F0} records/s | mosquitto_pub -q 1 -l {count / publishSeconds:F0} messages/s | {publishSeconds / drainSeconds:F2}x | >= 1x |");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<double> DrainAsync(OutboxStore store, TelemetryOptions options)
    {
        var status = new UplinkStatus();
        var topics = MqttTopics.For(options.TopicRoot, options.Site, options.EffectiveDevice);
        var commands = new CommandDispatcher(topics, options, null, status, TimeProvider.System, NullLogger.Instance);
        using var worker = new OutboxWorker(store, () => new MqttUplink(options, topics, commands, status, TimeProvider.System), options, status, TimeProvider.System, NullLogger<OutboxWorker>.Instance);
        var stopwatch = Stopwatch.StartNew();
        await worker.StartAsync(CancellationToken.None);
        while (store.State().Records > 0)
        {
            await Task.Delay(5);
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        await worker.StopAsync(CancellationToken.None);
        return seconds;
    }

    private static async Task<double> MosquittoPubAsync(int port, int count, string payload)
    {
        var info = new ProcessStartInfo("mosquitto_pub", ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-t", "bench/mosquitto_pub", "-q", "1", "-l"])
        {
            RedirectStandardInput = true,
        };
        var lines = string.Concat(Enumerable.Repeat(payload + "\n", count));
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start mosquitto_pub.");
        await process.StandardInput.WriteAsync(lines);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? stopwatch.Elapsed.TotalSeconds : throw new InvalidOperationException($"mosquitto_pub exited with {process.ExitCode}.");
    }
}
