using EdgeLlm.Inference.Chat.Tools;

namespace EdgeLlm.Inference.Tests.Chat.Tools;

public sealed class ParseRobustnessTests
{
    public static TheoryData<ToolCallFormat, string> Garbage()
    {
        string[] texts =
        [
            "", " ", "{", "}", "[", "\"", "{\"", "<tool_call>", "</tool_call>", "[TOOL_CALLS]", "<|python_tag|>",
            "{\"name\"", "{\"tool_calls\"", "{\"name\": \"a\", \"parameters\": {\"s\": \"\\", "<tool_call>{\"name\":\"a\",\"arguments\":{}",
            "[TOOL_CALLS][[[[[[", "{\"tool_calls\": [[", new string('{', 10_000), new string('[', 10_000) + "\"",
            "{\"name\": \"\\ud800\", \"parameters\": {}}", "\u0000\u0001{\"name\":", "{\"name\": \"a\", \"parameters\": {} }}}}",
        ];
        var data = new TheoryData<ToolCallFormat, string>();
        foreach (var format in Enum.GetValues<ToolCallFormat>())
        {
            foreach (var text in texts)
            {
                data.Add(format, text);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Garbage))]
    public void ParseNeverThrowsAndBrokenCallsGiveTheTextBack(ToolCallFormat format, string text)
    {
        var parsed = ToolConversation.Dialect(format).Parse(text);

        Assert.Empty(parsed.Calls);
        Assert.Equal(text, parsed.Content);
    }
}
