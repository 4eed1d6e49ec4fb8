using System.Reflection;
using System.Runtime.InteropServices;
using LLama.Native;

namespace EdgeLlm.Inference.Backends;

/// <summary>
/// ggml's backend registry, called in the very <c>libggml.so</c> and <c>libggml-base.so</c> that LLamaSharp
/// loaded (found by soname), never a second copy: a backend module registered anywhere else would be
/// invisible to llama.cpp.
/// </summary>
internal static unsafe partial class GgmlNative
{
    private const string Ggml = "edgellm-ggml";
    private const string GgmlBase = "edgellm-ggml-base";

    static GgmlNative()
    {
        NativeLibrary.SetDllImportResolver(typeof(GgmlNative).Assembly, Resolve);
    }

    /// <summary>Makes LLamaSharp load its native libraries (it does so on first use of its API).</summary>
    public static void EnsureLoaded() => _ = NativeApi.llama_max_devices();

    public static string Version => Marshal.PtrToStringUTF8(ggml_version()) ?? "";

    public static string Commit => Marshal.PtrToStringUTF8(ggml_commit()) ?? "";

    [LibraryImport(Ggml, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr ggml_backend_load(string path);

    /// <summary>Registers every backend module in <paramref name="directory"/>, the best-scoring CPU variant among them.</summary>
    [LibraryImport(Ggml, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void ggml_backend_load_all_from_path(string directory);

    [LibraryImport(Ggml)]
    public static partial nuint ggml_backend_reg_count();

    [LibraryImport(Ggml)]
    public static partial IntPtr ggml_backend_reg_get(nuint index);

    [LibraryImport(Ggml)]
    public static partial IntPtr ggml_backend_reg_name(IntPtr reg);

    [LibraryImport(Ggml)]
    public static partial nuint ggml_backend_reg_dev_count(IntPtr reg);

    [LibraryImport(Ggml)]
    public static partial IntPtr ggml_backend_reg_dev_get(IntPtr reg, nuint index);

    [LibraryImport(Ggml, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr ggml_backend_reg_get_proc_address(IntPtr reg, string name);

    [LibraryImport(Ggml)]
    public static partial nuint ggml_backend_dev_count();

    [LibraryImport(Ggml)]
    public static partial IntPtr ggml_backend_dev_get(nuint index);

    [LibraryImport(Ggml)]
    public static partial IntPtr ggml_backend_dev_name(IntPtr device);

    [LibraryImport(Ggml)]
    public static partial IntPtr ggml_backend_dev_description(IntPtr device);

    [LibraryImport(Ggml)]
    public static partial int ggml_backend_dev_type(IntPtr device);

    [LibraryImport(Ggml)]
    public static partial void ggml_backend_dev_memory(IntPtr device, out nuint free, out nuint total);

    [LibraryImport(Ggml)]
    public static partial IntPtr ggml_backend_dev_backend_reg(IntPtr device);

    [LibraryImport(GgmlBase)]
    private static partial IntPtr ggml_version();

    [LibraryImport(GgmlBase)]
    private static partial IntPtr ggml_commit();

    public static string Text(IntPtr utf8) => Marshal.PtrToStringUTF8(utf8) ?? "";

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        var soname = name switch
        {
            Ggml => "libggml.so",
            GgmlBase => "libggml-base.so",
            _ => null,
        };
        if (soname is null)
        {
            return IntPtr.Zero;
        }

        EnsureLoaded();
        var handle = DynamicLinker.FindLoaded(soname);
        return handle != IntPtr.Zero
            ? handle
            : throw new DllNotFoundException($"{soname} is not loaded: LLamaSharp's native libraries did not load it.");
    }
}
