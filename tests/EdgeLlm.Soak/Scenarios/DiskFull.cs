using System.Collections.Concurrent;
using EdgeLlm.Soak.Traffic;
using Microsoft.Win32.SafeHandles;

namespace EdgeLlm.Soak.Scenarios;

/// <summary>
/// The disk-full episode: a filler file takes every free byte of the data directory's tmpfs for a while, during which
/// key A keeps uploading (expected: 507 <c>insufficient_storage</c>) and every other part of the soak keeps generating;
/// then the filler goes and the recovery is timed: the first upload accepted, its ingest job succeeding, and the first
/// stream of key B (inference should never have stopped, so that one is the time a stream takes).
/// </summary>
internal sealed class DiskFull(SoakHttp http, SoakClock clock, string key, string keyB, string collection, string dataDirectory)
{
    private static readonly TimeSpan UploadEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromMinutes(3);
    private static readonly string Document = string.Concat(Enumerable.Repeat("The little robot walked to the market and bought a red apple. ", 40));

    private readonly ConcurrentDictionary<int, long> _uploadsWhileFull = new();
    private readonly List<RecoveryTime> _recoveries = [];

    public long FillerBytes { get; private set; }

    public int? UploadBeforeStatus { get; private set; }

    /// <summary>The statuses of the uploads sent while the disk was full (0: no answer).</summary>
    public IReadOnlyDictionary<int, long> UploadsWhileFull => _uploadsWhileFull;

    public IReadOnlyList<RecoveryTime> Recoveries => _recoveries;

    public async Task RunAsync(Timeline timeline, CancellationToken cancellationToken)
    {
        await KeyFlood.Delay(timeline.DiskFullStart - clock.Now, cancellationToken);
        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        UploadBeforeStatus = (await http.UploadAsync(key, collection, Document, cancellationToken)).Status;
        var filler = Path.Combine(dataDirectory, "soak-filler");
        try
        {
            FillerBytes = Fill(filler);
            while (clock.Now < timeline.DiskFullEnd && !cancellationToken.IsCancellationRequested)
            {
                var (status, _) = await http.UploadAsync(key, collection, Document, cancellationToken);
                _uploadsWhileFull.AddOrUpdate(status ?? 0, 1, (_, n) => n + 1);
                await KeyFlood.Delay(UploadEvery, cancellationToken);
            }
        }
        finally
        {
            File.Delete(filler);
        }

        // Both timed from the moment the space returned, side by side.
        string? job = null;
        var uploading = Recovery.TimeUntilAsync(
            async ct =>
            {
                var (status, id) = await http.UploadAsync(key, collection, Document, ct);
                job = id;
                return status is >= 200 and < 300;
            },
            RecoveryLimit,
            cancellationToken);
        var streaming = Recovery.TimeUntilAsync(
            async ct => (await http.StreamAsync(keyB, "Lily liked", KeyFlood.KeyBTokens, ct)).Succeeded, RecoveryLimit, cancellationToken);
        var accepted = await uploading;
        Record("key B stream", await streaming, cancellationToken);
        Record("upload accepted", accepted, cancellationToken);
        var succeeded = accepted is not null && job is not null
            ? await Recovery.TimeUntilAsync(async ct => await http.JobStatusAsync(key, collection, job, ct) == "succeeded", RecoveryLimit, cancellationToken)
            : null;
        Record("ingest job succeeded", succeeded + accepted, cancellationToken);
    }

    /// <summary>A recovery, or its absence: "never" within the limit, or "not yet" when the soak's end came first.</summary>
    private void Record(string firstSuccess, TimeSpan? elapsed, CancellationToken cancellationToken) =>
        _recoveries.Add(new RecoveryTime("disk full", firstSuccess, elapsed, CutByEnd: elapsed is null && cancellationToken.IsCancellationRequested));

    /// <summary>Writes until the filesystem refuses (ENOSPC), in ever smaller pieces so not even a page is left.</summary>
    private static long Fill(string path)
    {
        using SafeFileHandle file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
        var buffer = new byte[1 << 20];
        Array.Fill(buffer, (byte)'x');
        long written = 0;
        for (var piece = buffer.Length; piece >= 4096; piece /= 4)
        {
            try
            {
                while (true)
                {
                    RandomAccess.Write(file, buffer.AsSpan(0, piece), written);
                    written += piece;
                }
            }
            catch (IOException)
            {
                // Full at this piece size: try a smaller one.
            }
        }

        return written;
    }
}
