using EdgeLlm.Inference.Chat;
using EdgeLlm.Inference.Chat.Tools;

namespace EdgeLlm.Inference.Tests.Chat.Tools;

public sealed class Llama3DialectTests
{
    private const string WeatherJson = """
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Current weather for a city",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "city": {
                            "type": "string"
                        }
                    },
                    "required": [
                        "city"
                    ]
                }
            }
        }
        """;

    private readonly IToolCallDialect _dialect = ToolConversation.Dialect(ToolCallFormat.Llama3);

    [Fact]
    public void AConversationWithACallAndItsResultRendersAsLlama31ExpectsIt()
    {
        var expected =
            "<|start_header_id|>system<|end_header_id|>\n\nEnvironment: ipython\n\nYou are a helpful assistant.<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\n"
            + "You can call the functions below. To call one, answer with only a JSON object of the form "
            + "{\"name\": function name, \"parameters\": dictionary of argument names and their values}. Use literal values, not variables.\n\n"
            + WeatherJson + "\n\n"
            + "What is the weather in Paris?<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}<|eot_id|>"
            + "<|start_header_id|>ipython<|end_header_id|>\n\n{\"temperature\": 18}<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n";

        Assert.Equal(expected, ToolConversation.Prompt(ToolCallFormat.Llama3, "llama3", ToolConversation.Messages, ToolChoice.Auto));
    }

    [Fact]
    public void EachToolResultIsItsOwnIpythonTurn()
    {
        var rendered = _dialect.Render(ToolConversation.ParallelMessages, ToolConversation.Tools, ToolChoice.None);

        Assert.Equal(
            [
                new ChatMessage("user", "Weather and time in Paris?"),
                new ChatMessage("assistant", "Let me check.\n{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}\n{\"name\": \"get_time\", \"parameters\": {}}"),
                new ChatMessage("ipython", "18 degrees"),
                new ChatMessage("ipython", "14:05"),
            ],
            rendered);
    }

    [Fact]
    public void ToolsGoBeforeTheFirstQuestionNotTheLatest()
    {
        IReadOnlyList<ChatMessage> messages = [new("user", "First"), new("assistant", "Answer"), new("user", "Second")];

        var rendered = _dialect.Render(messages, ToolConversation.Tools, ToolChoice.Auto);

        Assert.Equal(new ChatMessage("system", "Environment: ipython"), rendered[0]);
        Assert.EndsWith("\n\nFirst", rendered[1].Content, StringComparison.Ordinal);
        Assert.Contains("\"get_weather\"", rendered[1].Content, StringComparison.Ordinal);
        Assert.Equal(new ChatMessage("user", "Second"), rendered[3]);
    }

    [Theory]
    [InlineData("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}", "")]
    [InlineData("<|python_tag|>{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}", "")]
    [InlineData("Checking.\n{ \"name\" : \"get_weather\", \"arguments\": {\"city\": \"Paris\"} }\n", "Checking.")]
    public void ACallIsReadWithOrWithoutThePythonTag(string text, string content)
    {
        var parsed = _dialect.Parse(text);

        Assert.Equal(content, parsed.Content);
        Assert.Equal("get_weather", Assert.Single(parsed.Calls).Name);
        Assert.Equal("Paris", System.Text.Json.JsonDocument.Parse(parsed.Calls[0].ArgumentsJson).RootElement.GetProperty("city").GetString());
    }

    [Theory]
    [InlineData("{\"name\": \"a\", \"parameters\": {}}\n{\"name\": \"b\", \"parameters\": {\"x\": 1}}")]
    [InlineData("{\"name\": \"a\", \"parameters\": {}}; {\"name\": \"b\", \"parameters\": {\"x\": 1}}")]
    public void ParallelCallsAreReadOnePerLineOrSemicolonSeparated(string text)
    {
        Assert.Equal([new ParsedToolCall("a", "{}"), new ParsedToolCall("b", """{"x": 1}""")], _dialect.Parse(text).Calls);
    }

    [Theory]
    [InlineData("Paris is sunny today.")]
    [InlineData("{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Par")]
    [InlineData("{\"name\": \"get_weather\"}")]
    [InlineData("{\"name\": \"get_weather\", \"parameters\": \"Paris\"}")]
    [InlineData("{\"name\": \"a\", \"parameters\": {}} trailing words")]
    [InlineData("{\"name\": \"a\", \"parameters\": {}}\n{\"name\": ")]
    public void BrokenCallSyntaxLeavesTheWholeTextAsContent(string text)
    {
        var parsed = _dialect.Parse(text);

        Assert.Empty(parsed.Calls);
        Assert.Equal(text, parsed.Content);
    }
}
