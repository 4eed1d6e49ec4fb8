using System.Globalization;

namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// The shared JSON building blocks of a grammar, each defined once per compilation under its prefix:
/// <c>ws</c>, string characters, numbers, literals and the any-value rules.
/// </summary>
internal sealed class JsonPrimitives(GbnfRules rules)
{
    /// <summary>
    /// Whitespace between tokens: nothing, one space, or one newline and at most <see cref="SchemaLimits.MaxWhitespace"/>
    /// spaces or tabs of indentation (pretty-printed JSON, as llama.cpp allows), so a model cannot spend its budget on
    /// blank lines. None before the first or after the last token of the document.
    /// </summary>
    public string Ws => rules.Shared("ws", () => $"| \" \" | \"\\n\" [ \\t]{{0,{SchemaLimits.MaxWhitespace}}}");

    /// <summary>
    /// One character inside a JSON string: anything but quote, backslash and control characters raw, or an escape.
    /// <c>\u</c> escapes of surrogates are left out, so every character is one code point.
    /// </summary>
    public string Char => rules.Shared("char", () => $"[^\"\\\\\\x00-\\x1F] | \"\\\\\" ([\"\\\\/bfnrt] | \"u\" {Hex4})");

    /// <summary>
    /// A string character for length-bounded strings: as <see cref="Char"/> without characters beyond the Basic
    /// Multilingual Plane, so that code points and UTF-16 units count the same.
    /// </summary>
    public string BmpChar => rules.Shared("bmp-char", () => $"[^\"\\\\\\x00-\\x1F\\U00010000-\\U0010FFFF] | \"\\\\\" ([\"\\\\/bfnrt] | \"u\" {Hex4})");

    /// <summary>
    /// A character that always starts a grapheme cluster of its own and is one code point and one UTF-16 unit
    /// (printable ASCII, Latin, Greek, Cyrillic, Armenian, Hebrew and Arabic letters, kana, CJK ideographs, Hangul
    /// syllables, and the escapes of those and of tab, newline, backspace and form feed). The first
    /// <c>minLength</c> characters of a string come from here, so the string is long enough however a validator
    /// counts: by code point, by UTF-16 unit or by grapheme.
    /// </summary>
    public string CountedChar => rules.Shared("counted-char", () =>
        "[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E\\xA0-\\u02FF\\u0370-\\u0482\\u048A-\\u052F\\u0531-\\u0556\\u05D0-\\u05EA\\u0620-\\u064A"
        + "\\u3041-\\u3096\\u30A1-\\u30FA\\u4E00-\\u9FFF\\uAC00-\\uD7A3] | \"\\\\\" [\"\\\\/bfnt]");

    /// <summary>Four hex digits of a <c>\u</c> escape, surrogates (D800–DFFF) excluded.</summary>
    public string Hex4 => rules.Shared("hex4", () => "[0-9a-cA-Ce-fE-F] [0-9a-fA-F]{3} | [dD] [0-7] [0-9a-fA-F]{2}");

    public string String => rules.Shared("string", () => $"\"\\\"\" {rules.Repeat(Char, "*", "chars")} \"\\\"\"");

    /// <summary>An integer without a bound, below 10^<see cref="SchemaLimits.MaxIntegerDigits"/> in magnitude, no <c>-0</c>.</summary>
    public string Integer => rules.Shared("integer", () => $"\"0\" | \"-\"? [1-9] [0-9]{{0,{SchemaLimits.MaxIntegerDigits - 1}}}");

    /// <summary>A number without a bound: an integer part, an optional fraction, no exponent.</summary>
    public string Number => rules.Shared("number", () => $"\"-\"? ({Magnitude}) {Fraction}?");

    /// <summary>A fraction whose last digit is not zero: it never denotes an integer.</summary>
    public string Fraction => rules.Shared("fraction", () => $"\".\" [0-9]{{0,{SchemaLimits.MaxFractionDigits - 1}}} [1-9]");

    public string Boolean => rules.Shared("boolean", () => "\"true\" | \"false\"");

    public string Null => rules.Shared("null", () => "\"null\"");

    /// <summary>Any JSON value.</summary>
    public string Value => rules.Shared("value", () => $"{Object} | {Array} | {String} | {Number} | {Boolean} | {Null}");

    /// <summary>Any JSON object; its members may repeat a key, as nothing context-free can prevent that.</summary>
    public string Object => rules.Shared("object", () =>
        $"\"{{\" {Ws} ( {String} {Ws} \":\" {Ws} {Value} ( {Ws} \",\" {Ws} {String} {Ws} \":\" {Ws} {Value} )* {Ws} )? \"}}\"");

    public string Array => rules.Shared("array", () => $"\"[\" {Ws} ( {Value} ( {Ws} \",\" {Ws} {Value} )* {Ws} )? \"]\"");

    private string Magnitude => rules.Shared("magnitude", () => $"\"0\" | [1-9] [0-9]{{0,{(SchemaLimits.MaxIntegerDigits - 1).ToString(CultureInfo.InvariantCulture)}}}");
}
