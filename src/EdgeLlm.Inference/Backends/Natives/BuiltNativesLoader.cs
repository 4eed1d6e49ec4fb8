using LLama.Native;

namespace EdgeLlm.Inference.Backends.Natives;

/// <summary>
/// Makes LLamaSharp run on a checked natives folder: points its loader at the folder's libllama.so and libmtmd.so
/// (before anything loads LLamaSharp's own), then checks that every entry point LLamaSharp imports is exported and
/// has ggml register the folder's backends (built with GGML_BACKEND_DL, llama.cpp has none until then).
/// </summary>
internal static class BuiltNativesLoader
{
    /// <summary>Null when the natives loaded and a CPU backend is registered, else why not.</summary>
    public static string? Load(NativeFolderValidation folder)
    {
        var llamaPath = Path.Combine(folder.Folder, "libllama.so");
        var mtmdPath = Path.Combine(folder.Folder, "libmtmd.so");
        try
        {
            NativeLibraryConfig.All.WithLibrary(llamaPath, mtmdPath);
            GgmlNative.EnsureLoaded();
        }
        catch (Exception ex) when (ex is InvalidOperationException or DllNotFoundException or LLama.Exceptions.RuntimeError or TypeInitializationException)
        {
            return $"LLamaSharp could not load {llamaPath}: {ex.Message}";
        }

        var llama = DynamicLinker.FindLoaded(llamaPath);
        if (llama == IntPtr.Zero)
        {
            return $"LLamaSharp did not load {llamaPath}.";
        }

        var missing = MissingExports(folder, llama, mtmdPath);
        if (missing.Count > 0)
        {
            return $"entry points LLamaSharp imports are not exported: {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? $" and {missing.Count - 10} more" : "")}.";
        }

        GgmlNative.ggml_backend_load_all_from_path(folder.Folder);
        var registered = Enumerable.Range(0, (int)GgmlNative.ggml_backend_reg_count())
            .Select(i => GgmlNative.Text(GgmlNative.ggml_backend_reg_name(GgmlNative.ggml_backend_reg_get((nuint)i))))
            .ToList();
        return registered.Contains("CPU")
            ? null
            : $"ggml registered no CPU backend from {folder.Folder} (backends: {(registered.Count == 0 ? "none" : string.Join(", ", registered))}): no libggml-cpu-*.so there runs on this CPU.";
    }

    private static List<string> MissingExports(NativeFolderValidation folder, IntPtr llama, string mtmdPath)
    {
        var mtmd = DynamicLinker.Open(mtmdPath, DynamicLinker.Lazy | DynamicLinker.Local, out var error);
        if (mtmd == IntPtr.Zero)
        {
            return [$"libmtmd.so ({error})"];
        }

        try
        {
            return
            [
                .. ManagedInterop.LLamaSharp.Imports
                    .Where(i => i.Library is "llama" or "mtmd" && !KnownAbsent(i.EntryPoint, folder.Abi))
                    .Where(i => !DynamicLinker.HasSymbol(i.Library == "llama" ? llama : mtmd, i.EntryPoint))
                    .Select(i => i.EntryPoint)
                    .Distinct(StringComparer.Ordinal),
            ];
        }
        finally
        {
            DynamicLinker.Close(mtmd);
        }
    }

    /// <summary>An import the headers lack and the allowed differences excuse (a stale LLamaSharp declaration).</summary>
    private static bool KnownAbsent(string entryPoint, AbiDescription? abi) =>
        abi?.Functions.ContainsKey(entryPoint) == false
        && AllowedAbiDifferences.Find(new AbiMismatch(AbiSubject.Function, entryPoint, null, AbiDifference.FunctionMissing, "")) is not null;
}
