using EdgeLlm.Inference.Chat;
using EdgeLlm.Inference.Chat.Tools;

namespace EdgeLlm.Inference.Tests.Chat.Tools;

public sealed class MistralDialectTests
{
    private const string WeatherJson =
        """{"type":"function","function":{"name":"get_weather","description":"Current weather for a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}""";

    private readonly IToolCallDialect _dialect = ToolConversation.Dialect(ToolCallFormat.Mistral);

    [Fact]
    public void AConversationWithACallAndItsResultRendersInMistralsToolSyntax()
    {
        var expected =
            "[INST] You are a helpful assistant.\n\n"
            + "[AVAILABLE_TOOLS][" + WeatherJson + "][/AVAILABLE_TOOLS]What is the weather in Paris?[/INST]"
            + " [TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}]</s>"
            + "[INST] [TOOL_RESULTS]{\"content\": {\"temperature\": 18}}[/TOOL_RESULTS][/INST]";

        Assert.Equal(expected, ToolConversation.Prompt(ToolCallFormat.Mistral, "mistral-v3", ToolConversation.Messages, ToolChoice.Auto));
    }

    [Fact]
    public void ParallelCallsShareOneListAndTextResultsAreQuoted()
    {
        var rendered = _dialect.Render(ToolConversation.ParallelMessages, ToolConversation.Tools, ToolChoice.None);

        Assert.Equal(
            [
                new ChatMessage("user", "Weather and time in Paris?"),
                new ChatMessage("assistant", "Let me check.\n[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}, {\"name\": \"get_time\", \"arguments\": {}}]"),
                new ChatMessage("user", "[TOOL_RESULTS]{\"content\": \"18 degrees\"}[/TOOL_RESULTS][TOOL_RESULTS]{\"content\": \"14:05\"}[/TOOL_RESULTS]"),
            ],
            rendered);
    }

    [Fact]
    public void ToolsGoBeforeTheLatestQuestionNotBeforeAToolResult()
    {
        IReadOnlyList<ChatMessage> messages =
        [
            .. ToolConversation.Messages,
            new("assistant", "It is 18 degrees."),
            new("user", "And in Rome?"),
            new("assistant", "", [new ToolCall("call_2", "get_weather", """{"city": "Rome"}""")]),
            new("tool", "20", ToolCallId: "call_2"),
        ];

        var rendered = _dialect.Render(messages, ToolConversation.Tools, ToolChoice.Auto);

        Assert.Equal("What is the weather in Paris?", rendered[1].Content);
        Assert.Equal("[AVAILABLE_TOOLS][" + WeatherJson + "][/AVAILABLE_TOOLS]And in Rome?", rendered[5].Content);
        Assert.Equal("[TOOL_RESULTS]{\"content\": 20}[/TOOL_RESULTS]", rendered[7].Content);
    }

    [Theory]
    [InlineData("[TOOL_CALLS][{\"name\": \"a\", \"arguments\": {}}, {\"name\": \"b\", \"arguments\": {\"x\": 1}, \"id\": \"abcdefghi\"}]", "")]
    [InlineData("Sure. [TOOL_CALLS] [{\"name\": \"a\", \"arguments\": {}}, {\"name\": \"b\", \"arguments\": {\"x\": 1}}]\n", "Sure.")]
    public void CallsAreReadFromTheListAfterTheMarker(string text, string content)
    {
        var parsed = _dialect.Parse(text);

        Assert.Equal(content, parsed.Content);
        Assert.Equal([new ParsedToolCall("a", "{}"), new ParsedToolCall("b", """{"x": 1}""")], parsed.Calls);
    }

    [Fact]
    public void ASingleCallWithoutTheListIsRead()
    {
        Assert.Equal([new ParsedToolCall("a", "{}")], _dialect.Parse("[TOOL_CALLS]{\"name\": \"a\", \"arguments\": {}}").Calls);
    }

    [Theory]
    [InlineData("No tools needed.")]
    [InlineData("[TOOL_CALLS]")]
    [InlineData("[TOOL_CALLS][{\"name\": \"a\", \"arguments\": {}}")]
    [InlineData("[TOOL_CALLS][]")]
    [InlineData("[TOOL_CALLS][{\"name\": \"a\", \"arguments\": {}}, 3]")]
    [InlineData("[TOOL_CALLS]get_weather{\"city\": \"Paris\"}")]
    public void BrokenCallSyntaxLeavesTheWholeTextAsContent(string text)
    {
        var parsed = _dialect.Parse(text);

        Assert.Empty(parsed.Calls);
        Assert.Equal(text, parsed.Content);
    }
}
