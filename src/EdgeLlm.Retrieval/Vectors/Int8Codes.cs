using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLlm.Retrieval.Vectors;

/// <summary>
/// Scalar quantisation for the coarse scan: a unit vector becomes 8-bit codes and one scale of its own
/// (vector ≈ codes × scale), a quarter of the floats' bytes, and its dot product with a 16-bit query is an
/// integer sum that AVX2 does 16 dimensions at a time. The error it adds is far below the gap re-ranking
/// with the floats has to close.
/// </summary>
internal static class Int8Codes
{
    private const int MaxCode = sbyte.MaxValue;

    /// <summary>Encodes a vector into codes in [-127, 127]; returns the scale that turns them back into floats.</summary>
    public static float Encode(ReadOnlySpan<float> vector, Span<sbyte> codes) => EncodeInto(vector, codes, MaxCode);

    /// <summary>
    /// Encodes a query at 16-bit precision: as fine as it can be while a dot product with 8-bit codes
    /// (dimensions × 127 × the largest query code) still fits an int.
    /// </summary>
    public static float EncodeQuery(ReadOnlySpan<float> query, Span<short> codes) =>
        EncodeInto(query, codes, Math.Min(short.MaxValue, int.MaxValue / (MaxCode * query.Length)));

    /// <summary><paramref name="dots"/>[i] = the dot product of the i-th vector's codes with the query's codes.</summary>
    public static void DotAll(ReadOnlySpan<sbyte> codes, ReadOnlySpan<short> query, Span<int> dots)
    {
        if (Avx2.IsSupported && query.Length % Vector256<short>.Count == 0)
        {
            DotAllAvx2(codes, query, dots);
        }
        else if (Vector128.IsHardwareAccelerated && query.Length % Vector128<sbyte>.Count == 0)
        {
            DotAllVector128(codes, query, dots);
        }
        else
        {
            DotAllScalar(codes, query, dots);
        }
    }

    // Sign-extend 16 codes to shorts, multiply with 16 query shorts and add pairs into 8 ints (vpmaddwd).
    internal static void DotAllAvx2(ReadOnlySpan<sbyte> codes, ReadOnlySpan<short> query, Span<int> dots)
    {
        var dimensions = query.Length;
        ref var code = ref MemoryMarshal.GetReference(codes);
        ref var queryCode = ref MemoryMarshal.GetReference(query);
        for (var vector = 0; vector < dots.Length; vector++)
        {
            var offset = (nuint)(vector * dimensions);
            var even = Vector256<int>.Zero;
            var odd = Vector256<int>.Zero;
            var i = 0;
            for (; i + 32 <= dimensions; i += 32)
            {
                var low = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref code, offset + (nuint)i));
                var high = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref code, offset + (nuint)i + 16));
                even = Avx2.Add(even, Avx2.MultiplyAddAdjacent(low, Vector256.LoadUnsafe(ref queryCode, (nuint)i)));
                odd = Avx2.Add(odd, Avx2.MultiplyAddAdjacent(high, Vector256.LoadUnsafe(ref queryCode, (nuint)i + 16)));
            }

            if (i < dimensions)
            {
                var rest = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref code, offset + (nuint)i));
                even = Avx2.Add(even, Avx2.MultiplyAddAdjacent(rest, Vector256.LoadUnsafe(ref queryCode, (nuint)i)));
            }

            dots[vector] = Vector256.Sum(Avx2.Add(even, odd));
        }
    }

    // Portable SIMD (Arm's AdvSimd on a Jetson): widen to ints and multiply there.
    internal static void DotAllVector128(ReadOnlySpan<sbyte> codes, ReadOnlySpan<short> query, Span<int> dots)
    {
        var dimensions = query.Length;
        ref var code = ref MemoryMarshal.GetReference(codes);
        ref var queryCode = ref MemoryMarshal.GetReference(query);
        for (var vector = 0; vector < dots.Length; vector++)
        {
            var offset = (nuint)(vector * dimensions);
            var sum = Vector128<int>.Zero;
            for (var i = 0; i < dimensions; i += 16)
            {
                var (low, high) = Vector128.Widen(Vector128.LoadUnsafe(ref code, offset + (nuint)i));
                sum += MultiplyWidened(low, Vector128.LoadUnsafe(ref queryCode, (nuint)i));
                sum += MultiplyWidened(high, Vector128.LoadUnsafe(ref queryCode, (nuint)i + 8));
            }

            dots[vector] = Vector128.Sum(sum);
        }
    }

    internal static void DotAllScalar(ReadOnlySpan<sbyte> codes, ReadOnlySpan<short> query, Span<int> dots)
    {
        var dimensions = query.Length;
        for (var vector = 0; vector < dots.Length; vector++)
        {
            var vectorCodes = codes.Slice(vector * dimensions, dimensions);
            var sum = 0;
            for (var i = 0; i < dimensions; i++)
            {
                sum += vectorCodes[i] * query[i];
            }

            dots[vector] = sum;
        }
    }

    private static Vector128<int> MultiplyWidened(Vector128<short> a, Vector128<short> b)
    {
        var (aLow, aHigh) = Vector128.Widen(a);
        var (bLow, bHigh) = Vector128.Widen(b);
        return (aLow * bLow) + (aHigh * bHigh);
    }

    private static float EncodeInto<T>(ReadOnlySpan<float> vector, Span<T> codes, int maxCode)
        where T : unmanaged, IBinaryInteger<T>
    {
        var largest = TensorPrimitives.MaxMagnitude(vector);
        if (largest == 0)
        {
            codes.Clear();
            return 0;
        }

        var scale = Math.Abs(largest) / maxCode;
        var scaled = ArrayPool<float>.Shared.Rent(vector.Length);
        try
        {
            var span = scaled.AsSpan(0, vector.Length);
            TensorPrimitives.Divide(vector, scale, span);
            TensorPrimitives.Round(span, span);
            TensorPrimitives.ConvertSaturating(span, codes);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scaled);
        }

        return scale;
    }
}
