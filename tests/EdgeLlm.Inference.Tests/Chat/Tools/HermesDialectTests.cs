using EdgeLlm.Inference.Chat;
using EdgeLlm.Inference.Chat.Tools;

namespace EdgeLlm.Inference.Tests.Chat.Tools;

public sealed class HermesDialectTests
{
    private const string WeatherJson =
        """{"type":"function","function":{"name":"get_weather","description":"Current weather for a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}""";

    private readonly IToolCallDialect _dialect = ToolConversation.Dialect(ToolCallFormat.Hermes);

    [Fact]
    public void AConversationWithACallAndItsResultRendersAsQwenAndHermesExpectIt()
    {
        var expected = $$$"""
            <|im_start|>system
            You are a helpful assistant.

            # Tools

            You may call one or more functions to help with the user's request. Their signatures are given as JSON inside <tools></tools> tags:
            <tools>
            {{{WeatherJson}}}
            </tools>

            To call a function, write its name and arguments as a JSON object inside <tool_call></tool_call> tags, one block per call:
            <tool_call>
            {"name": <function-name>, "arguments": <args-json-object>}
            </tool_call><|im_end|>
            <|im_start|>user
            What is the weather in Paris?<|im_end|>
            <|im_start|>assistant
            <tool_call>
            {"name": "get_weather", "arguments": {"city": "Paris"}}
            </tool_call><|im_end|>
            <|im_start|>user
            <tool_response>
            {"temperature": 18}
            </tool_response><|im_end|>
            <|im_start|>assistant

            """;

        Assert.Equal(expected, ToolConversation.Prompt(ToolCallFormat.Hermes, "chatml", ToolConversation.Messages, ToolChoice.Auto));
    }

    [Fact]
    public void ParallelCallsFollowTheTextAndTheirResultsShareOneUserTurn()
    {
        var rendered = _dialect.Render(ToolConversation.ParallelMessages, ToolConversation.Tools, ToolChoice.None);

        Assert.Equal(
            [
                new ChatMessage("user", "Weather and time in Paris?"),
                new ChatMessage("assistant", "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>\n<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>"),
                new ChatMessage("user", "<tool_response>\n18 degrees\n</tool_response>\n<tool_response>\n14:05\n</tool_response>"),
            ],
            rendered);
    }

    [Fact]
    public void WithoutASystemMessageTheToolsBecomeOne()
    {
        var rendered = _dialect.Render([new ChatMessage("user", "Hi")], ToolConversation.Tools, ToolChoice.Required);

        Assert.Equal("system", rendered[0].Role);
        Assert.StartsWith("# Tools\n\n", rendered[0].Content, StringComparison.Ordinal);
        Assert.Equal(new ChatMessage("user", "Hi"), rendered[1]);
    }

    [Fact]
    public void ACallAfterTextIsSplitFromIt()
    {
        var parsed = _dialect.Parse("I will look it up.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>");

        Assert.Equal("I will look it up.", parsed.Content);
        Assert.Equal([new ParsedToolCall("get_weather", """{"city": "Paris"}""")], parsed.Calls);
    }

    [Fact]
    public void ParallelCallsAreReadInOrder()
    {
        var parsed = _dialect.Parse("<tool_call>\n{\"name\": \"a\", \"arguments\": {\"x\": 1}}\n</tool_call>\n<tool_call>{\"name\":\"b\",\"arguments\":{}}</tool_call>\n");

        Assert.Equal("", parsed.Content);
        Assert.Equal([new ParsedToolCall("a", """{"x": 1}"""), new ParsedToolCall("b", "{}")], parsed.Calls);
    }

    [Fact]
    public void BracesInsideArgumentStringsDoNotEndTheCall()
    {
        var parsed = _dialect.Parse("<tool_call>\n{\"name\": \"a\", \"arguments\": {\"s\": \"}{\\\"x\"}}\n</tool_call>");

        Assert.Equal([new ParsedToolCall("a", """{"s": "}{\"x"}""")], parsed.Calls);
    }

    [Theory]
    [InlineData("The weather is fine.")]
    [InlineData("<tool_call>\n{\"name\": \"a\", \"arguments\": {\"x\": 1}}")]
    [InlineData("<tool_call>\n{\"name\": \"a\", \"arguments\": {\"x\": 1\n</tool_call>")]
    [InlineData("<tool_call>\n{\"name\": \"a\", \"parameters\": {}}\n</tool_call>")]
    [InlineData("<tool_call>\n{\"name\": 7, \"arguments\": {}}\n</tool_call>")]
    [InlineData("<tool_call>\n{\"name\": \"a\", \"arguments\": {}}\n</tool_call> and then some text")]
    [InlineData("<tool_call>\n{\"name\": \"a\", \"arguments\": {}}\n</tool_call>\n<tool_call>\n{\"name\": \"b\"}\n</tool_call>")]
    [InlineData("<tool_call>\n\"just a string\"\n</tool_call>")]
    [InlineData("<tool_call>\n{\"name\": \"a\", \"arguments\": {\"s\": \"}\\\" {\"}, }\n</tool_call>")]
    public void BrokenCallSyntaxLeavesTheWholeTextAsContent(string text)
    {
        var parsed = _dialect.Parse(text);

        Assert.Empty(parsed.Calls);
        Assert.Equal(text, parsed.Content);
    }
}
