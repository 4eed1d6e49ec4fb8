namespace EdgeLlm.Inference.Gguf;

/// <summary>
/// The ggml tensor element types a GGUF file may name, by their on-disk id. Ids that ggml
/// retired (4, 5, 31–33, 36–38) are deliberately absent: llama.cpp refuses them too.
/// </summary>
internal enum GgmlType : uint
{
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    IQ2_XXS = 16,
    IQ2_XS = 17,
    IQ3_XXS = 18,
    IQ1_S = 19,
    IQ4_NL = 20,
    IQ3_S = 21,
    IQ2_S = 22,
    IQ4_XS = 23,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    IQ1_M = 29,
    BF16 = 30,
    TQ1_0 = 34,
    TQ2_0 = 35,
    MXFP4 = 39,
    NVFP4 = 40,
    Q1_0 = 41,
    Q2_0 = 42,
}

/// <summary>How many elements one block of a ggml type holds and how many bytes it takes.</summary>
internal readonly record struct GgmlTypeInfo(GgmlType Type, int BlockSize, int TypeSize)
{
    /// <summary>Bytes taken by <paramref name="elements"/> elements, which must fill whole blocks.</summary>
    /// <exception cref="OverflowException">The size does not fit a <see cref="long"/>.</exception>
    public long ByteSize(long elements) => checked(elements / BlockSize * TypeSize);
}

/// <summary>
/// The block layout of every ggml type. The numbers were read from the native library that
/// LLamaSharp 0.30.0 ships (llama.cpp b10221: <c>ggml_blck_size</c> / <c>ggml_type_size</c> for
/// every id) and agree with the public <c>GGML_QUANT_SIZES</c> table in gguf-py for ids 0–39.
/// </summary>
internal static class GgmlTypes
{
    private static readonly Dictionary<uint, GgmlTypeInfo> Table = new[]
    {
        Info(GgmlType.F32, 1, 4),
        Info(GgmlType.F16, 1, 2),
        Info(GgmlType.Q4_0, 32, 18),
        Info(GgmlType.Q4_1, 32, 20),
        Info(GgmlType.Q5_0, 32, 22),
        Info(GgmlType.Q5_1, 32, 24),
        Info(GgmlType.Q8_0, 32, 34),
        Info(GgmlType.Q8_1, 32, 36),
        Info(GgmlType.Q2_K, 256, 84),
        Info(GgmlType.Q3_K, 256, 110),
        Info(GgmlType.Q4_K, 256, 144),
        Info(GgmlType.Q5_K, 256, 176),
        Info(GgmlType.Q6_K, 256, 210),
        Info(GgmlType.Q8_K, 256, 292),
        Info(GgmlType.IQ2_XXS, 256, 66),
        Info(GgmlType.IQ2_XS, 256, 74),
        Info(GgmlType.IQ3_XXS, 256, 98),
        Info(GgmlType.IQ1_S, 256, 50),
        Info(GgmlType.IQ4_NL, 32, 18),
        Info(GgmlType.IQ3_S, 256, 110),
        Info(GgmlType.IQ2_S, 256, 82),
        Info(GgmlType.IQ4_XS, 256, 136),
        Info(GgmlType.I8, 1, 1),
        Info(GgmlType.I16, 1, 2),
        Info(GgmlType.I32, 1, 4),
        Info(GgmlType.I64, 1, 8),
        Info(GgmlType.F64, 1, 8),
        Info(GgmlType.IQ1_M, 256, 56),
        Info(GgmlType.BF16, 1, 2),
        Info(GgmlType.TQ1_0, 256, 54),
        Info(GgmlType.TQ2_0, 256, 66),
        Info(GgmlType.MXFP4, 32, 17),
        Info(GgmlType.NVFP4, 64, 36),
        Info(GgmlType.Q1_0, 128, 18),
        Info(GgmlType.Q2_0, 64, 18),
    }.ToDictionary(info => (uint)info.Type);

    public static bool TryGet(uint id, out GgmlTypeInfo info) => Table.TryGetValue(id, out info);

    public static GgmlTypeInfo Get(GgmlType type) => Table[(uint)type];

    private static GgmlTypeInfo Info(GgmlType type, int blockSize, int typeSize) => new(type, blockSize, typeSize);
}
