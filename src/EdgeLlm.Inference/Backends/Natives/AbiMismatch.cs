namespace EdgeLlm.Inference.Backends.Natives;

/// <summary>What the managed side and the C side disagree about.</summary>
internal enum AbiDifference
{
    /// <summary>A LLamaSharp struct has no entry in the managed-to-C name table.</summary>
    StructNotMapped,

    /// <summary>The C headers describe no struct of the mapped name.</summary>
    StructMissing,

    /// <summary>The struct's total size differs.</summary>
    SizeDiffers,

    /// <summary>A C field (or union) has no managed field at its offset.</summary>
    FieldMissing,

    /// <summary>Fields at the same offset have different sizes.</summary>
    FieldSizeDiffers,

    /// <summary>Fields at the same offset have incompatible kinds (an int where C has a pointer, …).</summary>
    FieldKindDiffers,

    /// <summary>A managed field overlaps C fields at another offset.</summary>
    FieldOverlaps,

    /// <summary>A managed struct that stands for a C scalar or opaque type is not shaped like one.</summary>
    WrapperInvalid,

    /// <summary>The C headers declare no function of the imported name.</summary>
    FunctionMissing,

    /// <summary>The number of parameters differs.</summary>
    ParameterCountDiffers,

    /// <summary>A parameter's kind or size differs.</summary>
    ParameterDiffers,

    /// <summary>The return type's kind or size differs.</summary>
    ReturnDiffers,
}

/// <summary>Whether a mismatch concerns a struct's layout or a function's signature.</summary>
internal enum AbiSubject
{
    Struct,
    Function,
}

/// <summary>
/// One disagreement between LLamaSharp's view of llama.cpp and an ABI description.
/// </summary>
/// <param name="Subject">A struct or a function.</param>
/// <param name="Name">The C name (or, for an unmapped struct, the managed name).</param>
/// <param name="Member">The field, <c>parameter N</c> (1-based), <c>return</c>, or <c>size</c>; null for the whole struct or function.</param>
/// <param name="Difference">What differs.</param>
/// <param name="Detail">Both sides in words, for an operator.</param>
internal sealed record AbiMismatch(AbiSubject Subject, string Name, string? Member, AbiDifference Difference, string Detail)
{
    public override string ToString() =>
        $"{Subject.ToString().ToLowerInvariant()} {Name}{(Member is null ? "" : " " + Member)}: {Detail}";
}
