using System.Runtime.InteropServices;
using LLama.Native;

namespace EdgeLlm.Benchmarks.LlamaCpp;

/// <summary>
/// Functions of the llama.cpp libraries LLamaSharp has already loaded, bound to those very copies: a second
/// copy of libggml would keep its own backend registry, and a module loaded there would be invisible to
/// LLamaSharp. Independent of EdgeLlm's own module loading, so the lean loop is a baseline, not a client.
/// </summary>
internal static unsafe partial class LoadedNatives
{
    private const int RtldNow = 2;
    private const int RtldNoLoad = 4;

    // Resolved once: the raw decode loop must not pay for a symbol lookup per token.
    private static readonly delegate* unmanaged<byte*, IntPtr> BackendLoad = (delegate* unmanaged<byte*, IntPtr>)Export("libggml.so", "ggml_backend_load");
    private static readonly delegate* unmanaged<IntPtr, LLamaNativeBatch, int> Decode = (delegate* unmanaged<IntPtr, LLamaNativeBatch, int>)Export("libllama.so", "llama_decode");

    /// <summary>Loads a ggml backend module (e.g. libggml-cuda.so) into LLamaSharp's libggml, before any model.</summary>
    public static void LoadBackendModule(string path)
    {
        var utf8 = System.Text.Encoding.UTF8.GetBytes(path + '\0');
        fixed (byte* name = utf8)
        {
            if (BackendLoad(name) == IntPtr.Zero)
            {
                throw new InvalidOperationException($"ggml_backend_load refused {path}; run 'ldd {path}' for a missing library.");
            }
        }
    }

    /// <summary>
    /// Registers every ggml backend module in <paramref name="directory"/> (built natives use GGML_BACKEND_DL, so
    /// llama.cpp has no CPU backend until then; ggml picks the best libggml-cpu-*.so by its score), before any model.
    /// </summary>
    public static void LoadAllBackends(string directory)
    {
        var loadAll = (delegate* unmanaged<byte*, void>)Export("libggml.so", "ggml_backend_load_all_from_path");
        var registryByName = (delegate* unmanaged<byte*, IntPtr>)Export("libggml.so", "ggml_backend_reg_by_name");
        fixed (byte* folder = System.Text.Encoding.UTF8.GetBytes(directory + '\0'))
        fixed (byte* cpu = "CPU\0"u8)
        {
            loadAll(folder);
            if (registryByName(cpu) == IntPtr.Zero)
            {
                throw new InvalidOperationException($"ggml_backend_load_all_from_path({directory}) registered no CPU backend: no libggml-cpu-*.so there suits this CPU.");
            }
        }
    }

    /// <summary>The llama.cpp libraries (libllama, libmtmd, libggml*) mapped into this process, by path: the native code that runs.</summary>
    public static IReadOnlyList<string> MappedLibraries() =>
        [.. File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: >= 6 } fields ? fields[5] : "")
            .Where(path => Path.GetFileName(path) is var name && (name.StartsWith("libggml", StringComparison.Ordinal)
                || name.StartsWith("libllama", StringComparison.Ordinal) || name.StartsWith("libmtmd", StringComparison.Ordinal)))
            .Distinct()];

    /// <summary>llama_decode of one token at the next position of sequence 0, as llama_batch_get_one builds it in llama-bench.</summary>
    public static int DecodeOne(SafeLLamaContextHandle context, int token)
    {
        var batch = new LLamaNativeBatch { n_tokens = 1, tokens = (LLamaToken*)&token };
        return Decode(context.DangerousGetHandle(), batch);
    }

    private static IntPtr Export(string library, string symbol)
    {
        // Any NativeApi call makes LLamaSharp load its natives; RTLD_NOLOAD then finds them by name and never loads another copy.
        NativeApi.llama_max_devices();
        var handle = OpenLoaded(library, RtldNow | RtldNoLoad);
        if (handle == IntPtr.Zero)
        {
            throw new InvalidOperationException($"{library} is not loaded in this process: LLamaSharp's natives are not where expected.");
        }

        return NativeLibrary.TryGetExport(handle, symbol, out var address)
            ? address
            : throw new EntryPointNotFoundException($"{library} (LLamaSharp's) does not export {symbol}.");
    }

    [LibraryImport("libdl.so.2", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr OpenLoaded(string name, int flags);
}
