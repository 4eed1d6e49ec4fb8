using System.Text.Json;
using EdgeLlm.Telemetry.Mqtt;
using EdgeLlm.Telemetry.Outbox;

namespace EdgeLlm.Telemetry.Tests.Mqtt;

public sealed class BatchPayloadTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ASmallBatchIsPlainJsonCarryingEveryRecordsIdSeqTimeKindAndData()
    {
        var records = new[]
        {
            new OutboxRecord(7, "id-7", OutboxStream.Events, "model.activated", Created, """{"model":"m"}"""),
            new OutboxRecord(9, "id-9", OutboxStream.Events, "error", Created.AddSeconds(1), """{"code":"internal_error"}"""),
        };

        var (payload, compressed) = BatchPayload.Encode("site-a", "dev-1", OutboxStream.Events, records, compressionThresholdBytes: 4096);

        Assert.False(compressed);
        using var json = JsonDocument.Parse(payload);
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("v").GetInt32());
        Assert.Equal("site-a", root.GetProperty("site").GetString());
        Assert.Equal("dev-1", root.GetProperty("device").GetString());
        Assert.Equal("events", root.GetProperty("stream").GetString());
        var second = root.GetProperty("records")[1];
        Assert.Equal("id-9", second.GetProperty("id").GetString());
        Assert.Equal(9, second.GetProperty("seq").GetInt64());
        Assert.Equal(Created.AddSeconds(1), second.GetProperty("ts").GetDateTimeOffset());
        Assert.Equal("error", second.GetProperty("kind").GetString());
        Assert.Equal("internal_error", second.GetProperty("data").GetProperty("code").GetString());
    }

    [Fact]
    public void ABatchOverTheThresholdIsGzipAndDecodesToTheSameJson()
    {
        var records = Enumerable.Range(0, 50)
            .Select(i => new OutboxRecord(i, $"id-{i}", OutboxStream.Telemetry, "metrics", Created, $$"""{"metrics":[{"name":"edgellm.inference.generated_tokens","points":[{"attrs":{},"value":{{i}}}]}]}"""))
            .ToList();
        var (plain, _) = BatchPayload.Encode("s", "d", OutboxStream.Telemetry, records, compressionThresholdBytes: int.MaxValue);

        var (payload, compressed) = BatchPayload.Encode("s", "d", OutboxStream.Telemetry, records, compressionThresholdBytes: 1024);

        Assert.True(compressed);
        Assert.Equal([0x1f, 0x8b], payload[..2]);
        Assert.True(payload.Length < plain.Length / 3, $"{payload.Length} compressed vs {plain.Length} plain");
        Assert.Equal(plain, BatchPayload.Decode(payload));
    }
}
