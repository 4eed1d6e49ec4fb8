namespace EdgeLlm.Inference.Backends;

/// <summary>
/// Finds where the dynamic linker would take a needed library from, the way <c>ldd</c> reports it:
/// already in the process, in the module's RUNPATH/RPATH (with <c>$ORIGIN</c>) or LD_LIBRARY_PATH, or in the
/// system's library cache. Each candidate is test-loaded, so a library whose own dependencies are missing
/// is reported with the linker's reason.
/// </summary>
internal static class SharedLibraryLocator
{
    public static LibraryDependency Locate(string name, ElfImage image, string modulePath)
    {
        if (DynamicLinker.FindLoaded(name) != IntPtr.Zero)
        {
            return new LibraryDependency(name, "loaded", null);
        }

        var origin = Path.GetDirectoryName(modulePath) ?? "/";
        var directories = image.SearchPaths
            .Select(p => p.Replace("${ORIGIN}", origin, StringComparison.Ordinal).Replace("$ORIGIN", origin, StringComparison.Ordinal))
            .Concat((Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));
        var candidate = name.Contains('/', StringComparison.Ordinal)
            ? name
            : directories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
        var handle = DynamicLinker.Open(candidate ?? name, DynamicLinker.Lazy | DynamicLinker.Local, out var error);
        if (handle == IntPtr.Zero)
        {
            return new LibraryDependency(name, candidate, error);
        }

        DynamicLinker.Close(handle);
        return new LibraryDependency(name, candidate ?? "system library path", null);
    }
}
