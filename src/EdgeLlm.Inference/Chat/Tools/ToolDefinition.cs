using System.Text.Json;

namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>
/// A function the model may call: its name, what it does, and the JSON Schema of its arguments
/// (<see cref="JsonValueKind.Undefined"/> when the request gave none: the function takes no arguments).
/// </summary>
public sealed record ToolDefinition(string Name, string? Description, JsonElement Parameters);
