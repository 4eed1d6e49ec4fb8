using System.Text.Json;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Chat;

namespace EdgeLlm.Api.Generation;

/// <summary>Reads the polymorphic prompt fields of the OpenAI contract (string or array) into plain values.</summary>
internal static class PromptFields
{
    public static (IReadOnlyList<ChatMessage>? Messages, ApiError? Error) ReadMessages(List<ChatMessageDto>? messages)
    {
        if (messages is null || messages.Count == 0)
        {
            return (null, Invalid("messages", "messages must be a non-empty array."));
        }

        var result = new List<ChatMessage>(messages.Count);
        foreach (var message in messages)
        {
            if (message?.Role is not { } role || !ChatMessage.Roles.Contains(role))
            {
                return (null, Invalid("messages", $"Each message needs a role of {string.Join(", ", ChatMessage.Roles)}."));
            }

            var content = ReadContent(message.Content);
            if (content is null)
            {
                return (null, Invalid("messages", "Message content must be a string or an array of text parts."));
            }

            result.Add(new ChatMessage(role, content));
        }

        return (result, null);
    }

    public static (string? Prompt, ApiError? Error) ReadPrompt(JsonElement prompt)
    {
        if (prompt.ValueKind == JsonValueKind.String)
        {
            return (prompt.GetString(), null);
        }

        if (prompt.ValueKind == JsonValueKind.Array && prompt.GetArrayLength() == 1 && prompt[0].ValueKind == JsonValueKind.String)
        {
            return (prompt[0].GetString(), null);
        }

        return (null, Invalid("prompt", "prompt must be a string (or an array holding one string)."));
    }

    public static (IReadOnlyList<string>? Stop, ApiError? Error) ReadStop(JsonElement? stop)
    {
        switch (stop)
        {
            case null:
            case { ValueKind: JsonValueKind.Null }:
                return ([], null);
            case { ValueKind: JsonValueKind.String } single:
                return ([single.GetString()!], null);
            case { ValueKind: JsonValueKind.Array } array when array.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                return (array.EnumerateArray().Select(e => e.GetString()!).ToList(), null);
            default:
                return (null, Invalid("stop", "stop must be a string or an array of strings."));
        }
    }

    public static (IReadOnlyList<string>? Inputs, ApiError? Error) ReadInputs(JsonElement input, int maxInputs)
    {
        List<string> inputs;
        if (input.ValueKind == JsonValueKind.String)
        {
            inputs = [input.GetString()!];
        }
        else if (input.ValueKind == JsonValueKind.Array && input.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
        {
            inputs = input.EnumerateArray().Select(e => e.GetString()!).ToList();
        }
        else
        {
            return (null, Invalid("input", "input must be a string or an array of strings."));
        }

        if (inputs.Count == 0 || inputs.Count > maxInputs)
        {
            return (null, Invalid("input", $"input must hold 1 to {maxInputs} strings."));
        }

        return inputs.Any(string.IsNullOrEmpty)
            ? (null, Invalid("input", "input strings must not be empty."))
            : (inputs, null);
    }

    private static string? ReadContent(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString();
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var parts = new List<string>();
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object
                || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "text"
                || !part.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            parts.Add(text.GetString()!);
        }

        return string.Concat(parts);
    }

    private static ApiError Invalid(string param, string message) => new(400, ErrorCodes.InvalidParameter, message, param);
}
