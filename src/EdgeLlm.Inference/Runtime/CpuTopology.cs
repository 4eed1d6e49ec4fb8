namespace EdgeLlm.Inference.Runtime;

/// <summary>
/// Physical core count: llama.cpp decodes fastest with one thread per physical core; hyper-threads
/// only contend for the same execution units.
/// </summary>
internal static class CpuTopology
{
    public static int PhysicalCores()
    {
        var logical = Environment.ProcessorCount;
        try
        {
            var cores = new HashSet<(string, string)>();
            string physical = "0";
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }

                var key = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (key == "physical id")
                {
                    physical = value;
                }
                else if (key == "core id")
                {
                    cores.Add((physical, value));
                }
            }

            // ProcessorCount already honours affinity and cgroup CPU limits; never exceed it.
            return cores.Count > 0 ? Math.Min(cores.Count, logical) : logical;
        }
        catch (IOException)
        {
            return logical;
        }
        catch (UnauthorizedAccessException)
        {
            return logical;
        }
    }
}
