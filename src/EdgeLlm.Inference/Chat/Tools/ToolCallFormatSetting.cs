namespace EdgeLlm.Inference.Chat.Tools;

/// <summary>
/// An operator's per-model choice of tool-call format, read by <see cref="ToolCallDialects.Parse"/>: a fixed
/// <see cref="Format"/>, auto (detect from the chat template: <see cref="Format"/> is null), or an
/// <see cref="Error"/> for a name that is none of <see cref="ToolCallDialects.SettingNames"/>.
/// </summary>
public sealed record ToolCallFormatSetting
{
    private ToolCallFormatSetting(ToolCallFormat? format, string? error)
    {
        Format = format;
        Error = error;
    }

    public static ToolCallFormatSetting Auto { get; } = new(null, null);

    public ToolCallFormat? Format { get; }

    /// <summary>Why the name was refused; null when it was understood.</summary>
    public string? Error { get; }

    public bool IsValid => Error is null;

    public bool IsAuto => IsValid && Format is null;

    public static ToolCallFormatSetting Fixed(ToolCallFormat format) => new(format, null);

    public static ToolCallFormatSetting Invalid(string error) => new(null, error);

    /// <summary>The format to use for a model with this chat template.</summary>
    /// <exception cref="InvalidOperationException">The setting is invalid (validate options at start-up).</exception>
    public ToolCallFormat Resolve(string? chatTemplate) =>
        IsValid ? Format ?? ToolCallDialects.Detect(chatTemplate) : throw new InvalidOperationException(Error);
}
