using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>JSON text written into prompts, escaped only where JSON requires it (models never saw <c>\u003C</c> for <c>&lt;</c>).</summary>
internal static class ToolJson
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A function's arguments schema when the request gave none: an object with no properties.</summary>
    public static JsonElement NoArguments { get; } = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    public static string String(string value) => JsonSerializer.Serialize(value, Relaxed);

    /// <summary>A past call's arguments as JSON text; none at all is the empty object.</summary>
    public static string Arguments(string argumentsJson) => argumentsJson.Trim().Length == 0 ? "{}" : Embedded(argumentsJson);

    /// <summary>
    /// Text written where the family's syntax expects a JSON value: as it is when it is JSON (arguments, most
    /// tool results), else quoted as a string, so the prompt stays well-formed whatever the history holds.
    /// </summary>
    public static string Embedded(string text)
    {
        var trimmed = text.Trim();
        try
        {
            using var _ = JsonDocument.Parse(trimmed);
            return trimmed;
        }
        catch (JsonException)
        {
            return String(text);
        }
    }

    public static JsonElement Parameters(ToolDefinition tool) =>
        tool.Parameters.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? NoArguments : tool.Parameters;

    /// <summary>The tool in OpenAI's request shape: <c>{"type":"function","function":{"name","description","parameters"}}</c>.</summary>
    public static string Function(ToolDefinition tool, bool indented)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = indented, IndentSize = 4, NewLine = "\n" }))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "function");
            writer.WriteStartObject("function");
            writer.WriteString("name", tool.Name);
            if (!string.IsNullOrEmpty(tool.Description))
            {
                writer.WriteString("description", tool.Description);
            }

            writer.WritePropertyName("parameters");
            Parameters(tool).WriteTo(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
