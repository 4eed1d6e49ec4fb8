using System.Net;
using System.Text;
using EdgeLlm.Api.Tests.Support;
using OpenAI.Chat;

namespace EdgeLlm.Api.Tests.Endpoints;

/// <summary>
/// Tool calling through the official OpenAI client on llama-2-tiny-random (no chat template: the generic dialect):
/// a required or named call always comes back as tool_calls whose arguments validate against the function's
/// parameters, streamed the OpenAI way, and a conversation carrying a call and its result is served.
/// </summary>
public sealed class ToolCallingTests(TinyRandomServerFixture fixture) : IClassFixture<TinyRandomServerFixture>
{
    private static readonly (string Name, string Parameters)[] Functions =
    [
        ("get_weather", """{"type":"object","properties":{"city":{"type":"string","maxLength":20},"unit":{"enum":["c","f"]}},"required":["city","unit"],"additionalProperties":false}"""),
        ("lookup_order", """{"type":"object","properties":{"order_id":{"type":"integer","minimum":1,"maximum":99999}},"required":["order_id"],"additionalProperties":false}"""),
        ("raise_alert", """{"type":"object","properties":{"level":{"enum":["low","high"]},"tags":{"type":"array","items":{"type":"string","maxLength":8},"maxItems":3}},"required":["level"],"additionalProperties":false}"""),
    ];

    [Fact]
    public async Task ARequiredCallAlwaysComesBackAsToolCallsWhoseArgumentsValidate()
    {
        var answers = await Concurrently.RunAsync(Enumerable.Range(0, 10).ToList(), 8, async seed =>
            (ChatCompletion)await fixture.Chat.CompleteChatAsync([new UserChatMessage("What should I do?")], Options(ChatToolChoice.CreateRequiredChoice(), seed, parallel: true)));

        var called = answers.Where(a => a.FinishReason == ChatFinishReason.ToolCalls).ToList();
        Assert.All(answers.Except(called), a => Assert.Equal(ChatFinishReason.Length, a.FinishReason));
        Assert.True(called.Count * 2 >= answers.Count, $"only {called.Count} of {answers.Count} answers finished with calls");
        foreach (var call in called.SelectMany(a => a.ToolCalls))
        {
            var function = Assert.Single(Functions, f => f.Name == call.FunctionName);
            Assert.StartsWith("call_", call.Id, StringComparison.Ordinal);
            Assert.Null(SchemaCorpus.Problem(function.Parameters, call.FunctionArguments.ToString()));
        }
    }

    [Fact]
    public async Task ANamedCallCallsOnlyThatFunctionOnce()
    {
        var answers = await Concurrently.RunAsync(Enumerable.Range(0, 10).ToList(), 8, async seed =>
            (ChatCompletion)await fixture.Chat.CompleteChatAsync([new UserChatMessage("Where is my order?")], Options(ChatToolChoice.CreateFunctionChoice("lookup_order"), seed, parallel: false)));

        var called = answers.Where(a => a.FinishReason == ChatFinishReason.ToolCalls).ToList();
        Assert.True(called.Count * 2 >= answers.Count, $"only {called.Count} of {answers.Count} answers finished with calls");
        foreach (var answer in called)
        {
            var call = Assert.Single(answer.ToolCalls);
            Assert.Equal("lookup_order", call.FunctionName);
            Assert.Null(SchemaCorpus.Problem(Functions[1].Parameters, call.FunctionArguments.ToString()));
        }
    }

    [Fact]
    public async Task AStreamedCallIsTheWholeAnswersCallInTheOpenAiShape()
    {
        var options = Options(ChatToolChoice.CreateRequiredChoice(), seed: 3, parallel: false);
        options.Temperature = 0f;
        ChatCompletion whole = await fixture.Chat.CompleteChatAsync([new UserChatMessage("Alert!")], options);

        var name = new StringBuilder();
        var arguments = new StringBuilder();
        string? id = null;
        ChatFinishReason? finish = null;
        await foreach (var update in fixture.Chat.CompleteChatStreamingAsync([new UserChatMessage("Alert!")], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                Assert.Equal(0, call.Index);
                id ??= call.ToolCallId;
                name.Append(call.FunctionName);
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, whole.FinishReason);
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.StartsWith("call_", id, StringComparison.Ordinal);
        Assert.Equal(whole.ToolCalls[0].FunctionName, name.ToString());
        Assert.Equal(whole.ToolCalls[0].FunctionArguments.ToString(), arguments.ToString());
    }

    [Fact]
    public async Task AConversationWithACallAndItsResultIsServed()
    {
        ChatMessage[] messages =
        [
            new UserChatMessage("Where is order 42?"),
            new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall("call_abc", "lookup_order", BinaryData.FromString("""{"order_id":42}"""))]),
            new ToolChatMessage("call_abc", """{"status":"shipped"}"""),
        ];

        ChatCompletion answer = await fixture.Chat.CompleteChatAsync(messages, Options(ChatToolChoice.CreateAutoChoice(), seed: 1, parallel: true));

        Assert.Contains(answer.FinishReason, new[] { ChatFinishReason.Stop, ChatFinishReason.Length, ChatFinishReason.ToolCalls });
    }

    [Fact]
    public async Task AToolMessageWithoutItsCallIdIsA400()
    {
        using var response = await fixture.Server.PostJsonAsync("/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"},{"role":"tool","content":"42"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("messages", (await InferenceTestServer.JsonAsync(response)).GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task AFunctionWhoseParametersCannotBeHonouredIsA400NamingIt()
    {
        using var response = await fixture.Server.PostJsonAsync(
            "/v1/chat/completions",
            """{"messages":[{"role":"user","content":"hi"}],"tool_choice":"required","tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"x":{"not":{}}}}}}]}""");
        var error = (await InferenceTestServer.JsonAsync(response)).GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("tools[0].function.parameters", error.GetProperty("param").GetString(), StringComparison.Ordinal);
        Assert.Contains("not", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static ChatCompletionOptions Options(ChatToolChoice choice, int seed, bool parallel)
    {
        var options = new ChatCompletionOptions { ToolChoice = choice, AllowParallelToolCalls = parallel, Temperature = 1f, MaxOutputTokenCount = 200 };
        foreach (var (name, parameters) in Functions)
        {
            options.Tools.Add(ChatTool.CreateFunctionTool(name, "A function of the test.", BinaryData.FromString(parameters)));
        }

#pragma warning disable OPENAI001 // Seed is marked experimental by the client; the daemon honours it.
        options.Seed = seed;
#pragma warning restore OPENAI001
        return options;
    }
}
