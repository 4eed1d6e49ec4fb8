using System.Runtime.InteropServices;
using System.Text.Json;

namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// The checks that run before the schema is walked: its text size, then its JSON nesting and the validity of its
/// strings (invalid UTF-8, lone surrogate escapes), read with a forward-only reader over the raw bytes (no
/// recursion), so an oversized, deeply nested or broken schema is refused in time proportional to where the
/// limit was crossed, and the walk never meets text it cannot read.
/// </summary>
internal static class SchemaPrescan
{
    public static SchemaRejection? Check(JsonElement schema)
    {
        var text = JsonMarshal.GetRawUtf8Value(schema);
        if (text.Length > SchemaLimits.MaxSchemaBytes)
        {
            return new SchemaRejection("", "size", $"The schema is {text.Length} bytes; at most {SchemaLimits.MaxSchemaBytes} are supported.");
        }

        var reader = new Utf8JsonReader(text, new JsonReaderOptions { MaxDepth = SchemaLimits.MaxJsonDepth + 2 });
        var path = new List<string>();
        var indexes = new List<int>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    Step(path, indexes);
                    if (reader.CurrentDepth >= SchemaLimits.MaxJsonDepth)
                    {
                        return new SchemaRejection(string.Concat(path.Select(p => "/" + p)), "depth",
                            $"The schema nests deeper than {SchemaLimits.MaxJsonDepth} JSON levels.");
                    }

                    path.Add("");
                    indexes.Add(reader.TokenType == JsonTokenType.StartArray ? 0 : -1);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    path.RemoveAt(path.Count - 1);
                    indexes.RemoveAt(indexes.Count - 1);
                    break;
                case JsonTokenType.PropertyName:
                    path[^1] = Pointer.Escape(Text(ref reader) ?? "");
                    if (path[^1].Length == 0 && reader.ValueSpan.Length > 0)
                    {
                        return BrokenText(path);
                    }

                    break;
                case JsonTokenType.String:
                    Step(path, indexes);
                    if (Text(ref reader) is null)
                    {
                        return BrokenText(path);
                    }

                    break;
                default:
                    Step(path, indexes);
                    break;
            }
        }

        return null;
    }

    /// <summary>The string, or null when it holds bytes that are not UTF-8 or escapes of lone surrogates.</summary>
    private static string? Text(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static SchemaRejection BrokenText(List<string> path) =>
        new(string.Concat(path.Select(p => "/" + p)), "schema", "The schema holds a string that is not valid Unicode text.");

    /// <summary>A value inside an array advances that array's index in the path.</summary>
    private static void Step(List<string> path, List<int> indexes)
    {
        if (indexes.Count > 0 && indexes[^1] >= 0)
        {
            path[^1] = indexes[^1].ToString(System.Globalization.CultureInfo.InvariantCulture);
            indexes[^1]++;
        }
    }
}
