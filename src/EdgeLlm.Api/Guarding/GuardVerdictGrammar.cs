using System.Globalization;
using System.Text;
using EdgeLlm.Inference.Constraints;

namespace EdgeLlm.Api.Guarding;

/// <summary>
/// The grammar a guard model's answer is held to: <c>safe</c>, or <c>unsafe</c>, a line break and one to as many
/// categories as the policy has, comma-separated, each one of the policy's. Whatever the model, its answer parses.
/// </summary>
internal static class GuardVerdictGrammar
{
    private const string UnsafeLine = "unsafe\n";

    public static OutputGrammar For(IReadOnlyList<string> categories)
    {
        ArgumentOutOfRangeException.ThrowIfZero(categories.Count);
        var list = categories.Count == 1
            ? "category"
            : string.Create(CultureInfo.InvariantCulture, $"category (\",\" category){{0,{categories.Count - 1}}}");
        var gbnf = new StringBuilder()
            .Append("root ::= \"safe\" | ").Append(Quote(UnsafeLine)).Append(' ').Append(list).Append('\n')
            .Append("category ::= ").AppendJoin(" | ", categories.Distinct(StringComparer.Ordinal).Select(Quote)).Append('\n');
        return new OutputGrammar(gbnf.ToString());
    }

    /// <summary>
    /// Tokens enough for the longest answer the grammar allows: every token the grammar lets through writes at least one
    /// byte, so the answer is complete before the limit and never cut inside a category.
    /// </summary>
    public static int MaxTokens(IReadOnlyList<string> categories)
    {
        var longest = categories.Max(c => Encoding.UTF8.GetByteCount(c));
        return Encoding.UTF8.GetByteCount(UnsafeLine) + (categories.Count * (longest + 1)) + 1;
    }

    /// <summary>A GBNF string literal: quotes, backslashes and control characters escaped.</summary>
    private static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                '\n' => quoted.Append("\\n"),
                '\r' => quoted.Append("\\r"),
                '\t' => quoted.Append("\\t"),
                < ' ' => quoted.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture)),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }
}
