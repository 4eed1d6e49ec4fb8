using System.Text.Json;
using EdgeLlm.Inference.Chat;
using EdgeLlm.Inference.Chat.Tools;

namespace EdgeLlm.Inference.Tests.Chat.Tools;

/// <summary>The conversation the golden prompt tests render: a question, a call, its result.</summary>
internal static class ToolConversation
{
    public static ToolDefinition Weather { get; } = new(
        "get_weather",
        "Current weather for a city",
        JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""").RootElement);

    public static ToolDefinition Time { get; } = new("get_time", null, default);

    public static IReadOnlyList<ToolDefinition> Tools { get; } = [Weather];

    public static IReadOnlyList<ChatMessage> Messages { get; } =
    [
        new("system", "You are a helpful assistant."),
        new("user", "What is the weather in Paris?"),
        new("assistant", "", [new ToolCall("call_1", "get_weather", """{"city": "Paris"}""")]),
        new("tool", """{"temperature": 18}""", ToolCallId: "call_1"),
    ];

    /// <summary>Two calls in one turn and their two results.</summary>
    public static IReadOnlyList<ChatMessage> ParallelMessages { get; } =
    [
        new("user", "Weather and time in Paris?"),
        new("assistant", "Let me check.", [new ToolCall("call_1", "get_weather", """{"city": "Paris"}"""), new ToolCall("call_2", "get_time", "{}")]),
        new("tool", "18 degrees", ToolCallId: "call_1"),
        new("tool", "14:05", ToolCallId: "call_2"),
    ];

    public static IToolCallDialect Dialect(ToolCallFormat format) => ToolCallDialects.For(format, new FakeSchemaRuleCompiler());

    /// <summary>The final prompt: the dialect's messages through llama.cpp's built-in template of that name.</summary>
    public static string Prompt(ToolCallFormat format, string llamaTemplate, IReadOnlyList<ChatMessage> messages, ToolChoice choice) =>
        new ChatPromptFormatter(null, llamaTemplate).Format(Dialect(format).Render(messages, Tools, choice));
}
