namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>Chooses a model's tool-call dialect: from its chat template's markers, or by the operator's setting.</summary>
public static class ToolCallDialects
{
    /// <summary>The values the per-model ToolCallFormat setting accepts (case-insensitive).</summary>
    public static IReadOnlyList<string> SettingNames { get; } = ["auto", "generic", "llama3", "hermes", "mistral"];

    private static readonly Dictionary<string, ToolCallFormatSetting> Settings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["auto"] = ToolCallFormatSetting.Auto,
        ["generic"] = ToolCallFormatSetting.Fixed(ToolCallFormat.Generic),
        ["llama3"] = ToolCallFormatSetting.Fixed(ToolCallFormat.Llama3),
        ["hermes"] = ToolCallFormatSetting.Fixed(ToolCallFormat.Hermes),
        ["mistral"] = ToolCallFormatSetting.Fixed(ToolCallFormat.Mistral),
    };

    /// <summary>
    /// The family whose call syntax the template renders: <c>&lt;tool_call&gt;</c> for Hermes and Qwen,
    /// <c>[TOOL_CALLS]</c> for Mistral, <c>&lt;|python_tag|&gt;</c> or the <c>ipython</c> role for Llama 3.1+;
    /// anything else (Llama 3.0, Phi, Gemma, no template) gets the generic system-message description.
    /// </summary>
    public static ToolCallFormat Detect(string? chatTemplate)
    {
        if (string.IsNullOrEmpty(chatTemplate))
        {
            return ToolCallFormat.Generic;
        }

        if (chatTemplate.Contains("<tool_call>", StringComparison.Ordinal))
        {
            return ToolCallFormat.Hermes;
        }

        if (chatTemplate.Contains("[TOOL_CALLS]", StringComparison.Ordinal))
        {
            return ToolCallFormat.Mistral;
        }

        return chatTemplate.Contains("<|python_tag|>", StringComparison.Ordinal) || chatTemplate.Contains("ipython", StringComparison.Ordinal)
            ? ToolCallFormat.Llama3
            : ToolCallFormat.Generic;
    }

    /// <summary>Reads the operator's setting: one of <see cref="SettingNames"/>, or an invalid setting saying why.</summary>
    public static ToolCallFormatSetting Parse(string? name) =>
        name is not null && Settings.TryGetValue(name.Trim(), out var setting)
            ? setting
            : ToolCallFormatSetting.Invalid($"Unknown tool-call format '{name}'; use one of {string.Join(", ", SettingNames)}.");

    /// <summary>The dialect of a format, compiling parameter schemas with <paramref name="compiler"/>.</summary>
    public static IToolCallDialect For(ToolCallFormat format, ISchemaRuleCompiler compiler)
    {
        ArgumentNullException.ThrowIfNull(compiler);
        return format switch
        {
            ToolCallFormat.Generic => new GenericDialect(compiler),
            ToolCallFormat.Llama3 => new Llama3Dialect(compiler),
            ToolCallFormat.Hermes => new HermesDialect(compiler),
            ToolCallFormat.Mistral => new MistralDialect(compiler),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown tool-call format."),
        };
    }
}
