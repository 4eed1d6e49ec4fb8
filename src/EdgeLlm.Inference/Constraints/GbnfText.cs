using System.Globalization;
using System.Text;

namespace EdgeLlm.Inference.Constraints;

/// <summary>Writes literals and character classes in llama.cpp's GBNF syntax.</summary>
internal static class GbnfText
{
    /// <summary>A GBNF literal matching exactly <paramref name="text"/>; anything but plain ASCII is written as an escape.</summary>
    public static string Literal(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var rune in text.EnumerateRunes())
        {
            var value = rune.Value;
            if (value is >= 0x20 and < 0x7F && value != '"' && value != '\\')
            {
                builder.Append((char)value);
            }
            else
            {
                AppendEscape(builder, value);
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>A GBNF character class of the given inclusive code point ranges (sorted, disjoint, not empty).</summary>
    public static string CharClass(IReadOnlyList<(int Low, int High)> ranges, bool negated = false)
    {
        var builder = new StringBuilder("[");
        if (negated)
        {
            builder.Append('^');
        }

        foreach (var (low, high) in ranges)
        {
            AppendClassChar(builder, low);
            if (high != low)
            {
                builder.Append('-');
                AppendClassChar(builder, high);
            }
        }

        return builder.Append(']').ToString();
    }

    /// <summary>The JSON text of a string value: quotes, <c>\"</c>, <c>\\</c> and control characters escaped, the rest raw.</summary>
    public static string JsonString(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    private static void AppendClassChar(StringBuilder builder, int value)
    {
        if (value is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9'))
        {
            builder.Append((char)value);
        }
        else
        {
            AppendEscape(builder, value);
        }
    }

    private static void AppendEscape(StringBuilder builder, int value)
    {
        var text = value switch
        {
            <= 0xFF => "\\x" + value.ToString("X2", CultureInfo.InvariantCulture),
            <= 0xFFFF => "\\u" + value.ToString("X4", CultureInfo.InvariantCulture),
            _ => "\\U" + value.ToString("X8", CultureInfo.InvariantCulture),
        };
        builder.Append(text);
    }
}
