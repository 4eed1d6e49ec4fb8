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
internal sealed partial class RegexSubset
{
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
