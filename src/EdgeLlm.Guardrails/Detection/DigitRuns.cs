using System.Buffers;
using System.Numerics;
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
    /// The runs, found eight characters at a time: a vector compare gives a bit per digit, and a run starts or ends
    /// where a bit differs from the one before it (the ~116,000 transitions of a corpus pass cost less than a call each).
    /// </summary>
    public static DigitRuns Of(string text)
    {
        var chars = MemoryMarshal.Cast<char, ushort>(text.AsSpan());
        var bounds = ArrayPool<int>.Shared.Rent(Math.Max(64, text.Length / 4));
        var written = 0;
        var inRun = false;
        var at = 0;
        for (; at + Vector128<ushort>.Count <= chars.Length; at += Vector128<ushort>.Count)
        {
            var digits = Vector128.LessThanOrEqual(Vector128.Create(chars[at..]) - Vector128.Create((ushort)'0'), Vector128.Create((ushort)9));
            var mask = digits.ExtractMostSignificantBits();
            for (var changes = (mask ^ ((mask << 1) | (inRun ? 1u : 0u))) & 0xFF; changes != 0; changes &= changes - 1)
            {
                Add(ref bounds, ref written, at + BitOperations.TrailingZeroCount(changes));
            }

            inRun = (mask & 0x80) != 0;
        }

        for (; at < chars.Length; at++)
        {
            if (char.IsAsciiDigit(text[at]) != inRun)
            {
                Add(ref bounds, ref written, at);
                inRun = !inRun;
            }
        }

        if (inRun)
        {
            Add(ref bounds, ref written, chars.Length);
        }

        return new DigitRuns(bounds, written / 2);
    }

    // Starts and ends alternate: a run's start, its end, the next run's start.
    private static void Add(ref int[] bounds, ref int written, int position)
    {
        if (written == bounds.Length)
        {
            var larger = ArrayPool<int>.Shared.Rent(bounds.Length * 2);
            bounds.AsSpan().CopyTo(larger);
            ArrayPool<int>.Shared.Return(bounds);
            bounds = larger;
        }

        bounds[written++] = position;
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
