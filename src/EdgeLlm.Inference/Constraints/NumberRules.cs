using System.Text.Json;

namespace EdgeLlm.Inference.Constraints;

/// <summary>
/// <c>integer</c> and <c>number</c> with <c>minimum</c>, <c>maximum</c>, <c>exclusiveMinimum</c> and
/// <c>exclusiveMaximum</c>. Integers get exact digit-range rules. Numbers take whole-number bounds only (a
/// fractional bound is refused): a bounded number is an integer of the range or k.f with 0 &lt; f &lt; 1 and both
/// k and k+1 inside the range. No exponents are generated.
/// </summary>
internal static class NumberRules
{
    private static readonly string[] BoundKeywords = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"];

    public static bool HasBounds(JsonElement schema) => BoundKeywords.Any(k => schema.TryGetProperty(k, out _));

    public static string Integer(JsonElement schema, string path, JsonPrimitives primitives)
    {
        if (!HasBounds(schema))
        {
            return primitives.Integer;
        }

        var (low, high) = IntegerBounds(schema, path, wholeOnly: false);
        if (low > high)
        {
            throw Refuse(schema, path, "No integer the grammar can write lies between the bounds.");
        }

        return "(" + IntegerRanges.Signed(low, high) + ")";
    }

    public static string Number(JsonElement schema, string path, JsonPrimitives primitives)
    {
        if (!HasBounds(schema))
        {
            return primitives.Number;
        }

        var (intLow, intHigh) = IntegerBounds(schema, path, wholeOnly: true);
        var (low, high) = RawBounds(schema, path);
        var alternatives = new List<string>();
        if (intLow <= intHigh)
        {
            alternatives.Add(IntegerRanges.Signed(intLow, intHigh));
        }

        // Positive k.f lies in (k, k+1): inside the range when low ≤ k and k + 1 ≤ high.
        var positiveLow = Math.Max(low, 0);
        var positiveHigh = high == IntegerRanges.Largest ? high : high - 1;
        if (positiveLow <= positiveHigh)
        {
            alternatives.Add("(" + IntegerRanges.Magnitudes(positiveLow, positiveHigh) + ") " + primitives.Fraction);
        }

        // -k.f lies in (-(k+1), -k): inside the range when low ≤ -(k+1) and -k ≤ high.
        var negativeLow = Math.Max(-high, 0);
        var negativeHigh = low == -IntegerRanges.Largest ? IntegerRanges.Largest : -low - 1;
        if (negativeLow <= negativeHigh)
        {
            alternatives.Add("\"-\" (" + IntegerRanges.Magnitudes(negativeLow, negativeHigh) + ") " + primitives.Fraction);
        }

        return alternatives.Count > 0
            ? "((" + string.Join(") | (", alternatives) + "))"
            : throw Refuse(schema, path, "No number lies between the bounds.");
    }

    /// <summary>The integers allowed: inclusive bounds rounded inwards, exclusive ones stepped past.</summary>
    private static (long Low, long High) IntegerBounds(JsonElement schema, string path, bool wholeOnly)
    {
        var low = -IntegerRanges.Largest;
        var high = IntegerRanges.Largest;
        if (Bound(schema, path, "minimum", wholeOnly) is { } minimum)
        {
            low = Math.Max(low, Clamp(Math.Ceiling(minimum)));
        }

        if (Bound(schema, path, "exclusiveMinimum", wholeOnly) is { } exclusiveMinimum)
        {
            low = Math.Max(low, Clamp(Math.Floor(exclusiveMinimum)) + 1);
        }

        if (Bound(schema, path, "maximum", wholeOnly) is { } maximum)
        {
            high = Math.Min(high, Clamp(Math.Floor(maximum)));
        }

        if (Bound(schema, path, "exclusiveMaximum", wholeOnly) is { } exclusiveMaximum)
        {
            high = Math.Min(high, Clamp(Math.Ceiling(exclusiveMaximum)) - 1);
        }

        return (low, high);
    }

    /// <summary>The range's ends, inclusive or not (a fraction never equals an end, so that makes no difference to it).</summary>
    private static (long Low, long High) RawBounds(JsonElement schema, string path)
    {
        var low = -IntegerRanges.Largest;
        var high = IntegerRanges.Largest;
        foreach (var keyword in (ReadOnlySpan<string>)["minimum", "exclusiveMinimum"])
        {
            if (Bound(schema, path, keyword, wholeOnly: true) is { } value)
            {
                low = Math.Max(low, Clamp(value));
            }
        }

        foreach (var keyword in (ReadOnlySpan<string>)["maximum", "exclusiveMaximum"])
        {
            if (Bound(schema, path, keyword, wholeOnly: true) is { } value)
            {
                high = Math.Min(high, Clamp(value));
            }
        }

        return (low, high);
    }

    private static decimal? Bound(JsonElement schema, string path, string keyword, bool wholeOnly)
    {
        if (!schema.TryGetProperty(keyword, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw SchemaRejectedException.At(path + "/" + keyword, keyword, $"{keyword} must be a number.");
        }

        // Beyond decimal's range (about 7.9e28) only the sign matters: the grammar never writes such magnitudes.
        var bound = value.TryGetDecimal(out var exact) ? exact : value.GetDouble() > 0 ? decimal.MaxValue : decimal.MinValue;
        return wholeOnly && bound != decimal.Truncate(bound)
            ? throw SchemaRejectedException.At(path + "/" + keyword, keyword, $"Only whole-number {keyword} bounds are supported for type number.")
            : bound;
    }

    private static long Clamp(decimal value) =>
        value > IntegerRanges.Largest ? IntegerRanges.Largest + 1 : value < -IntegerRanges.Largest ? -IntegerRanges.Largest - 1 : (long)value;

    private static SchemaRejectedException Refuse(JsonElement schema, string path, string message)
    {
        var keyword = BoundKeywords.First(k => schema.TryGetProperty(k, out _));
        return SchemaRejectedException.At(path + "/" + keyword, keyword, message);
    }
}
