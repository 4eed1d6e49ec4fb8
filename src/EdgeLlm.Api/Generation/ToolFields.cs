using System.Text.Json;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Inference.Chat.Tools;

namespace EdgeLlm.Api.Generation;

/// <summary>
/// The tool fields of a chat request: <c>tools</c> (functions with a JSON-Schema <c>parameters</c>),
/// <c>tool_choice</c> and the tool calls of assistant messages in the history. Malformed ones are a 400 naming them.
/// </summary>
internal static class ToolFields
{
    /// <summary>More than this many tools is refused: each one's schema is compiled into the request's grammar.</summary>
    public const int MaxTools = 128;

    private const int MaxNameLength = 64;

    public static (IReadOnlyList<ToolDefinition>? Tools, ApiError? Error) ReadTools(JsonElement? tools)
    {
        if (tools is not { ValueKind: not JsonValueKind.Null } given)
        {
            return ([], null);
        }

        if (given.ValueKind != JsonValueKind.Array || given.GetArrayLength() > MaxTools)
        {
            return Fail<IReadOnlyList<ToolDefinition>>("tools", $"tools must be an array of at most {MaxTools} functions.");
        }

        var result = new List<ToolDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var tool in given.EnumerateArray())
        {
            var field = $"tools[{index++}]";
            if (tool.ValueKind != JsonValueKind.Object || !IsString(tool, "type", "function")
                || !tool.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object
                || !function.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
            {
                return Fail<IReadOnlyList<ToolDefinition>>("tools", $"{field} must be {{\"type\":\"function\",\"function\":{{\"name\":...,\"parameters\":{{...}}}}}}.");
            }

            var (name, nameError) = TextField.Read(nameElement, field + ".function.name");
            if (nameError is not null)
            {
                return (null, nameError);
            }

            if (!IsFunctionName(name!) || !names.Add(name!))
            {
                return Fail<IReadOnlyList<ToolDefinition>>("tools", $"{field}.function.name must be 1-{MaxNameLength} letters, digits, '_' or '-', and unique.");
            }

            string? description = null;
            if (function.TryGetProperty("description", out var descriptionElement) && descriptionElement.ValueKind == JsonValueKind.String)
            {
                (description, var descriptionError) = TextField.Read(descriptionElement, field + ".function.description");
                if (descriptionError is not null)
                {
                    return (null, descriptionError);
                }
            }

            var parameters = function.TryGetProperty("parameters", out var schema) ? schema : default;
            if (parameters.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object))
            {
                return Fail<IReadOnlyList<ToolDefinition>>("tools", $"{field}.function.parameters must be a JSON Schema object.");
            }

            result.Add(new ToolDefinition(name!, description, parameters.ValueKind == JsonValueKind.Undefined ? default : parameters.Clone()));
        }

        return (result, null);
    }

    /// <summary><c>none</c>, <c>auto</c> (the default with tools), <c>required</c>, or a named function among <paramref name="tools"/>.</summary>
    public static (ToolChoice? Choice, ApiError? Error) ReadChoice(JsonElement? choice, IReadOnlyList<ToolDefinition> tools)
    {
        if (choice is not { ValueKind: not JsonValueKind.Null } given)
        {
            return (tools.Count > 0 ? ToolChoice.Auto : ToolChoice.None, null);
        }

        if (given.ValueKind == JsonValueKind.String)
        {
            var chosen = given.ValueEquals("none") ? ToolChoice.None : given.ValueEquals("auto") ? ToolChoice.Auto : given.ValueEquals("required") ? ToolChoice.Required : null;
            return chosen switch
            {
                null => Fail<ToolChoice>("tool_choice", "tool_choice must be none, auto, required or {\"type\":\"function\",\"function\":{\"name\":...}}."),
                { Mode: not ToolChoiceMode.None } when tools.Count == 0 => Fail<ToolChoice>("tool_choice", "tool_choice needs tools."),
                _ => (chosen, null),
            };
        }

        if (given.ValueKind == JsonValueKind.Object && IsString(given, "type", "function")
            && given.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object
            && function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
        {
            var named = tools.FirstOrDefault(t => name.ValueEquals(t.Name));
            return named is null
                ? Fail<ToolChoice>("tool_choice", "tool_choice names a function that is not among the tools.")
                : (ToolChoice.Named(named.Name), null);
        }

        return Fail<ToolChoice>("tool_choice", "tool_choice must be none, auto, required or {\"type\":\"function\",\"function\":{\"name\":...}}.");
    }

    /// <summary>An assistant message's <c>tool_calls</c>; <paramref name="field"/> is the message's path.</summary>
    public static (IReadOnlyList<ToolCall>? Calls, ApiError? Error) ReadCalls(List<ToolCallDto>? calls, string field)
    {
        if (calls is null || calls.Count == 0)
        {
            return (null, null);
        }

        var result = new List<ToolCall>(calls.Count);
        for (var i = 0; i < calls.Count; i++)
        {
            if (calls[i] is not { Id: { Length: > 0 } id, Function: { Name: { Length: > 0 } name, Arguments: { } arguments } })
            {
                return Fail<IReadOnlyList<ToolCall>>("messages", $"{field}.tool_calls[{i}] needs an id and a function with a name and arguments.");
            }

            result.Add(new ToolCall(id, name, arguments));
        }

        return (result, null);
    }

    private static bool IsString(JsonElement element, string property, string value) =>
        element.TryGetProperty(property, out var found) && found.ValueKind == JsonValueKind.String && found.ValueEquals(value);

    private static bool IsFunctionName(string name) =>
        name.Length is > 0 and <= MaxNameLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static (T?, ApiError?) Fail<T>(string param, string message) where T : class => (null, new ApiError(400, ErrorCodes.InvalidParameter, message, param));
}
