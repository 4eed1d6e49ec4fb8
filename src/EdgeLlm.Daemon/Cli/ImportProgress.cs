using System.Globalization;

namespace EdgeLlm.Daemon.Cli;

/// <summary>
/// The progress of <c>edgellm import</c> while it hashes and copies large artifacts: a bar redrawn in place on
/// stderr when stderr is a terminal; nothing at all otherwise (scripts and logs get the result line only).
/// </summary>
internal sealed class ImportProgress(TextWriter output, bool interactive)
{
    /// <summary>Artifacts smaller than this are copied in a blink; no bar for them.</summary>
    public const long LargeArtifactBytes = 32L << 20;

    private const int Width = 30;
    private bool _midLine;

    /// <summary><paramref name="source"/>, reporting what is read from it when it is large and there is a terminal to draw on.</summary>
    public Stream Track(Stream source, string name, long length)
    {
        if (!interactive || length < LargeArtifactBytes)
        {
            return source;
        }

        // Redrawn at every whole percent, and once more at the end.
        var step = Math.Max(1, length / 100);
        long read = 0;
        long drawn = -1;
        return new ReadTap(source, (chunk, _) =>
        {
            read += chunk.Length;
            if (read / step != drawn / step || (chunk.IsEmpty && drawn != read))
            {
                drawn = read;
                Draw(name, read, length);
            }

            return ValueTask.CompletedTask;
        }, ownsSource: true);
    }

    private void Draw(string name, long done, long total)
    {
        var filled = (int)(done * Width / total);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"\r{name} [{new string('#', filled)}{new string('.', Width - filled)}] {done * 100 / total,3}% {done >> 20}/{total >> 20} MiB");
        output.Write(line);
        _midLine = done < total;
        if (!_midLine)
        {
            output.WriteLine();
        }
    }

    /// <summary>Ends a bar left part-drawn (a copy refused or broken off), so the next message starts on its own line.</summary>
    public void Interrupted()
    {
        if (_midLine)
        {
            output.WriteLine();
            _midLine = false;
        }
    }
}
