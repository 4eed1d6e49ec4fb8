using System.Text.Json;

namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>
/// A cursor over a model's answer that reads the pieces call syntaxes are made of: literal markers, whitespace
/// and whole JSON values. Every read either advances or reports failure; nothing here throws on bad text.
/// </summary>
internal sealed class CallTextReader(string text, int position)
{
    public int Position { get; private set; } = position;

    public bool AtEnd => Position >= text.Length;

    public void SkipWhitespace()
    {
        while (Position < text.Length && char.IsWhiteSpace(text[Position]))
        {
            Position++;
        }
    }

    public bool TryRead(string literal)
    {
        if (string.CompareOrdinal(text, Position, literal, 0, literal.Length) != 0)
        {
            return false;
        }

        Position += literal.Length;
        return true;
    }

    /// <summary>Reads the JSON object or array starting here (after whitespace), matching brackets outside strings.</summary>
    public bool TryReadJson(out JsonElement value)
    {
        value = default;
        SkipWhitespace();
        var end = EndOfJsonValue(Position);
        if (end < 0)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text.AsMemory(Position, end - Position));
            value = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return false;
        }

        Position = end;
        return true;
    }

    /// <summary>A call object: a string <c>name</c> and an object under one of <paramref name="argumentKeys"/>.</summary>
    public static ParsedToolCall? ReadCall(JsonElement call, params ReadOnlySpan<string> argumentKeys)
    {
        if (call.ValueKind != JsonValueKind.Object
            || !call.TryGetProperty("name", out var nameValue) || nameValue.ValueKind != JsonValueKind.String
            || ReadString(nameValue) is not { Length: > 0 } name)
        {
            return null;
        }

        foreach (var key in argumentKeys)
        {
            if (call.TryGetProperty(key, out var arguments) && arguments.ValueKind == JsonValueKind.Object)
            {
                return new ParsedToolCall(name, arguments.GetRawText());
            }
        }

        return null;
    }

    /// <summary>Every element read as a call, or null when any one is not a call.</summary>
    public static IReadOnlyList<ParsedToolCall>? ReadCalls(IEnumerable<JsonElement> elements, params string[] argumentKeys)
    {
        var calls = new List<ParsedToolCall>();
        foreach (var element in elements)
        {
            if (ReadCall(element, argumentKeys) is not { } call)
            {
                return null;
            }

            calls.Add(call);
        }

        return calls;
    }

    /// <summary>The string's value; null for one that is valid JSON but no valid UTF-16 (a lone surrogate escape).</summary>
    private static string? ReadString(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private int EndOfJsonValue(int start)
    {
        if (start >= text.Length || (text[start] != '{' && text[start] != '['))
        {
            return -1;
        }

        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c is '{' or '[')
            {
                depth++;
            }
            else if ((c is '}' or ']') && --depth == 0)
            {
                return i + 1;
            }
        }

        return -1;
    }
}
