using System.Net.Sockets;
using EdgeLlm.Soak.Traffic;

namespace EdgeLlm.Soak;

/// <summary>
/// Watches that the daemon still runs and still accepts connections. When it exits, or refuses connections for
/// <see cref="RefusedLimit"/> checks in a row (a host that is stopping closes its listener long before the process
/// ends), the traffic stops at once, since everything after would only count refused connections; the report says
/// when, why, the exit code, and the last lines the daemon printed.
/// </summary>
internal sealed class DaemonWatch(SoakDaemon daemon, string logDirectory, SoakClock clock, CancellationTokenSource traffic)
{
    private const int RefusedLimit = 3;
    private const int KeptLines = 8;
    private const int KeptLineCharacters = 400;
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(500);

    public DaemonDown? Down { get; private set; }

    /// <summary>Set the moment the daemon is seen down, before the traffic is stopped (<see cref="Down"/> comes once it exited).</summary>
    public bool SeenDown { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = daemon.Process.Address, Timeout = TimeSpan.FromSeconds(10) };
        var refused = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            refused = await RefusesAsync(http, cancellationToken) ? refused + 1 : 0;
            if (!daemon.IsRunning || refused >= RefusedLimit)
            {
                var at = clock.Now;
                var why = daemon.IsRunning ? "stopped accepting connections" : "exited";
                Console.WriteLine($"soak: {at:mm\\:ss} THE DAEMON {why.ToUpperInvariant()}; stopping the traffic");
                SeenDown = true;
                await traffic.CancelAsync();
                int? code = null;
                try
                {
                    code = await daemon.Process.WaitForExitAsync(TimeSpan.FromMinutes(1));
                }
                catch (OperationCanceledException)
                {
                    // Still running a minute later: no exit code to give.
                }

                Down = new DaemonDown(at, why, code, LastLines());
                return;
            }

            await Scenarios.KeyFlood.Delay(Every, cancellationToken);
        }
    }

    /// <summary>The end of the daemon's newest log file (its own record of what went wrong), else of what it printed.</summary>
    private List<string> LastLines()
    {
        var log = new DirectoryInfo(logDirectory).EnumerateFiles("edgellm-*.json").MaxBy(f => f.LastWriteTimeUtc);
        string text;
        if (log is null)
        {
            text = daemon.Process.Output;
        }
        else
        {
            using var reader = new StreamReader(new FileStream(log.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            text = reader.ReadToEnd();
        }

        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .TakeLast(KeptLines).Select(l => l.Length <= KeptLineCharacters ? l : l[..KeptLineCharacters] + "…").ToList();
    }

    private static async Task<bool> RefusesAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("healthz", UriKind.Relative), cancellationToken);
            return false;
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // Slow or reset under load is not "down"; the soak's end is not either.
            return false;
        }
    }
}

/// <summary>The daemon going down during the soak: when, how, its exit code (null: still running a minute later), its last lines.</summary>
internal sealed record DaemonDown(TimeSpan At, string Why, int? Code, IReadOnlyList<string> LastLines);

internal static class LoadAverage
{
    /// <summary>The 1, 5 and 15 minute load averages, as <c>/proc/loadavg</c> gives them.</summary>
    public static string Read() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
