using System.Globalization;

namespace EdgeLlm.Inference.Constraints;

/// <summary>Character classes and escapes of the pattern subset (see the other part of this class).</summary>
internal sealed partial class RegexSubset
{
    private static readonly CodePointSet Digits = CodePointSet.Of(('0', '9'));
    private static readonly CodePointSet Word = CodePointSet.Of(('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z'));
    private static readonly CodePointSet Space = CodePointSet.Of(('\t', '\r'), (' ', ' '));
    private static readonly (int Low, int High)[] PrintableAscii = [(0x20, 0x7E)];
    private static readonly CodePointSet LineBreaks = CodePointSet.Of((0x2028, 0x2029));

    /// <summary>What <c>.</c> and a negated class choose from: no control characters (a subset keeps the grammar small).</summary>
    private static readonly (int Low, int High)[] Visible = [(0x20, 0xD7FF), (0xE000, 0xFFFD)];

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
}
