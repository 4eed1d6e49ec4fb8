namespace EdgeLlm.Inference.Backends.Natives;

/// <summary>
/// The C side of llama.cpp's interface as a <c>llama.abi</c> file describes it (generated from the headers of the
/// source the natives were built from): every struct's layout and every function's signature.
/// </summary>
internal sealed record AbiDescription(IReadOnlyDictionary<string, AbiStruct> Structs, IReadOnlyDictionary<string, AbiFunction> Functions);

/// <summary>A C struct: its size, alignment and fields in declaration order (union members share an offset).</summary>
internal sealed record AbiStruct(string Name, int Size, int Align, IReadOnlyList<AbiField> Fields);

/// <summary>One field of a C struct, with its offset and type in bytes.</summary>
internal sealed record AbiField(string Name, int Offset, AbiType Type);

/// <summary>A C function: return type and parameter types in order.</summary>
internal sealed record AbiFunction(string Name, AbiType Return, IReadOnlyList<AbiType> Parameters);

/// <summary>The kinds a <c>llama.abi</c> file distinguishes.</summary>
internal enum AbiKind
{
    /// <summary>Any signed or unsigned integer or enum, char included.</summary>
    Int,

    /// <summary>float or double (the size tells).</summary>
    Float,

    /// <summary>C <c>_Bool</c>, one byte.</summary>
    Bool,

    /// <summary>Any data or function pointer.</summary>
    Ptr,

    /// <summary>A struct passed or held by value (<see cref="AbiType.StructName"/> names it).</summary>
    Struct,

    /// <summary>A fixed array inside a struct; the size is the whole array.</summary>
    Array,

    /// <summary>No value (a function's <c>void</c> return).</summary>
    Void,
}

/// <summary>A type as <c>llama.abi</c> writes it: <c>kind/size</c>, or <c>struct:name/size</c>.</summary>
internal sealed record AbiType(AbiKind Kind, int Size, string? StructName = null)
{
    public override string ToString() => (Kind == AbiKind.Struct ? "struct:" + StructName : Kind.ToString().ToLowerInvariant()) + "/" + Size;
}
