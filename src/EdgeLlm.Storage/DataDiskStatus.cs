namespace EdgeLlm.Storage;

/// <summary>
/// Whether the data disk has room: its free and total bytes (read live), and since when writes failed because it
/// was full. Any part that meets a full disk reports it here; the state clears by itself once a write succeeds again
/// or the disk has <see cref="ResumeFreeBytes"/> free, so nothing needs a restart when space returns.
/// </summary>
public sealed class DataDiskStatus(string dataDirectory, TimeProvider time)
{
    /// <summary>Free space at which a disk that was full counts as having room again: 1 MiB.</summary>
    public const long ResumeFreeBytes = 1L << 20;

    private long _fullSinceTicks;

    /// <summary>A snapshot: free and total bytes of the disk holding the data directory (0 when it cannot be read), and since when it is full.</summary>
    public readonly record struct Snapshot(long FreeBytes, long TotalBytes, DateTimeOffset? FullSince);

    /// <summary>A write failed because the disk is full; the first report since the disk last had room sets the time.</summary>
    public void ReportFull() => Interlocked.CompareExchange(ref _fullSinceTicks, time.GetUtcNow().UtcTicks, 0);

    /// <summary>A write succeeded: the disk has room.</summary>
    public void ReportWritten() => Interlocked.Exchange(ref _fullSinceTicks, 0);

    public Snapshot Read()
    {
        var (free, total) = Space();
        if (free >= ResumeFreeBytes)
        {
            ReportWritten();
        }

        var ticks = Interlocked.Read(ref _fullSinceTicks);
        return new Snapshot(free, total, ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero));
    }

    private (long Free, long Total) Space()
    {
        try
        {
            // On Unix DriveInfo asks statvfs about the path itself, so this is the file system the data directory is on.
            var drive = new DriveInfo(dataDirectory);
            return (drive.AvailableFreeSpace, drive.TotalSize);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (0, 0);
        }
    }
}
