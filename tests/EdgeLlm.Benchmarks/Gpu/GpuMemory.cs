using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace EdgeLlm.Benchmarks.Gpu;

/// <summary>GPU names and memory from nvidia-smi; null where there is none (a CPU-only machine).</summary>
internal static class GpuMemory
{
    /// <summary>The first GPU's name, e.g. "NVIDIA H100 80GB HBM3".</summary>
    public static string? Name() => Query("--query-gpu=name")?.FirstOrDefault();

    /// <summary>The first GPU's memory in MiB, and what <paramref name="processId"/> holds of it (0 when it holds none).</summary>
    public static GpuMemoryReading? Read(int processId)
    {
        if (Query("--query-gpu=memory.used,memory.total")?.FirstOrDefault()?.Split(',') is not [var used, var total])
        {
            return null;
        }

        var processUsed = (Query("--query-compute-apps=pid,used_memory") ?? [])
            .Select(line => line.Split(','))
            .Where(fields => fields.Length == 2 && fields[0].Trim() == processId.ToString(CultureInfo.InvariantCulture))
            .Sum(fields => Number(fields[1]));
        return new GpuMemoryReading(Number(used), Number(total), processUsed);
    }

    private static string[]? Query(string query)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("nvidia-smi", [query, "--format=csv,noheader,nounits"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;
        }
        catch (Win32Exception)
        {
            return null; // No nvidia-smi: no NVIDIA driver on this machine.
        }
    }

    private static long Number(string field) =>
        long.TryParse(field.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
}

/// <param name="UsedMiB">Memory used on the GPU, by everyone.</param>
/// <param name="TotalMiB">The GPU's memory.</param>
/// <param name="ProcessMiB">Memory the measured process holds.</param>
internal sealed record GpuMemoryReading(long UsedMiB, long TotalMiB, long ProcessMiB);
