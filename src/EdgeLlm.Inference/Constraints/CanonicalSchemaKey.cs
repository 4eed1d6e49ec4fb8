using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// The cache key of a compilation: SHA-256 over the strict flag and the schema re-serialized compactly with object
/// keys sorted (ordinal), so schemas that differ only in key order or whitespace share one entry. Property order
/// decides member order in the grammar, so such schemas share the first one's order; either order validates.
/// </summary>
internal static class CanonicalSchemaKey
{
    public static string Of(JsonElement schema, bool strict)
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write(strict ? "strict:"u8 : "loose:"u8);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = SchemaLimits.MaxJsonDepth + 2 }))
        {
            Write(schema, writer);
        }

        return Convert.ToHexString(SHA256.HashData(buffer.WrittenSpan));
    }

    private static void Write(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(property.Value, writer);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(item, writer);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
