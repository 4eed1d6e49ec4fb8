using System.Globalization;
using EdgeLlm.Inference.Backends;

namespace EdgeLlm.Inference.Models;

/// <summary>
/// The memory the loaded models may take together: one budget for host RAM and one per GPU, each either configured
/// or what the device reports minus a margin for the daemon itself and the system.
/// </summary>
/// <param name="HostBytes">Host RAM for weights, KV caches and compute buffers of models on the CPU.</param>
/// <param name="GpuBytes">Per GPU index, memory for the models offloaded to it.</param>
public sealed record MemoryBudget(long HostBytes, IReadOnlyList<long> GpuBytes)
{
    /// <summary>The margin kept back from a reported size: 10 %, at least 1 GiB (never more than half).</summary>
    public static long WithMargin(long reported) => Math.Max(0, reported - Math.Min(reported / 2, Math.Max(1L << 30, reported / 10)));

    /// <summary>The configured budgets, else the reported ones minus the margin.</summary>
    public static MemoryBudget Resolve(InferenceOptions options, IEnumerable<DeviceInfo> gpus, long reportedHostBytes)
    {
        ArgumentNullException.ThrowIfNull(options);
        var host = options.MemoryBudgetBytes ?? WithMargin(reportedHostBytes);
        var gpu = gpus.Select((device, index) => index < options.GpuMemoryBudgetBytes.Count ? options.GpuMemoryBudgetBytes[index] : WithMargin(device.FreeBytes)).ToList();
        return new MemoryBudget(host, gpu);
    }

    /// <summary>The budget of GPU <paramref name="index"/>; 0 when there is no such GPU.</summary>
    public long Gpu(int index) => index >= 0 && index < GpuBytes.Count ? GpuBytes[index] : 0;
}

/// <summary>Reads how much memory this process may use: physical memory, or the cgroup's limit when it is lower.</summary>
public static class HostMemory
{
    public static long ReportedBytes() => ReportedBytes(File.Exists("/proc/meminfo") ? File.ReadAllText("/proc/meminfo") : null, ReadOrNull("/sys/fs/cgroup/memory.max"));

    /// <summary>MemTotal of <paramref name="meminfo"/> capped by a numeric cgroup v2 <paramref name="cgroupMax"/>; 0 when neither says.</summary>
    public static long ReportedBytes(string? meminfo, string? cgroupMax)
    {
        long total = 0;
        foreach (var line in (meminfo ?? "").Split('\n'))
        {
            // "MemTotal:       24576000 kB"
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is ["MemTotal:", var kilobytes, "kB"] && long.TryParse(kilobytes, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                total = value * 1024;
            }
        }

        if (long.TryParse(cgroupMax?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0 && (total == 0 || limit < total))
        {
            total = limit;
        }

        return total;
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
