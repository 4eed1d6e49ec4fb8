using System.Text.Json;
using EdgeLlm.Inference.Chat.Tools;

namespace EdgeLlm.Inference.Tests.Chat.Tools;

public sealed class CallGrammarTests
{
    private static readonly IReadOnlyList<ToolDefinition> TwoTools = [ToolConversation.Weather, ToolConversation.Time];

    [Fact]
    public void AParallelHermesGrammarWrapsEachFunctionsRulesInToolCallBlocks()
    {
        var compilation = ToolConversation.Dialect(ToolCallFormat.Hermes).CallGrammar(TwoTools, parallel: true, includeTrigger: true);

        const string expected = """
            root ::= "<tool_call>\n{\"name\": " call-tail ("\n" call)*
            call ::= "<tool_call>\n{\"name\": " call-tail
            call-tail ::= call-t0 | call-t1
            call-t0 ::= "\"get_weather\", \"arguments\": " t0-root "}\n</tool_call>"
            t0-root ::= "{}"
            call-t1 ::= "\"get_time\", \"arguments\": " t1-root "}\n</tool_call>"
            t1-root ::= "{}"

            """;
        Assert.Null(compilation.Rejection);
        Assert.Equal(expected, compilation.Grammar!.Gbnf);
        Assert.Equal("root", compilation.Grammar.Root);
    }

    [Theory]
    [InlineData(ToolCallFormat.Generic, "root ::= \"{\\\"tool_calls\\\": [{\\\"name\\\": \" call-tail \"]}\"")]
    [InlineData(ToolCallFormat.Llama3, "root ::= \"{\\\"name\\\": \" call-tail")]
    [InlineData(ToolCallFormat.Hermes, "root ::= \"<tool_call>\\n{\\\"name\\\": \" call-tail")]
    [InlineData(ToolCallFormat.Mistral, "root ::= \"[TOOL_CALLS][{\\\"name\\\": \" call-tail \"]\"")]
    public void ASingleCallGrammarAllowsExactlyOneCall(ToolCallFormat format, string root)
    {
        var gbnf = ToolConversation.Dialect(format).CallGrammar(TwoTools, parallel: false, includeTrigger: true).Grammar!.Gbnf;

        Assert.Equal(root, gbnf.Split('\n')[0]);
        Assert.DoesNotContain("call ::=", gbnf, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ToolCallFormat.Generic, "root ::= \": [{\\\"name\\\": \" call-tail (\", \" call)* \"]}\"")]
    [InlineData(ToolCallFormat.Llama3, "root ::= \": \" call-tail (\"\\n\" call)*")]
    [InlineData(ToolCallFormat.Hermes, "root ::= \"\\n{\\\"name\\\": \" call-tail (\"\\n\" call)*")]
    [InlineData(ToolCallFormat.Mistral, "root ::= \"[{\\\"name\\\": \" call-tail (\", \" call)* \"]\"")]
    public void WithoutTheTriggerTheGrammarStartsRightAfterIt(ToolCallFormat format, string root)
    {
        var dialect = ToolConversation.Dialect(format);

        var gbnf = dialect.CallGrammar(TwoTools, parallel: true, includeTrigger: false).Grammar!.Gbnf;

        Assert.Equal(root, gbnf.Split('\n')[0]);
        Assert.DoesNotContain(GbnfText(dialect.Trigger), gbnf.Split('\n')[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ToolCallFormat.Generic, "arguments")]
    [InlineData(ToolCallFormat.Llama3, "parameters")]
    [InlineData(ToolCallFormat.Hermes, "arguments")]
    [InlineData(ToolCallFormat.Mistral, "arguments")]
    public void EveryFunctionIsCompiledOnceUnderItsOwnPrefixAndOffered(ToolCallFormat format, string argumentsKey)
    {
        var compiler = new FakeSchemaRuleCompiler();
        var dialect = ToolCallDialects.For(format, compiler);

        var gbnf = dialect.CallGrammar(TwoTools, parallel: true, includeTrigger: true).Grammar!.Gbnf;

        Assert.Equal(["t0-", "t1-"], compiler.Calls.Select(c => c.Prefix));
        Assert.Contains("call-tail ::= call-t0 | call-t1\n", gbnf, StringComparison.Ordinal);
        Assert.Contains($"call-t0 ::= \"\\\"get_weather\\\", \\\"{argumentsKey}\\\": \" t0-root", gbnf, StringComparison.Ordinal);
        Assert.Contains($"call-t1 ::= \"\\\"get_time\\\", \\\"{argumentsKey}\\\": \" t1-root", gbnf, StringComparison.Ordinal);
        Assert.Equal(JsonSerializer.Serialize(ToolConversation.Weather.Parameters), compiler.Calls[0].Schema);
    }

    [Fact]
    public void AFunctionWithoutParametersTakesAnEmptyObject()
    {
        var compiler = new FakeSchemaRuleCompiler();

        ToolCallDialects.For(ToolCallFormat.Hermes, compiler).CallGrammar([ToolConversation.Time], parallel: false, includeTrigger: true);

        Assert.Equal("""{"type":"object","properties":{}}""", Assert.Single(compiler.Calls).Schema);
    }

    [Fact]
    public void ANamedChoiceOffersOnlyThatFunctionUnderItsOriginalIndex()
    {
        var compiler = new FakeSchemaRuleCompiler();

        var gbnf = ToolCallDialects.For(ToolCallFormat.Mistral, compiler)
            .CallGrammar(TwoTools, parallel: false, includeTrigger: true, onlyTool: "get_time").Grammar!.Gbnf;

        Assert.Equal("t1-", Assert.Single(compiler.Calls).Prefix);
        Assert.Contains("call-tail ::= call-t1\n", gbnf, StringComparison.Ordinal);
        Assert.DoesNotContain("get_weather", gbnf, StringComparison.Ordinal);
    }

    [Fact]
    public void ARefusedSchemaIsReportedWithTheToolsPath()
    {
        var compiler = new FakeSchemaRuleCompiler { RejectPrefix = "t1-" };

        var compilation = ToolCallDialects.For(ToolCallFormat.Generic, compiler).CallGrammar(TwoTools, parallel: true, includeTrigger: true);

        Assert.Null(compilation.Grammar);
        Assert.Equal("tools[1].function.parameters/properties/when/format", compilation.Rejection!.Path);
        Assert.Equal("format", compilation.Rejection.Keyword);
    }

    [Fact]
    public void NoToolsOrAnUnknownNamedToolIsAProgrammingError()
    {
        var dialect = ToolConversation.Dialect(ToolCallFormat.Hermes);

        Assert.Throws<ArgumentException>(() => dialect.CallGrammar([], parallel: false, includeTrigger: true));
        Assert.Throws<ArgumentException>(() => dialect.CallGrammar(TwoTools, parallel: false, includeTrigger: true, onlyTool: "nope"));
    }

    [Theory]
    [InlineData(ToolCallFormat.Generic)]
    [InlineData(ToolCallFormat.Llama3)]
    [InlineData(ToolCallFormat.Hermes)]
    [InlineData(ToolCallFormat.Mistral)]
    public void RenderedPastCallsStartWithTheTriggerAndParseBack(ToolCallFormat format)
    {
        var dialect = ToolConversation.Dialect(format);
        var rendered = dialect.Render(ToolConversation.ParallelMessages, ToolConversation.Tools, ToolChoice.None);
        var callsText = rendered[1].Content["Let me check.\n".Length..];

        Assert.StartsWith(dialect.Trigger, callsText, StringComparison.Ordinal);
        Assert.Equal([new ParsedToolCall("get_weather", """{"city": "Paris"}"""), new ParsedToolCall("get_time", "{}")], dialect.Parse(rendered[1].Content).Calls);
        Assert.Equal("Let me check.", dialect.Parse(rendered[1].Content).Content);
    }

    private static string GbnfText(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
