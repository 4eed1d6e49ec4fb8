using EdgeLlm.Inference.Chat;

namespace EdgeLlm.Inference.Tests.Chat;

public sealed class ChatPromptFormatterTests
{
    private static readonly ChatMessage[] Conversation = [new("system", "Be brief."), new("user", "Hello")];

    [Fact]
    public void AModelWithoutATemplateUsesTheConfiguredFallback()
    {
        var formatter = new ChatPromptFormatter(null, "chatml");

        Assert.False(formatter.UsesModelTemplate);
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n", formatter.Format(Conversation));
    }

    [Fact]
    public void ThePlainFallbackJoinsTheMessageTexts()
    {
        Assert.Equal("Be brief.\nHello", new ChatPromptFormatter(null, ChatTemplateNames.Plain).Format(Conversation));
    }

    [Fact]
    public void TheModelsOwnTemplateIsUsedWhenLlamaCppCanApplyIt()
    {
        const string llama3 = "{% for message in messages %}{{'<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n' + message['content'] + '<|eot_id|>'}}{% endfor %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}";

        var formatter = new ChatPromptFormatter(llama3, "chatml");

        Assert.True(formatter.UsesModelTemplate);
        Assert.Contains("<|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>", formatter.Format(Conversation), StringComparison.Ordinal);
    }

    [Fact]
    public void ATemplateLlamaCppCannotApplyFallsBack()
    {
        var formatter = new ChatPromptFormatter("{{ something nobody knows }}", ChatTemplateNames.Plain);

        Assert.False(formatter.UsesModelTemplate);
        Assert.Equal("Be brief.\nHello", formatter.Format(Conversation));
    }
}
