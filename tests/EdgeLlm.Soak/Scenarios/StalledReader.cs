using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace EdgeLlm.Soak.Scenarios;

/// <summary>
/// One hostile client on a raw socket: it sends streaming requests (pipelined when more than one) and then never
/// reads, or reads one byte a second. It notes when the daemon cut it off: seen at once by the slow reader (end of
/// stream or reset); seen by the one that never reads as a socket that polls readable with nothing left to read (a
/// reset, or a close once the kernel buffers drained). Its receive buffer is 4 KiB, as a small client's is: with
/// loopback's auto-tuned megabytes a whole stories260K answer fits in the kernel's buffers, the daemon's writes never
/// wait, and there is no stall to see.
/// </summary>
internal sealed partial class StalledReader(string kind, Uri address, string key, string body, int requests, bool readsSlowly)
{
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(15);

    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
    private readonly MemoryStream _received = new();
    private readonly Stopwatch _since = new();

    public string Kind => kind;

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync(IPAddress.Loopback, address.Port, cancellationToken);
        var request = $"POST /v1/completions HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {key}\r\n"
            + $"Content-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(request, requests)));
        _since.Start();
        await _socket.SendAsync(bytes, cancellationToken);
    }

    /// <summary>Holds the connection for <paramref name="hold"/> (or until cut), then reads what is left and closes it.</summary>
    public async Task<StallOutcome> HoldAsync(TimeSpan hold, CancellationToken cancellationToken)
    {
        TimeSpan? cutAt = null;
        var buffer = new byte[1];
        while (_since.Elapsed < hold && cutAt is null && !cancellationToken.IsCancellationRequested)
        {
            if (readsSlowly)
            {
                cutAt = await ReadOneByteAsync(buffer, cancellationToken) ? null : _since.Elapsed;
            }
            else if (_socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0)
            {
                cutAt = _since.Elapsed;
            }

            await KeyFlood.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        var closed = await DrainAsync();
        _socket.Dispose();
        var text = Encoding.UTF8.GetString(_received.ToArray());
        var statuses = StatusLine().Matches(text).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return new StallOutcome(kind, requests, cutAt, closed, statuses, Count(text, "data: [DONE]"), Count(text, "\"error\":"), _received.Length);
    }

    private async Task<bool> ReadOneByteAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            var read = await _socket.ReceiveAsync(buffer, cancellationToken);
            _received.Write(buffer, 0, read);
            return read > 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Takes whatever the daemon still sends, until it has been quiet a moment or for <see cref="DrainLimit"/> at most
    /// (a generation the daemon never stopped may run on for minutes): the tail shows how each request ended.
    /// </summary>
    /// <returns>True when the daemon closed or reset the connection; false when it was still sending.</returns>
    private async Task<bool> DrainAsync()
    {
        var buffer = new byte[64 * 1024];
        using var limit = new CancellationTokenSource(DrainLimit);
        try
        {
            while (true)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
                quiet.CancelAfter(TimeSpan.FromSeconds(3));
                var read = await _socket.ReceiveAsync(buffer, quiet.Token);
                if (read == 0)
                {
                    return true;
                }

                _received.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [GeneratedRegex(@"HTTP/1\.1 (\d{3}) ")]
    private static partial Regex StatusLine();
}

/// <summary>
/// What became of one stalled connection: when the daemon cut it (null: not seen within the hold; a never-reading
/// client cannot see a close behind the bytes still in its buffer), whether the daemon had closed it by the drain, the
/// statuses it answered, how many of its streams ended with <c>[DONE]</c> or with an error event, and the bytes the soak took.
/// </summary>
internal sealed record StallOutcome(string Kind, int Requests, TimeSpan? CutAt, bool ClosedByDaemon, IReadOnlyList<int> Statuses, int Done, int ErrorEvents, long BytesRead);
