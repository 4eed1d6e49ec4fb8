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
    public Stream Track(Stream source, string name, long length) =>
        interactive && length >= LargeArtifactBytes ? new CountingStream(source, read => Draw(name, read, length)) : source;

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

    /// <summary>Reports the bytes read so far at every whole percent of the length.</summary>
    private sealed class CountingStream(Stream inner, Action<long> report) : Stream
    {
        private long _read;
        private long _reported = -1;
        private readonly long _step = Math.Max(1, inner.CanSeek ? inner.Length / 100 : 1 << 20);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Counted(int read)
        {
            _read += read;
            if (_read / _step != _reported / _step || (read == 0 && _reported != _read))
            {
                _reported = _read;
                report(_read);
            }

            return read;
        }
    }
}
