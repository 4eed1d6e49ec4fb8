using EdgeLlm.Soak.Traffic;

namespace EdgeLlm.Soak;

/// <summary>
/// Watches that the daemon still runs. If it exits, the traffic stops at once (everything after would only count
/// refused connections) and the report says when, with what code, and the last lines it printed.
/// </summary>
internal sealed class DaemonWatch(SoakDaemon daemon, SoakClock clock, CancellationTokenSource traffic)
{
    private const int KeptLines = 8;
    private const int KeptLineCharacters = 400;

    public DaemonExit? Exit { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!daemon.IsRunning)
            {
                var code = await daemon.Process.WaitForExitAsync(TimeSpan.FromSeconds(10));
                var lines = daemon.Process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .TakeLast(KeptLines).Select(l => l.Length <= KeptLineCharacters ? l : l[..KeptLineCharacters] + "…").ToList();
                Exit = new DaemonExit(clock.Now, code, lines);
                Console.WriteLine($"soak: {clock.Now:mm\\:ss} THE DAEMON EXITED (code {code}); stopping the traffic");
                await traffic.CancelAsync();
                return;
            }

            await Scenarios.KeyFlood.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }
}

/// <summary>The daemon's death during the soak: when, its exit code, and the last lines of its output.</summary>
internal sealed record DaemonExit(TimeSpan At, int Code, IReadOnlyList<string> LastLines);

internal static class LoadAverage
{
    /// <summary>The 1, 5 and 15 minute load averages, as <c>/proc/loadavg</c> gives them.</summary>
    public static string Read() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
