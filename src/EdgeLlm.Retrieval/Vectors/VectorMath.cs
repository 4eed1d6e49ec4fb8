using System.Numerics.Tensors;

namespace EdgeLlm.Retrieval.Vectors;

internal static class VectorMath
{
    /// <summary>
    /// Writes <paramref name="vector"/> scaled to unit length into <paramref name="destination"/>, or throws
    /// <see cref="ArgumentException"/> before writing anything when it cannot be a direction: wrong length,
    /// NaN or infinity, or all zeros.
    /// </summary>
    public static void Normalise(ReadOnlySpan<float> vector, Span<float> destination, string parameterName)
    {
        if (vector.Length != destination.Length)
        {
            throw new ArgumentException(
                $"The vector has {vector.Length} dimensions; this index holds {destination.Length}-dimensional vectors.", parameterName);
        }

        if (!TensorPrimitives.IsFiniteAll(vector))
        {
            throw new ArgumentException("The vector holds NaN or infinity.", parameterName);
        }

        // Dividing by the largest magnitude first keeps the sum of squares from overflowing (components near
        // 1e20) or vanishing into subnormals, so every finite non-zero vector has a direction.
        var largest = TensorPrimitives.MaxMagnitude(vector);
        if (largest == 0)
        {
            throw new ArgumentException("The vector is all zeros and has no direction to compare.", parameterName);
        }

        TensorPrimitives.Divide(vector, Math.Abs(largest), destination);
        TensorPrimitives.Divide(destination, TensorPrimitives.Norm(destination), destination);
    }

    /// <summary>Checks a search's arguments and returns its query as a unit vector.</summary>
    public static float[] UnitQuery(ReadOnlySpan<float> query, int k, int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var unit = new float[dimensions];
        Normalise(query, unit, nameof(query));
        return unit;
    }
}
