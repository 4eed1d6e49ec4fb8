using System.Text;
using LLama;

namespace EdgeLlm.Inference.Chat;

/// <summary>
/// Turns chat messages into the prompt text the model was trained on: the GGUF's own
/// <c>tokenizer.chat_template</c> through llama.cpp, or the configured fallback when the model has none
/// (or carries one llama.cpp cannot apply).
/// </summary>
public sealed class ChatPromptFormatter
{
    private readonly string? _llamaTemplate;

    /// <param name="modelTemplate">The model's template text, or null when the GGUF has none.</param>
    /// <param name="fallbackTemplate">A name from <see cref="ChatTemplateNames"/>.</param>
    public ChatPromptFormatter(string? modelTemplate, string fallbackTemplate)
    {
        if (modelTemplate is not null && CanApply(modelTemplate))
        {
            _llamaTemplate = modelTemplate;
            TemplateName = "model";
        }
        else
        {
            _llamaTemplate = fallbackTemplate == ChatTemplateNames.Plain ? null : fallbackTemplate;
            TemplateName = fallbackTemplate;
        }
    }

    /// <summary><c>model</c> when the GGUF's template is used, else the fallback's name.</summary>
    public string TemplateName { get; }

    /// <summary>True when the model's own template is used.</summary>
    public bool UsesModelTemplate => TemplateName == "model";

    /// <summary>The prompt for the messages, ending where the assistant's answer starts.</summary>
    public string Format(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (_llamaTemplate is null)
        {
            return string.Join("\n", messages.Select(m => m.Content));
        }

        var template = new LLamaTemplate(_llamaTemplate) { AddAssistant = true };
        foreach (var message in messages)
        {
            template.Add(message.Role, message.Content);
        }

        return Encoding.UTF8.GetString(template.Apply());
    }

    private static bool CanApply(string template)
    {
        try
        {
            var probe = new LLamaTemplate(template) { AddAssistant = true };
            probe.Add("user", "hello");
            return probe.Apply().Length > 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or LLama.Exceptions.RuntimeError)
        {
            return false;
        }
    }
}
