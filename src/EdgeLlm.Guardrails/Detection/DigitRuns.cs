using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeLlm.Guardrails.Detection;

/// <summary>
/// The runs of ASCII digits in a text, in order, found once by a vectorised scan: the phone, card and IBAN matchers all
/// start at one, and a corpus pass has ~58,000 of them, so a set of detectors shares one scan instead of one each.
/// The positions live in a pooled buffer, returned on <see cref="Dispose"/>.
/// </summary>
internal sealed class DigitRuns : IDisposable
{
    private int[] _bounds;

    private DigitRuns(int[] bounds, int count)
    {
        _bounds = bounds;
        Count = count;
    }

    /// <summary>How many runs the text has.</summary>
    public int Count { get; }

    /// <summary>Where run <paramref name="index"/> starts.</summary>
    public int Start(int index) => _bounds[2 * index];

    /// <summary>Where run <paramref name="index"/> ends (the first position after it).</summary>
    public int End(int index) => _bounds[2 * index + 1];

    /// <summary>
    /// The runs, found a vector of characters at a time: a compare gives a bit per digit, and a run starts or ends where
    /// a bit differs from the one before it (the ~116,000 transitions of a corpus pass cost less than a call each).
    /// </summary>
    public static DigitRuns Of(string text)
    {
        var bounds = ArrayPool<int>.Shared.Rent(Math.Max(64, text.Length / 4));
        var written = 0;
        var inRun = false;
        var at = 0;
        ref var chars = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text.AsSpan()));
        if (Vector256.IsHardwareAccelerated)
        {
            for (; at + Vector256<ushort>.Count <= text.Length; at += Vector256<ushort>.Count)
            {
                var digits = Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref chars, (nuint)at) - Vector256.Create((ushort)'0'), Vector256.Create((ushort)9));
                Transitions(digits.ExtractMostSignificantBits(), Vector256<ushort>.Count, at, ref inRun, ref bounds, ref written);
            }
        }

        for (; at + Vector128<ushort>.Count <= text.Length; at += Vector128<ushort>.Count)
        {
            var digits = Vector128.LessThanOrEqual(Vector128.LoadUnsafe(ref chars, (nuint)at) - Vector128.Create((ushort)'0'), Vector128.Create((ushort)9));
            Transitions(digits.ExtractMostSignificantBits(), Vector128<ushort>.Count, at, ref inRun, ref bounds, ref written);
        }

        for (; at < text.Length; at++)
        {
            if (char.IsAsciiDigit(text[at]) != inRun)
            {
                Add(ref bounds, ref written, at);
                inRun = !inRun;
            }
        }

        if (inRun)
        {
            Add(ref bounds, ref written, text.Length);
        }

        return new DigitRuns(bounds, written / 2);
    }

    /// <summary>Where the digit bits of <paramref name="width"/> characters from <paramref name="at"/> change, after a run or not.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transitions(uint mask, int width, int at, ref bool inRun, ref int[] bounds, ref int written)
    {
        var all = (1u << width) - 1;
        for (var changes = (mask ^ ((mask << 1) | (inRun ? 1u : 0u))) & all; changes != 0; changes &= changes - 1)
        {
            Add(ref bounds, ref written, at + BitOperations.TrailingZeroCount(changes));
        }

        inRun = (mask >> (width - 1)) != 0;
    }

    // Starts and ends alternate: a run's start, its end, the next run's start.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref int[] bounds, ref int written, int position)
    {
        if (written == bounds.Length)
        {
            Grow(ref bounds);
        }

        bounds[written++] = position;
    }

    private static void Grow(ref int[] bounds)
    {
        var larger = ArrayPool<int>.Shared.Rent(bounds.Length * 2);
        bounds.AsSpan().CopyTo(larger);
        ArrayPool<int>.Shared.Return(bounds);
        bounds = larger;
    }

    public void Dispose()
    {
        if (_bounds.Length > 0)
        {
            ArrayPool<int>.Shared.Return(_bounds);
            _bounds = [];
        }
    }
}
