using System.Buffers;
using System.IO.Compression;
using System.Text.Json;
using EdgeLlm.Telemetry.Outbox;

namespace EdgeLlm.Telemetry.Mqtt;

/// <summary>
/// One published message: a JSON batch of consecutive records of one stream, gzip-compressed when larger
/// than the threshold. The format is documented in the README for fleet owners:
/// <c>{"v":1,"site","device","stream","records":[{"id","seq","ts","kind","data"}]}</c>.
/// </summary>
internal static class BatchPayload
{
    public const int Version = 1;
    public const string JsonContentType = "application/json";
    public const string GzipContentType = "application/gzip";

    public static (byte[] Payload, bool Compressed) Encode(string site, string device, OutboxStream stream, IReadOnlyList<OutboxRecord> records, int compressionThresholdBytes)
    {
        var json = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", Version);
            writer.WriteString("site", site);
            writer.WriteString("device", device);
            writer.WriteString("stream", StreamName(stream));
            writer.WriteStartArray("records");
            foreach (var record in records)
            {
                writer.WriteStartObject();
                writer.WriteString("id", record.Id);
                writer.WriteNumber("seq", record.Seq);
                writer.WriteString("ts", record.Created.UtcDateTime);
                writer.WriteString("kind", record.Kind);
                writer.WritePropertyName("data");
                writer.WriteRawValue(record.Data, skipInputValidation: true);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        if (json.WrittenCount <= compressionThresholdBytes)
        {
            return (json.WrittenSpan.ToArray(), false);
        }

        using var compressed = new MemoryStream(json.WrittenCount / 4);
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(json.WrittenSpan);
        }

        return (compressed.ToArray(), true);
    }

    /// <summary>The JSON of a payload, compressed or not (gzip starts with 0x1f 0x8b, JSON never does).</summary>
    public static byte[] Decode(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 2 || payload[0] != 0x1f || payload[1] != 0x8b)
        {
            return payload.ToArray();
        }

        using var gzip = new GZipStream(new MemoryStream(payload.ToArray()), CompressionMode.Decompress);
        using var json = new MemoryStream();
        gzip.CopyTo(json);
        return json.ToArray();
    }

    public static string StreamName(OutboxStream stream) => stream == OutboxStream.Events ? "events" : "telemetry";
}
