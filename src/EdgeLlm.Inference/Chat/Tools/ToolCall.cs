namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>A call the assistant made: its id (see <see cref="ToolCallIds"/>), the function and its arguments as JSON text.</summary>
public sealed record ToolCall(string Id, string Name, string ArgumentsJson);
