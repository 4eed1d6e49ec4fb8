using System.Text;

namespace EdgeLlm.Inference.Scheduling;

/// <summary>
/// Finds stop sequences in streamed text. Text that could still become a stop sequence is held back,
/// so a client never sees the start of a stop string that later completes.
/// </summary>
internal sealed class StopSequenceMatcher(IReadOnlyList<string> stops)
{
    private readonly StringBuilder _pending = new();

    public bool Stopped { get; private set; }

    /// <summary>Adds generated text; returns the text that is now safe to emit.</summary>
    public string Append(string text)
    {
        if (Stopped)
        {
            return "";
        }

        if (stops.Count == 0)
        {
            return text;
        }

        _pending.Append(text);
        var buffer = _pending.ToString();
        var stopAt = -1;
        foreach (var stop in stops)
        {
            var index = buffer.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (stopAt < 0 || index < stopAt))
            {
                stopAt = index;
            }
        }

        if (stopAt >= 0)
        {
            Stopped = true;
            _pending.Clear();
            return buffer[..stopAt];
        }

        var hold = LongestHeldSuffix(buffer);
        _pending.Clear().Append(buffer, buffer.Length - hold, hold);
        return buffer[..^hold];
    }

    /// <summary>The held-back text, once generation ended without a stop sequence.</summary>
    public string Flush()
    {
        var rest = Stopped ? "" : _pending.ToString();
        _pending.Clear();
        return rest;
    }

    private int LongestHeldSuffix(string buffer)
    {
        var best = 0;
        foreach (var stop in stops)
        {
            for (var length = Math.Min(stop.Length - 1, buffer.Length); length > best; length--)
            {
                if (buffer.AsSpan(buffer.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    best = length;
                    break;
                }
            }
        }

        return best;
    }
}
