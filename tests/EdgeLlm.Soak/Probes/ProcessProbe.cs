using System.Globalization;

namespace EdgeLlm.Soak;

/// <summary>The daemon's footprint as the kernel sees it, from <c>/proc/PID</c>.</summary>
/// <param name="RssKiB">Resident set size (VmRSS), KiB.</param>
/// <param name="Threads">Threads of the process.</param>
/// <param name="FileDescriptors">Open file descriptors (entries of <c>/proc/PID/fd</c>): files, sockets, pipes.</param>
internal sealed record ProcessSample(long RssKiB, int Threads, int FileDescriptors);

internal static class ProcessProbe
{
    /// <summary>Whether the process runs (a zombie, exited but not yet reaped, does not).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The process's sample now; null when it is gone.</summary>
    public static ProcessSample? Sample(int pid)
    {
        try
        {
            long rss = 0;
            var threads = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                {
                    threads = int.Parse(line.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
            }

            return new ProcessSample(rss, threads, Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
