using EdgeLlm.Inference.Backends.Natives;
using EdgeLlm.Testing;

namespace EdgeLlm.Inference.Tests.Backends.Natives;

/// <summary>The ABI description committed for the natives' source (native/abi/), and copies of it with one line changed.</summary>
internal static class CommittedAbi
{
    public static string Path { get; } = System.IO.Path.Combine(TestModels.RepositoryRoot, "native", "abi", "llama.cpp-b10361.abi");

    public static string Text => File.ReadAllText(Path);

    public static AbiDescription Parse() => Parse(Text);

    public static AbiDescription Parse(string text)
    {
        var result = AbiDescriptionParser.Parse(text);
        Assert.True(result.Succeeded, result.Error);
        return result.Description!;
    }

    /// <summary>The committed text with the one line that starts with <paramref name="start"/> replaced (or removed when null).</summary>
    public static string WithLine(string start, string? replacement)
    {
        var lines = Text.Split('\n').ToList();
        var index = lines.FindIndex(l => l.StartsWith(start, StringComparison.Ordinal));
        Assert.True(index >= 0, $"the committed ABI has no line starting '{start}'");
        Assert.Single(lines, l => l.StartsWith(start, StringComparison.Ordinal));
        if (replacement is null)
        {
            lines.RemoveAt(index);
        }
        else
        {
            lines[index] = replacement;
        }

        return string.Join('\n', lines);
    }
}
