using System.Diagnostics.Metrics;
using System.Text.Json;
using EdgeLlm.Telemetry.Outbox;
using EdgeLlm.Telemetry.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace EdgeLlm.Telemetry.Tests.Outbox;

public sealed class OutboxMetricExporterTests
{
    [Fact]
    public void ASnapshotWritesEveryMetricWithItsCumulativeValuesAsOneRecord()
    {
        using var folder = new TempFolder();
        using var store = new OutboxStore(folder.File("outbox.db"), 1 << 20, TimeSpan.FromDays(1), TimeProvider.System);
        var meterName = "EdgeLlm.Test." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName);
        var counter = meter.CreateCounter<long>("test.requests");
        var histogram = meter.CreateHistogram<double>("test.latency", "s");
        var reader = new PeriodicExportingMetricReader(new OutboxMetricExporter(store, NullLogger.Instance), exportIntervalMilliseconds: int.MaxValue);
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter(meterName).AddReader(reader).Build();

        counter.Add(3, new KeyValuePair<string, object?>("route", "/v1/completions"));
        histogram.Record(0.5);
        histogram.Record(1.5);
        reader.Collect();
        counter.Add(2, new KeyValuePair<string, object?>("route", "/v1/completions"));
        reader.Collect();

        var records = store.ReadOldest(10);
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal(("metrics", OutboxStream.Telemetry), (r.Kind, r.Stream)));
        using var last = JsonDocument.Parse(records[1].Data);
        var metrics = last.RootElement.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        var requests = Assert.Single(metrics["test.requests"].GetProperty("points").EnumerateArray());
        Assert.Equal(5, requests.GetProperty("value").GetInt64());
        Assert.Equal("/v1/completions", requests.GetProperty("attrs").GetProperty("route").GetString());
        var latency = Assert.Single(metrics["test.latency"].GetProperty("points").EnumerateArray());
        Assert.Equal(2, latency.GetProperty("count").GetInt64());
        Assert.Equal(2.0, latency.GetProperty("sum").GetDouble());
        Assert.Equal("s", metrics["test.latency"].GetProperty("unit").GetString());
    }
}
