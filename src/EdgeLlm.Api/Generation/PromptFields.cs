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

            var field = $"messages[{i}]";
            var (calls, callsError) = role == "assistant" ? ToolFields.ReadCalls(message.ToolCalls, field) : (null, null);
            if (callsError is not null)
            {
                return (null, callsError);
            }

            // Content may be left out (or null) beside tool calls, as OpenAI clients send it.
            var (content, error) = calls is not null && message.Content.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
                ? ("", null)
                : ReadContent(message.Content, field + ".content");
            if (error is not null)
            {
                return (null, error);
            }

            if (role == "tool" && string.IsNullOrEmpty(message.ToolCallId))
            {
                return (null, Invalid("messages", $"{field} is a tool result: it needs the tool_call_id of the call it answers."));
            }

            result.Add(new ChatMessage(role, content!, calls, role == "tool" ? message.ToolCallId : null));
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
                || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || !part.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
            {
                return (null, unsupported);
            }

            var (kind, kindError) = TextField.Read(type, $"{field}[{index}].type");
            var (value, textError) = TextField.Read(text, $"{field}[{index}].text");
            if ((kindError ?? textError) is { } error)
            {
                return (null, error);
            }

            if (kind != "text")
            {
                return (null, unsupported);
            }

            parts.Add(value!);
            index++;
        }

        return (string.Concat(parts), null);
    }

    private static ApiError Invalid(string param, string message) => new(400, ErrorCodes.InvalidParameter, message, param);
}
