namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>
/// A model's answer split into the text it wrote before any call and the calls it made, in order.
/// When the call syntax is broken, <see cref="Calls"/> is empty and <see cref="Content"/> is the whole text.
/// </summary>
public sealed record ParsedToolOutput(string Content, IReadOnlyList<ParsedToolCall> Calls)
{
    public static ParsedToolOutput TextOnly(string text) => new(text, []);
}

/// <summary>One call found in the output: the function's name and its arguments as JSON object text.</summary>
public sealed record ParsedToolCall(string Name, string ArgumentsJson);
