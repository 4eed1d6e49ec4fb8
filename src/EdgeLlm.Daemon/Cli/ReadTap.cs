namespace EdgeLlm.Daemon.Cli;

/// <summary>
/// A read-only pass-through stream that hands every chunk read from its source to <paramref name="onRead"/> (the
/// end of the source as an empty chunk): <c>edgellm import</c> copies a <c>.tar</c> while the tar reader reads it,
/// and counts the bytes of a large artifact for its progress bar, without a second read of a slow USB stick.
/// </summary>
internal sealed class ReadTap(Stream source, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> onRead, bool ownsSource) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = source.Read(buffer, offset, count);
        onRead(buffer.AsMemory(offset, read), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await source.ReadAsync(buffer, cancellationToken);
        await onRead(buffer[..read], cancellationToken);
        return read;
    }

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
        if (disposing && ownsSource)
        {
            source.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (ownsSource)
        {
            await source.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
