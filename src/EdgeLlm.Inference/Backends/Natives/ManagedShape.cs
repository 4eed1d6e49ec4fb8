using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeLlm.Inference.Backends.Natives;

/// <summary>How a managed parameter, return or field is handed to native code, in the terms a <c>llama.abi</c> uses.</summary>
internal enum ManagedKind
{
    Integer,
    Float,
    Bool,

    /// <summary><c>nint</c>/<c>nuint</c>: used by LLamaSharp both for pointers and for <c>size_t</c>.</summary>
    PointerSized,
    Pointer,
    Struct,
    FixedBuffer,
    Void,
}

/// <summary>A managed type as the marshaller lays it out: kind, size in bytes, and the struct type for a struct by value.</summary>
internal sealed record ManagedShape(ManagedKind Kind, int Size, Type? Struct, string Description)
{
    public static ManagedShape Of(ParameterInfo parameter) => Of(parameter.ParameterType, parameter.GetCustomAttribute<MarshalAsAttribute>(), null);

    public static ManagedShape Of(FieldInfo field) =>
        Of(field.FieldType, field.GetCustomAttribute<MarshalAsAttribute>(), field.GetCustomAttribute<FixedBufferAttribute>());

    private static ManagedShape Of(Type type, MarshalAsAttribute? marshalAs, FixedBufferAttribute? fixedBuffer)
    {
        var name = type.Name;
        if (fixedBuffer is not null)
        {
            return new ManagedShape(ManagedKind.FixedBuffer, Marshal.SizeOf(fixedBuffer.ElementType) * fixedBuffer.Length, null, $"fixed {fixedBuffer.ElementType.Name}[{fixedBuffer.Length}]");
        }

        if (type == typeof(void))
        {
            return new ManagedShape(ManagedKind.Void, 0, null, "void");
        }

        if (type.IsByRef || type.IsPointer || type.IsArray || type.IsFunctionPointer || !type.IsValueType)
        {
            // Pointers, refs, arrays, strings, StringBuilders, delegates and SafeHandles all reach C as one pointer.
            return new ManagedShape(ManagedKind.Pointer, IntPtr.Size, null, name);
        }

        if (type == typeof(bool))
        {
            // Without MarshalAs(I1/U1) the marshaller passes a 4-byte Win32 BOOL, whatever C's _Bool is.
            var size = marshalAs?.Value is UnmanagedType.I1 or UnmanagedType.U1 ? 1 : 4;
            return new ManagedShape(ManagedKind.Bool, size, null, $"bool/{size}");
        }

        if (type == typeof(nint) || type == typeof(nuint))
        {
            return new ManagedShape(ManagedKind.PointerSized, IntPtr.Size, null, name);
        }

        if (type.IsEnum)
        {
            return new ManagedShape(ManagedKind.Integer, Marshal.SizeOf(Enum.GetUnderlyingType(type)), null, $"enum {name}");
        }

        if (type == typeof(float) || type == typeof(double))
        {
            return new ManagedShape(ManagedKind.Float, type == typeof(float) ? 4 : 8, null, name);
        }

        if (type.IsPrimitive)
        {
            return new ManagedShape(ManagedKind.Integer, type == typeof(char) ? 2 : Marshal.SizeOf(type), null, name);
        }

        return new ManagedShape(ManagedKind.Struct, Marshal.SizeOf(type), type, $"struct {name}");
    }

    public override string ToString() => Description + (Kind is ManagedKind.Struct or ManagedKind.FixedBuffer ? $" ({Size} bytes)" : "");
}
