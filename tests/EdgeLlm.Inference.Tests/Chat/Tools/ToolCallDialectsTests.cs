using EdgeLlm.Inference.Chat.Tools;

namespace EdgeLlm.Inference.Tests.Chat.Tools;

public sealed class ToolCallDialectsTests
{
    [Theory]
    // Qwen 2.5 Instruct: the tool-call instructions and the assistant's calls.
    [InlineData("{%- if tools %}{{- '<|im_start|>system\\n' }}{{- \"\\n\\n# Tools\\n\\n<tools>\" }}{%- for tool in tools %}{{- tool | tojson }}{%- endfor %}{{- '\\n<tool_call>\\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\\n</tool_call><|im_end|>\\n' }}", ToolCallFormat.Hermes)]
    // Hermes 2 Pro: its tool_use template.
    [InlineData("{%- for tool_call in message.tool_calls %}{{- '\\n<tool_call>\\n' }}{{- tool_call.function | tojson }}{{- '\\n</tool_call>' }}{%- endfor %}", ToolCallFormat.Hermes)]
    // Mistral 7B Instruct v0.3.
    [InlineData("{%- if message.tool_calls is defined %}{{- \"[TOOL_CALLS] [\" }}{%- for tool_call in message.tool_calls %}{{- '{\"name\": \"' + tool_call.function.name }}{%- endfor %}{{- \"]\" + eos_token }}{%- elif message.role == \"tool\" %}{{- '[TOOL_RESULTS] ' }}", ToolCallFormat.Mistral)]
    // Llama 3.1 Instruct: builtin tools and tool results.
    [InlineData("{%- if builtin_tools is defined or tools is not none %}{{- \"Environment: ipython\\n\" }}{%- endif %}{{- '<|python_tag|>' + tool_call.name }}", ToolCallFormat.Llama3)]
    // Llama 3.2 Instruct: tool results as the ipython role.
    [InlineData("{%- elif message.role == \"tool\" or message.role == \"ipython\" %}{{- \"<|start_header_id|>ipython<|end_header_id|>\\n\\n\" }}", ToolCallFormat.Llama3)]
    // Llama 3.0 Instruct knows no tools.
    [InlineData("{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{{ content }}{% endfor %}", ToolCallFormat.Generic)]
    // Plain ChatML (TinyLlama, OpenHermes 2.5).
    [InlineData("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}", ToolCallFormat.Generic)]
    [InlineData("", ToolCallFormat.Generic)]
    [InlineData(null, ToolCallFormat.Generic)]
    public void TheFamilyIsDetectedFromTheTemplatesMarkers(string? template, ToolCallFormat expected)
    {
        Assert.Equal(expected, ToolCallDialects.Detect(template));
    }

    [Theory]
    [InlineData("generic", ToolCallFormat.Generic)]
    [InlineData("llama3", ToolCallFormat.Llama3)]
    [InlineData("Hermes", ToolCallFormat.Hermes)]
    [InlineData(" MISTRAL ", ToolCallFormat.Mistral)]
    public void AnOperatorCanNameAFormat(string name, ToolCallFormat expected)
    {
        var setting = ToolCallDialects.Parse(name);

        Assert.True(setting.IsValid);
        Assert.Equal(expected, setting.Format);
        Assert.Equal(expected, setting.Resolve("<tool_call>"));
    }

    [Fact]
    public void AutoDetectsFromTheTemplate()
    {
        var setting = ToolCallDialects.Parse("auto");

        Assert.True(setting.IsAuto);
        Assert.Equal(ToolCallFormat.Mistral, setting.Resolve("[TOOL_CALLS]"));
        Assert.Equal(ToolCallFormat.Generic, setting.Resolve(null));
    }

    [Theory]
    [InlineData("qwen")]
    [InlineData("")]
    [InlineData(null)]
    public void AnUnknownNameIsRefusedWithTheAcceptedNames(string? name)
    {
        var setting = ToolCallDialects.Parse(name);

        Assert.False(setting.IsValid);
        Assert.Contains("auto, generic, llama3, hermes, mistral", setting.Error, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => setting.Resolve(null));
    }

    [Theory]
    [InlineData(ToolCallFormat.Generic)]
    [InlineData(ToolCallFormat.Llama3)]
    [InlineData(ToolCallFormat.Hermes)]
    [InlineData(ToolCallFormat.Mistral)]
    public void EachFormatHasItsDialect(ToolCallFormat format)
    {
        Assert.Equal(format, ToolCallDialects.For(format, new FakeSchemaRuleCompiler()).Format);
    }

    [Fact]
    public void CallIdsHaveOpenAIsShapeAndDiffer()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => ToolCallIds.New()).ToList();

        Assert.All(ids, id => Assert.Matches("^call_[A-Za-z0-9]{24}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
