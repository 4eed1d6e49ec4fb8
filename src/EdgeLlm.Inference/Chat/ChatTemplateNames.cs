namespace EdgeLlm.Inference;

/// <summary>Fallback chat templates the daemon accepts: llama.cpp's built-in names plus <c>plain</c>.</summary>
public static class ChatTemplateNames
{
    public const string Plain = "plain";

    /// <summary>Built-in templates of llama.cpp b10221 that are safe to name in configuration.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Plain, "chatml", "llama2", "llama2-sys", "llama3", "mistral-v1", "mistral-v3", "mistral-v7", "phi3", "zephyr",
        "monarch", "gemma", "orion", "openchat", "vicuna", "deepseek", "deepseek2", "command-r", "granite", "chatglm4",
    ];

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);
}
