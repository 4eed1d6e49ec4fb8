using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace EdgeLlm.Inference.Gguf;

/// <summary>
/// One metadata value of a validated GGUF file. Scalars keep their value; arrays keep only
/// their element type and length, so a 256K-entry vocabulary costs nothing to summarise.
/// </summary>
public sealed class GgufMetadataValue
{
    private GgufMetadataValue(GgufValueType type, object? value, GgufValueType? elementType, long arrayLength)
    {
        Type = type;
        Value = value;
        ElementType = elementType;
        ArrayLength = arrayLength;
    }

    /// <summary>The value's type as written in the file.</summary>
    public GgufValueType Type { get; }

    /// <summary>
    /// The scalar as its natural CLR type (<see cref="byte"/>, <see cref="sbyte"/>, <see cref="ushort"/>,
    /// <see cref="short"/>, <see cref="uint"/>, <see cref="int"/>, <see cref="float"/>, <see cref="bool"/>,
    /// <see cref="string"/>, <see cref="ulong"/>, <see cref="long"/> or <see cref="double"/>); null for arrays.
    /// </summary>
    public object? Value { get; }

    /// <summary>For arrays, the type of the elements; otherwise null.</summary>
    public GgufValueType? ElementType { get; }

    /// <summary>For arrays, the number of elements; otherwise 0.</summary>
    public long ArrayLength { get; }

    /// <summary>Whether this is an array (only its length and element type are kept).</summary>
    public bool IsArray => Type == GgufValueType.Array;

    /// <summary>Gets an integer value of any width that fits a <see cref="long"/>.</summary>
    public bool TryGetInt64(out long value)
    {
        switch (Value)
        {
            case byte v: value = v; return true;
            case sbyte v: value = v; return true;
            case ushort v: value = v; return true;
            case short v: value = v; return true;
            case uint v: value = v; return true;
            case int v: value = v; return true;
            case long v: value = v; return true;
            case ulong v when v <= long.MaxValue: value = (long)v; return true;
            default: value = 0; return false;
        }
    }

    /// <summary>Gets any numeric value (integer or float) as a <see cref="double"/>.</summary>
    public bool TryGetDouble(out double value)
    {
        switch (Value)
        {
            case float v: value = v; return true;
            case double v: value = v; return true;
            case ulong v: value = v; return true;
            default:
                var isInteger = TryGetInt64(out var integer);
                value = integer;
                return isInteger;
        }
    }

    /// <summary>Gets a string value.</summary>
    public bool TryGetString([NotNullWhen(true)] out string? value)
    {
        value = Value as string;
        return value is not null;
    }

    /// <summary>Gets a boolean value.</summary>
    public bool TryGetBoolean(out bool value)
    {
        var isBool = Value is bool;
        value = isBool && (bool)Value!;
        return isBool;
    }

    /// <inheritdoc />
    public override string ToString() => IsArray
        ? string.Create(CultureInfo.InvariantCulture, $"{ElementType}[{ArrayLength}]")
        : Convert.ToString(Value, CultureInfo.InvariantCulture) ?? string.Empty;

    internal static GgufMetadataValue Scalar(GgufValueType type, object value) => new(type, value, null, 0);

    internal static GgufMetadataValue Array(GgufValueType elementType, long length) => new(GgufValueType.Array, null, elementType, length);
}
