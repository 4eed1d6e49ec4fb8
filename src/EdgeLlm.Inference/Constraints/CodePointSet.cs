namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// A set of characters of a JSON string's decoded value, as sorted disjoint inclusive ranges, limited to the
/// Basic Multilingual Plane without surrogates: there a character is one code point and one UTF-16 unit, so a
/// regex engine counting either agrees with the grammar.
/// </summary>
internal sealed class CodePointSet
{
    /// <summary>Every character a generated string may hold.</summary>
    public static readonly IReadOnlyList<(int Low, int High)> Universe = [(0x00, 0xD7FF), (0xE000, 0xFFFD)];

    private readonly List<(int Low, int High)> _ranges = [];

    public IReadOnlyList<(int Low, int High)> Ranges => _ranges;

    public bool IsEmpty => _ranges.Count == 0;

    public static CodePointSet Of(params (int Low, int High)[] ranges)
    {
        var set = new CodePointSet();
        foreach (var (low, high) in ranges)
        {
            set.Add(low, high);
        }

        return set;
    }

    public void Add(int low, int high)
    {
        _ranges.Add((Math.Min(low, high), Math.Max(low, high)));
        Normalize();
    }

    public void AddAll(CodePointSet other)
    {
        _ranges.AddRange(other._ranges);
        Normalize();
    }

    /// <summary>The characters of <paramref name="within"/> not in this set.</summary>
    public CodePointSet Complement(IReadOnlyList<(int Low, int High)> within)
    {
        var result = new CodePointSet();
        foreach (var (low, high) in within)
        {
            var next = low;
            foreach (var (l, h) in _ranges)
            {
                if (h < next || l > high)
                {
                    continue;
                }

                if (l > next)
                {
                    result._ranges.Add((next, l - 1));
                }

                next = Math.Max(next, h + 1);
            }

            if (next <= high)
            {
                result._ranges.Add((next, high));
            }
        }

        result.Normalize();
        return result;
    }

    /// <summary>This set limited to <see cref="Universe"/>.</summary>
    public CodePointSet Bounded() => Complement(Universe).Complement(Universe);

    /// <summary>
    /// A GBNF expression for one character of the set as it is written inside a JSON string: raw where JSON allows,
    /// otherwise as its escape. The set must not be empty within <see cref="Universe"/>.
    /// </summary>
    public string ToJsonStringChar()
    {
        var bounded = Bounded();
        var raw = Of((0x00, 0x1F), ('"', '"'), ('\\', '\\')).Complement(bounded._ranges);
        var alternatives = new List<string>();
        if (!raw.IsEmpty)
        {
            alternatives.Add(GbnfText.CharClass(raw._ranges));
        }

        foreach (var (low, high) in bounded._ranges)
        {
            for (var c = low; c <= Math.Min(high, 0x1F); c++)
            {
                alternatives.Add(GbnfText.Literal(GbnfText.JsonString(((char)c).ToString())[1..^1]));
            }

            foreach (var special in (ReadOnlySpan<int>)['"', '\\'])
            {
                if (special >= low && special <= high)
                {
                    alternatives.Add(GbnfText.Literal("\\" + (char)special));
                }
            }
        }

        return alternatives.Count == 1 ? alternatives[0] : "(" + string.Join(" | ", alternatives) + ")";
    }

    private void Normalize()
    {
        _ranges.Sort((a, b) => a.Low.CompareTo(b.Low));
        var merged = new List<(int Low, int High)>(_ranges.Count);
        foreach (var range in _ranges)
        {
            if (merged.Count > 0 && range.Low <= merged[^1].High + 1)
            {
                merged[^1] = (merged[^1].Low, Math.Max(merged[^1].High, range.High));
            }
            else
            {
                merged.Add(range);
            }
        }

        _ranges.Clear();
        _ranges.AddRange(merged);
    }
}
