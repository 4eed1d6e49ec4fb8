namespace EdgeLlm.Inference.Chat;

/// <summary>One message of a chat, already checked: role is system, user or assistant.</summary>
public sealed record ChatMessage(string Role, string Content)
{
    public static IReadOnlyList<string> Roles { get; } = ["system", "user", "assistant"];
}
