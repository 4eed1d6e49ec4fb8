using System.Text.Json;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Chat;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// Reads the polymorphic prompt fields of the OpenAI contract (string or array) into plain values. Every string
/// goes through <see cref="TextField"/>, so text that is not well-formed Unicode is refused naming its field.
/// </summary>
internal static class PromptFields
{
    public static (IReadOnlyList<ChatMessage>? Messages, ApiError? Error) ReadMessages(List<ChatMessageDto>? messages)
    {
        if (messages is null || messages.Count == 0)
        {
            return (null, Invalid("messages", "messages must be a non-empty array."));
        }

        var result = new List<ChatMessage>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message?.Role is not { } role || !ChatMessage.Roles.Contains(role))
            {
                return (null, Invalid("messages", $"Each message needs a role of {string.Join(", ", ChatMessage.Roles)}."));
            }

            var (content, error) = ReadContent(message.Content, $"messages[{i}].content");
            if (error is not null)
            {
                return (null, error);
            }

            result.Add(new ChatMessage(role, content!));
        }

        return (result, null);
    }

    public static (string? Prompt, ApiError? Error) ReadPrompt(JsonElement prompt)
    {
        if (prompt.ValueKind == JsonValueKind.String)
        {
            return TextField.Read(prompt, "prompt");
        }

        if (prompt.ValueKind == JsonValueKind.Array && prompt.GetArrayLength() == 1 && prompt[0].ValueKind == JsonValueKind.String)
        {
            return TextField.Read(prompt[0], "prompt[0]");
        }

        return (null, Invalid("prompt", "prompt must be a string (or an array holding one string)."));
    }

    public static (IReadOnlyList<string>? Stop, ApiError? Error) ReadStop(JsonElement? stop) => stop switch
    {
        null or { ValueKind: JsonValueKind.Null } => ([], null),
        { ValueKind: JsonValueKind.String } single => ReadStrings([single], "stop", single: true),
        { ValueKind: JsonValueKind.Array } array when array.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) => ReadStrings([.. array.EnumerateArray()], "stop", single: false),
        _ => (null, Invalid("stop", "stop must be a string or an array of strings.")),
    };

    public static (IReadOnlyList<string>? Inputs, ApiError? Error) ReadInputs(JsonElement input, int maxInputs)
    {
        var (inputs, error) = input.ValueKind switch
        {
            JsonValueKind.String => ReadStrings([input], "input", single: true),
            JsonValueKind.Array when input.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) => ReadStrings([.. input.EnumerateArray()], "input", single: false),
            _ => (null, Invalid("input", "input must be a string or an array of strings.")),
        };
        if (error is not null)
        {
            return (null, error);
        }

        if (inputs!.Count == 0 || inputs.Count > maxInputs)
        {
            return (null, Invalid("input", $"input must hold 1 to {maxInputs} strings."));
        }

        return inputs.Any(string.IsNullOrEmpty)
            ? (null, Invalid("input", "input strings must not be empty."))
            : (inputs, null);
    }

    /// <summary>The strings of <paramref name="elements"/>; the first that is not well-formed text is refused as <c>field</c> or <c>field[i]</c>.</summary>
    private static (IReadOnlyList<string>? Strings, ApiError? Error) ReadStrings(IReadOnlyList<JsonElement> elements, string field, bool single)
    {
        var strings = new List<string>(elements.Count);
        for (var i = 0; i < elements.Count; i++)
        {
            var (text, error) = TextField.Read(elements[i], single ? field : $"{field}[{i}]");
            if (error is not null)
            {
                return (null, error);
            }

            strings.Add(text!);
        }

        return (strings, null);
    }

    private static (string? Content, ApiError? Error) ReadContent(JsonElement content, string field)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return TextField.Read(content, field);
        }

        var unsupported = Invalid("messages", "Message content must be a string or an array of text parts.");
        if (content.ValueKind != JsonValueKind.Array)
        {
            return (null, unsupported);
        }

        var parts = new List<string>();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object
                || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || TextField.Read(type, field).Text != "text"
                || !part.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
            {
                return (null, unsupported);
            }

            var (value, error) = TextField.Read(text, $"{field}[{index++}].text");
            if (error is not null)
            {
                return (null, error);
            }

            parts.Add(value!);
        }

        return (string.Concat(parts), null);
    }

    private static ApiError Invalid(string param, string message) => new(400, ErrorCodes.InvalidParameter, message, param);
}
