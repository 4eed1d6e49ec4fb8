using System.Globalization;

namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// Translates the supported subset of <c>pattern</c> into GBNF over the JSON-encoded string. The grammar generates
/// strings the whole of which match the pattern (a subset of "contains a match"), so <c>^</c> and <c>$</c> are
/// accepted at the very start and end and refused elsewhere. Supported: literal characters, <c>.</c>,
/// character classes <c>[...]</c> and <c>[^...]</c> with ranges, the escapes <c>\d \w \s \D \W \S \t \n \r \f \v
/// \uXXXX</c> and escaped metacharacters, groups <c>(...)</c> and <c>(?:...)</c>, alternation <c>|</c>, quantifiers
/// <c>? * + {n} {n,} {n,m}</c> (lazy forms too; bounds up to <see cref="SchemaLimits.MaxLengthBound"/>).
/// <c>\d</c>, <c>\w</c> and <c>\s</c> mean their ASCII characters, and a negated shorthand or a negated class holding
/// one is taken within printable ASCII, so the result matches under both ECMAScript and .NET regex rules; <c>.</c>
/// and other negated classes leave out control characters and line separators.
/// Anything else (backreferences, lookarounds, <c>\b</c>, <c>\p{...}</c>, flags, characters beyond the Basic
/// Multilingual Plane) is refused with keyword <c>pattern</c>.
/// </summary>
internal sealed class RegexSubset
{
    private static readonly CodePointSet Digits = CodePointSet.Of(('0', '9'));
    private static readonly CodePointSet Word = CodePointSet.Of(('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z'));
    private static readonly CodePointSet Space = CodePointSet.Of(('\t', '\r'), (' ', ' '));
    private static readonly (int Low, int High)[] PrintableAscii = [(0x20, 0x7E)];
    private static readonly CodePointSet LineBreaks = CodePointSet.Of((0x2028, 0x2029));

    /// <summary>What <c>.</c> and a negated class choose from: no control characters (a subset keeps the grammar small).</summary>
    private static readonly (int Low, int High)[] Visible = [(0x20, 0xD7FF), (0xE000, 0xFFFD)];

    private readonly string _pattern;
    private readonly string _path;
    private readonly GbnfRules _rules;
    private int _position;

    private RegexSubset(string pattern, string path, GbnfRules rules)
    {
        _pattern = pattern;
        _path = path;
        _rules = rules;
    }

    public static string Translate(string pattern, string path, GbnfRules rules)
    {
        if (pattern.Length > SchemaLimits.MaxPatternLength)
        {
            throw SchemaRejectedException.At(path, "pattern", $"pattern longer than {SchemaLimits.MaxPatternLength} characters is not supported.");
        }

        if (pattern.Any(char.IsSurrogate))
        {
            throw SchemaRejectedException.At(path, "pattern", "pattern characters beyond the Basic Multilingual Plane are not supported.");
        }

        var body = pattern;
        if (body.StartsWith('^'))
        {
            body = body[1..];
        }

        if (body.EndsWith('$') && !EndsWithEscape(body[..^1]))
        {
            body = body[..^1];
        }

        var parser = new RegexSubset(body, path, rules);
        var (expression, _) = parser.Alternation();
        return parser._position < body.Length ? throw parser.Refuse("unbalanced ')'") : expression;
    }

    /// <summary>The GBNF of the alternatives, and whether it can match the empty string.</summary>
    private (string Gbnf, bool Nullable) Alternation()
    {
        var branches = new List<(string Gbnf, bool Nullable)> { Sequence() };
        while (Peek('|'))
        {
            _position++;
            branches.Add(Sequence());
        }

        return branches.Count == 1
            ? branches[0]
            : ("(" + string.Join(" | ", branches.Select(b => b.Gbnf)) + ")", branches.Any(b => b.Nullable));
    }

    private (string Gbnf, bool Nullable) Sequence()
    {
        var items = new List<(string Gbnf, bool Nullable)>();
        while (_position < _pattern.Length && !Peek('|') && !Peek(')'))
        {
            items.Add(Quantified(Atom()));
        }

        return items.Count == 0 ? ("\"\"", true) : (string.Join(" ", items.Select(i => i.Gbnf)), items.All(i => i.Nullable));
    }

    private (string Gbnf, bool Nullable) Atom()
    {
        var c = _pattern[_position++];
        switch (c)
        {
            case '(':
                if (_pattern.AsSpan(_position).StartsWith("?:"))
                {
                    _position += 2;
                }
                else if (Peek('?'))
                {
                    throw Refuse("only (...) and (?:...) groups are supported");
                }

                var (inner, nullable) = Alternation();
                return Peek(')') ? Advance(("(" + inner + ")", nullable)) : throw Refuse("unclosed group");
            case '[':
                return (Class().ToJsonStringChar(), false);
            case '.':
                return (LineBreaks.Complement(Visible).ToJsonStringChar(), false);
            case '\\':
                return (Escape().ToJsonStringChar(), false);
            case '^' or '$':
                throw Refuse($"'{c}' is supported only at the start or end of the pattern");
            case '*' or '+' or '?' or '{' or '}' or ']' or ')':
                throw Refuse($"'{c}' has nothing to repeat or is unbalanced");
            default:
                return (CodePointSet.Of((c, c)).ToJsonStringChar(), false);
        }
    }

    private (string Gbnf, bool Nullable) Quantified((string Gbnf, bool Nullable) atom)
    {
        if (_position >= _pattern.Length)
        {
            return atom;
        }

        string quantifier;
        var next = _pattern[_position];
        if (next == '{')
        {
            quantifier = Bounds();
        }
        else if (next is '*' or '+' or '?')
        {
            quantifier = next.ToString();
            _position++;
        }
        else
        {
            return atom;
        }

        if (Peek('?'))
        {
            _position++; // lazy: the same set of whole-string matches
        }

        // llama.cpp turns an unbounded repetition into a recursive rule, which loops on an item that matches nothing.
        if (atom.Nullable && (quantifier is "*" or "+" || quantifier.EndsWith(",}", StringComparison.Ordinal)))
        {
            throw Refuse("an unbounded repetition of something that can match the empty string");
        }

        return (_rules.Repeat(atom.Gbnf, quantifier, "pattern"), atom.Nullable || quantifier is "*" or "?" || quantifier.StartsWith("{0", StringComparison.Ordinal));
    }

    private string Bounds()
    {
        var close = _pattern.IndexOf('}', _position);
        var parts = close < 0 ? [] : _pattern[(_position + 1)..close].Split(',');
        if (parts.Length is < 1 or > 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
            || (parts.Length == 2 && parts[1].Length > 0 && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw Refuse("'{' must start a quantifier {n}, {n,} or {n,m}");
        }

        int? max = parts.Length == 1 ? min : parts[1].Length == 0 ? null : int.Parse(parts[1], CultureInfo.InvariantCulture);
        if (min > SchemaLimits.MaxLengthBound || max > SchemaLimits.MaxLengthBound || max < min)
        {
            throw Refuse($"quantifier bounds must be ordered and at most {SchemaLimits.MaxLengthBound}");
        }

        _position = close + 1;
        return max is null ? $"{{{min},}}" : max == min ? $"{{{min}}}" : $"{{{min},{max}}}";
    }

    private CodePointSet Class()
    {
        var negated = Peek('^');
        if (negated)
        {
            _position++;
        }

        var set = new CodePointSet();
        var shorthand = false;
        var first = true;
        while (_position < _pattern.Length && (first || !Peek(']')))
        {
            first = false;
            int low;
            if (Peek('\\'))
            {
                _position++;
                shorthand |= _position < _pattern.Length && "dDwWsS".Contains(_pattern[_position], StringComparison.Ordinal);
                var escaped = Escape();
                if (escaped.Ranges is not [var single] || single.Low != single.High)
                {
                    set.AddAll(escaped);
                    continue;
                }

                low = single.Low;
            }
            else if (Peek('[') || Peek(']'))
            {
                throw Refuse("'[' and ']' inside a class must be escaped");
            }
            else
            {
                low = _pattern[_position++];
            }

            var high = low;
            if (Peek('-') && _position + 1 < _pattern.Length && _pattern[_position + 1] != ']')
            {
                _position++;
                high = Peek('\\') ? EscapedSingle() : _pattern[_position++];
                if (high < low)
                {
                    throw Refuse("a class range runs backwards");
                }
            }

            set.Add(low, high);
        }

        if (!Peek(']'))
        {
            throw Refuse("unclosed character class");
        }

        _position++;
        var result = negated ? set.Complement(shorthand ? PrintableAscii : Visible) : set.Bounded();
        return result.IsEmpty ? throw Refuse("a character class matches nothing") : result;
    }

    private int EscapedSingle()
    {
        _position++;
        var escaped = Escape();
        return escaped.Ranges is [var single] && single.Low == single.High ? single.Low : throw Refuse("a class range must end in one character");
    }

    private CodePointSet Escape()
    {
        if (_position >= _pattern.Length)
        {
            throw Refuse("the pattern ends in a backslash");
        }

        var c = _pattern[_position++];
        switch (c)
        {
            case 'd': return Digits;
            case 'w': return Word;
            case 's': return Space;
            case 'D': return Digits.Complement(PrintableAscii);
            case 'W': return Word.Complement(PrintableAscii);
            case 'S': return Space.Complement(PrintableAscii);
            case 't': return CodePointSet.Of(('\t', '\t'));
            case 'n': return CodePointSet.Of(('\n', '\n'));
            case 'r': return CodePointSet.Of(('\r', '\r'));
            case 'f': return CodePointSet.Of(('\f', '\f'));
            case 'v': return CodePointSet.Of(('\v', '\v'));
            case 'u' when _position + 4 <= _pattern.Length
                && int.TryParse(_pattern.AsSpan(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                && code is < 0xD800 or > 0xDFFF:
                _position += 4;
                return CodePointSet.Of((code, code));
            default:
                if (c is > ' ' and < (char)0x7F && !char.IsAsciiLetterOrDigit(c))
                {
                    return CodePointSet.Of((c, c));
                }

                throw Refuse($"the escape \\{c} is not supported");
        }
    }

    private bool Peek(char c) => _position < _pattern.Length && _pattern[_position] == c;

    private (string Gbnf, bool Nullable) Advance((string Gbnf, bool Nullable) result)
    {
        _position++;
        return result;
    }

    private static bool EndsWithEscape(string text)
    {
        var backslashes = text.Length - text.TrimEnd('\\').Length;
        return backslashes % 2 == 1;
    }

    private SchemaRejectedException Refuse(string reason) =>
        SchemaRejectedException.At(_path, "pattern", $"Unsupported pattern at character {_position}: {reason}.");
}
