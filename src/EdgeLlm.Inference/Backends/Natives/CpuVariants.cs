namespace EdgeLlm.Inference.Backends.Natives;

/// <summary>
/// Which CPU variant of ggml runs and why: the <c>libggml-cpu*.so</c> mapped into this process, and for built natives
/// each variant's own <c>ggml_backend_score()</c> (0: this CPU lacks a feature it needs), the score ggml chose by.
/// </summary>
internal static class CpuVariants
{
    private const string Prefix = "libggml-cpu";

    public static CpuVariantReport Describe(NativesInUse natives)
    {
        var inUse = MappedLibraries.Find(Prefix).FirstOrDefault();
        if (natives.Origin != NativesOrigin.Built)
        {
            return new CpuVariantReport(inUse, "chosen by LLamaSharp's AVX-level detection (its variants export no score)", []);
        }

        var scores = Directory.EnumerateFiles(natives.Folder, Prefix + "-*.so")
            .Select(path => new CpuVariantScore(VariantName(path), Score(path)))
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Variant, StringComparer.Ordinal)
            .ToList();
        return new CpuVariantReport(inUse, "ggml loads the variant with the highest ggml_backend_score()", scores);
    }

    private static string VariantName(string path) => Path.GetFileNameWithoutExtension(path)[(Prefix.Length + 1)..];

    /// <summary>The variant's score, or -1 when it cannot be opened or has no score function.</summary>
    private static unsafe int Score(string path)
    {
        // What ggml itself does to choose: open without binding, ask, close. Its scoring code checks the CPU's
        // features before anything built for them runs.
        var handle = DynamicLinker.Open(path, DynamicLinker.Lazy | DynamicLinker.Local, out _);
        if (handle == IntPtr.Zero)
        {
            return -1;
        }

        try
        {
            var score = (delegate* unmanaged<int>)DynamicLinker.Symbol(handle, "ggml_backend_score");
            return score is null ? -1 : score();
        }
        finally
        {
            DynamicLinker.Close(handle);
        }
    }
}

/// <summary>The CPU variant in use (a path, null before natives load) and every built variant's score, best first.</summary>
public sealed record CpuVariantReport(string? InUse, string ChosenBy, IReadOnlyList<CpuVariantScore> Scores);

/// <summary>One built CPU variant (<c>zen4</c>, <c>haswell</c>, …) and its <c>ggml_backend_score()</c>; -1 when it could not be asked.</summary>
public sealed record CpuVariantScore(string Variant, int Score);
