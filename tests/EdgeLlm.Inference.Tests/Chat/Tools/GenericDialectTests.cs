using EdgeLlm.Inference.Chat;
using EdgeLlm.Inference.Chat.Tools;

namespace EdgeLlm.Inference.Tests.Chat.Tools;

public sealed class GenericDialectTests
{
    private const string WeatherJson =
        """{"type":"function","function":{"name":"get_weather","description":"Current weather for a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}""";

    private readonly IToolCallDialect _dialect = ToolConversation.Dialect(ToolCallFormat.Generic);

    [Fact]
    public void AConversationWithACallAndItsResultRendersAsPlainJsonInstructions()
    {
        var expected = $$$"""
            <|im_start|>system
            You are a helpful assistant.

            You can call these functions, each given as JSON with a JSON Schema of its arguments:
            {{{WeatherJson}}}

            To call functions, answer with only a JSON object of this form and nothing else:
            {"tool_calls": [{"name": "<function name>", "arguments": {<arguments>}}]}
            When no function is needed, answer the user directly in plain text instead.<|im_end|>
            <|im_start|>user
            What is the weather in Paris?<|im_end|>
            <|im_start|>assistant
            {"tool_calls": [{"name": "get_weather", "arguments": {"city": "Paris"}}]}<|im_end|>
            <|im_start|>user
            Result of the call call_1 to get_weather:
            {"temperature": 18}<|im_end|>
            <|im_start|>assistant

            """;

        Assert.Equal(expected, ToolConversation.Prompt(ToolCallFormat.Generic, "chatml", ToolConversation.Messages, ToolChoice.Auto));
    }

    [Theory]
    [InlineData(ToolChoiceMode.Required, null, "You must call at least one function.")]
    [InlineData(ToolChoiceMode.Named, "get_weather", "You must call the function \"get_weather\".")]
    public void ARequiredOrNamedChoiceIsStatedInTheInstructions(ToolChoiceMode mode, string? name, string rule)
    {
        var rendered = _dialect.Render([new ChatMessage("user", "Hi")], ToolConversation.Tools, new ToolChoice(mode, name));

        Assert.EndsWith("\n" + rule, rendered[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutToolsOrToolTurnsTheMessagesAreReturnedAsTheyWere()
    {
        IReadOnlyList<ChatMessage> messages = [new("system", "Be brief."), new("user", "Hi")];

        Assert.Same(messages, _dialect.Render(messages, [], ToolChoice.Auto));
        Assert.Same(messages, _dialect.Render(messages, ToolConversation.Tools, ToolChoice.None));
    }

    [Fact]
    public void AChoiceOfNoneStillRendersPastCallsButDescribesNoTools()
    {
        var rendered = _dialect.Render(ToolConversation.Messages, ToolConversation.Tools, ToolChoice.None);

        Assert.Equal(new ChatMessage("system", "You are a helpful assistant."), rendered[0]);
        Assert.Equal(new ChatMessage("assistant", "{\"tool_calls\": [{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}]}"), rendered[2]);
        Assert.All(rendered, m => Assert.Contains(m.Role, new[] { "system", "user", "assistant" }));
    }

    [Fact]
    public void ParallelResultsShareOneUserTurnNamingTheirCalls()
    {
        var rendered = _dialect.Render(ToolConversation.ParallelMessages, ToolConversation.Tools, ToolChoice.None);

        Assert.Equal(
            new ChatMessage("user", "Result of the call call_1 to get_weather:\n18 degrees\n\nResult of the call call_2 to get_time:\n14:05"),
            rendered[2]);
    }

    [Theory]
    [InlineData("{\"tool_calls\": [{\"name\": \"a\", \"arguments\": {}}, {\"name\": \"b\", \"arguments\": {\"x\": 1}}]}", "")]
    [InlineData("Calling.\n{ \"tool_calls\" : [{\"name\": \"a\", \"arguments\": {}}, {\"name\": \"b\", \"arguments\": {\"x\": 1}}] }", "Calling.")]
    public void CallsAreReadFromTheToolCallsObject(string text, string content)
    {
        var parsed = _dialect.Parse(text);

        Assert.Equal(content, parsed.Content);
        Assert.Equal([new ParsedToolCall("a", "{}"), new ParsedToolCall("b", """{"x": 1}""")], parsed.Calls);
    }

    [Theory]
    [InlineData("Hello there.")]
    [InlineData("{\"answer\": 42}")]
    [InlineData("{\"tool_calls\": []}")]
    [InlineData("{\"tool_calls\": {\"name\": \"a\", \"arguments\": {}}}")]
    [InlineData("{\"tool_calls\": [{\"name\": \"a\", \"arguments\": {}}]")]
    [InlineData("{\"tool_calls\": [{\"name\": \"a\", \"arguments\": []}]}")]
    [InlineData("{\"tool_calls\": [{\"name\": \"a\", \"arguments\": {}}]} more")]
    public void BrokenCallSyntaxLeavesTheWholeTextAsContent(string text)
    {
        var parsed = _dialect.Parse(text);

        Assert.Empty(parsed.Calls);
        Assert.Equal(text, parsed.Content);
    }
}
