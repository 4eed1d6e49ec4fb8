using EdgeLlm.Api.Generation;
using EdgeLlm.Inference.Chat.Tools;

namespace EdgeLlm.Api.Tests.Generation;

/// <summary>How an answer with tools is split into streamed content and calls (the Hermes dialect's syntax).</summary>
public sealed class ToolCallAnswerTests
{
    private const string Call = "<tool_call>\n{\"name\": \"f\", \"arguments\": {\"x\": 1}}\n</tool_call>";

    private static IToolCallDialect Hermes => ToolCallDialects.For(ToolCallFormat.Hermes, SchemaRuleCompiler.Instance);

    [Fact]
    public void InAutoModeTextStreamsUntilTheTriggerAndTheCallComesAtTheEnd()
    {
        var answer = new ToolCallAnswer(Hermes, callsOnly: false);

        Assert.Equal("Let me check. ", answer.Stream("Let me check. <tool"));
        Assert.Equal("", answer.Stream(Call["<tool".Length..]));
        var (held, calls) = answer.FinishStream("stop");

        Assert.Equal("", held);
        var call = Assert.Single(calls);
        Assert.Equal("f", call.Function.Name);
        Assert.Equal("{\"x\": 1}", call.Function.Arguments);
        Assert.StartsWith("call_", call.Id, StringComparison.Ordinal);
    }

    [Fact]
    public void AHeldBackTailThatIsNotTheTriggerIsStreamedWithTheNextText()
    {
        var answer = new ToolCallAnswer(Hermes, callsOnly: false);

        Assert.Equal("a ", answer.Stream("a <tool"));
        Assert.Equal("<toolbox", answer.Stream("box"));
        Assert.Equal(("", 0), (answer.FinishStream("stop").Held, answer.FinishStream("stop").Calls.Count));
    }

    [Fact]
    public void ARequiredCallStreamsNoContentAndEndsAsCallsOnly()
    {
        var answer = new ToolCallAnswer(Hermes, callsOnly: true);

        Assert.Equal("", answer.Stream(Call));
        var (content, calls) = answer.Finish(Call, "stop");

        Assert.Null(content);
        Assert.Single(calls);
    }

    [Fact]
    public void AnAnswerCutByTheLengthHasNoCallsAndKeepsItsTextAsContent()
    {
        var answer = new ToolCallAnswer(Hermes, callsOnly: true);
        var cut = Call[..20];

        Assert.Equal("", answer.Stream(cut));
        var (held, calls) = answer.FinishStream("length");

        Assert.Equal(cut, held);
        Assert.Empty(calls);
    }
}
