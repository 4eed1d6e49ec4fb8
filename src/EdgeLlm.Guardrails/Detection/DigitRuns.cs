using System.Buffers;

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

    public static DigitRuns Of(string text)
    {
        var bounds = ArrayPool<int>.Shared.Rent(256);
        var count = 0;
        for (var start = CharacterAt.NextDigit(text, 0); start >= 0;)
        {
            var end = CharacterAt.DigitRunEnd(text, start);
            if (2 * count + 2 > bounds.Length)
            {
                var larger = ArrayPool<int>.Shared.Rent(bounds.Length * 2);
                bounds.AsSpan(0, 2 * count).CopyTo(larger);
                ArrayPool<int>.Shared.Return(bounds);
                bounds = larger;
            }

            bounds[2 * count] = start;
            bounds[2 * count + 1] = end;
            count++;
            start = CharacterAt.NextDigit(text, end);
        }

        return new DigitRuns(bounds, count);
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
