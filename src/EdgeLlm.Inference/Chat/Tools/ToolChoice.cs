namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>How the request wants tools used: <see cref="ToolChoiceMode"/>, and the function's name when it is Named.</summary>
public sealed record ToolChoice(ToolChoiceMode Mode, string? Name = null)
{
    public static ToolChoice None { get; } = new(ToolChoiceMode.None);

    public static ToolChoice Auto { get; } = new(ToolChoiceMode.Auto);

    public static ToolChoice Required { get; } = new(ToolChoiceMode.Required);

    public static ToolChoice Named(string name) => new(ToolChoiceMode.Named, name);
}

/// <summary>The OpenAI <c>tool_choice</c> values.</summary>
public enum ToolChoiceMode
{
    /// <summary>Never call a tool.</summary>
    None,

    /// <summary>The model decides: free text, or a call once it writes the family's trigger.</summary>
    Auto,

    /// <summary>At least one call, from the first token.</summary>
    Required,

    /// <summary>A call of the one named function, from the first token.</summary>
    Named,
}
