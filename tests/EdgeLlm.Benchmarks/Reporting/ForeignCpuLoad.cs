using System.Diagnostics;
using System.Globalization;

namespace EdgeLlm.Benchmarks.Reporting;

/// <summary>
/// CPU time that processes other than the benchmark (and its daemon) used while a phase ran, read from
/// /proc. On a small machine any other load skews the ratios, so the report says how much there was.
/// </summary>
internal sealed class ForeignCpuLoad
{
    /// <summary>Share of the CPUs used by others below which the machine counts as quiet enough to measure.</summary>
    public const double QuietShare = 0.05;

    // USER_HZ, the unit of /proc/stat and /proc/PID/stat: 100 on every mainstream Linux build.
    private const double TicksPerSecond = 100;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly int[] _processIds;
    private readonly long _startBusy;
    private readonly long _startOwn;
    private readonly long _started = Stopwatch.GetTimestamp();

    private ForeignCpuLoad(int[] processIds)
    {
        _processIds = processIds;
        _startBusy = MachineBusyTicks();
        _startOwn = OwnTicks();
    }

    /// <summary>Starts counting; <paramref name="processIds"/> are ours (the benchmark is always included).</summary>
    public static ForeignCpuLoad Start(params int[] processIds) => new([Environment.ProcessId, .. processIds]);

    /// <summary>
    /// Waits until others use less than <see cref="QuietShare"/> of the CPUs for a whole second, so a phase
    /// does not start in the middle of someone else's build; gives up after a while and measures anyway.
    /// </summary>
    public static Task WaitForQuietAsync(CancellationToken cancellationToken, params int[] processIds) =>
        WaitForQuietAsync(Patience, cancellationToken, processIds);

    /// <summary>The same with its own <paramref name="patience"/>; zero does not wait at all (a smoke run on a busy machine).</summary>
    public static async Task WaitForQuietAsync(TimeSpan patience, CancellationToken cancellationToken, params int[] processIds)
    {
        if (patience <= TimeSpan.Zero)
        {
            return;
        }

        var waited = Stopwatch.StartNew();
        while (true)
        {
            var probe = Start(processIds);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var share = probe.Share();
            if (share < QuietShare)
            {
                return;
            }

            if (waited.Elapsed >= patience)
            {
                Console.WriteLine($"  (other processes still use {share * 100:F0}% of the CPUs after {patience.TotalSeconds:F0} s; measuring anyway)");
                return;
            }
        }
    }

    /// <summary>The share of the machine's CPU capacity (0-1) others used since the start, steal time included.</summary>
    public double Share()
    {
        var others = (MachineBusyTicks() - _startBusy) - (OwnTicks() - _startOwn);
        var capacity = Stopwatch.GetElapsedTime(_started).TotalSeconds * TicksPerSecond * Environment.ProcessorCount;
        return capacity > 0 ? Math.Clamp(others / capacity, 0, 1) : 0;
    }

    private static long MachineBusyTicks()
    {
        // cpu  user nice system idle iowait irq softirq steal ...: everything but idle and iowait is busy.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return ticks.Sum() - ticks[3] - ticks[4];
    }

    private long OwnTicks() => _processIds.Sum(ProcessTicks);

    private static long ProcessTicks(int processId)
    {
        try
        {
            // The command name may hold spaces; utime and stime are the 12th and 13th fields after its ')'.
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0; // The process has exited.
        }
    }
}
