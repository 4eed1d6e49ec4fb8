namespace EdgeLlm.Inference.Backends.Natives;

/// <summary>The shared libraries mapped into this process, as <c>/proc/self/maps</c> lists them.</summary>
internal static class MappedLibraries
{
    /// <summary>The paths of mapped files whose name starts with <paramref name="prefix"/> and ends in <c>.so</c>.</summary>
    public static IReadOnlyList<string> Find(string prefix)
    {
        if (!File.Exists("/proc/self/maps"))
        {
            return [];
        }

        return
        [
            .. File.ReadLines("/proc/self/maps")
                .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? line[slash..] : null)
                .OfType<string>()
                .Where(path => Path.GetFileName(path) is var name && name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".so", StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal),
        ];
    }
}
