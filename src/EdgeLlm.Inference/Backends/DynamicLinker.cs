using System.Runtime.InteropServices;

namespace EdgeLlm.Inference.Backends;

/// <summary>
/// The system's dynamic linker (glibc's dlopen family). Used directly, rather than through
/// <see cref="NativeLibrary"/>, because a pre-flight needs <c>RTLD_NOLOAD</c> and the linker's own error text.
/// </summary>
internal static partial class DynamicLinker
{
    public const int Lazy = 0x00001;
    public const int Now = 0x00002;
    public const int NoLoad = 0x00004;
    public const int Local = 0x00000;

    private static readonly Lock Gate = new();

    static DynamicLinker()
    {
        // Bind dlerror now: binding it on first use would run the runtime's own dlopen/dlsym first and
        // wipe the very error it was called to read.
        _ = dlerror();
    }

    /// <summary>Opens a library; on failure returns <see cref="IntPtr.Zero"/> and the linker's message.</summary>
    public static IntPtr Open(string pathOrName, int flags, out string? error)
    {
        // dlerror is per thread but the message must be read right after the failing call.
        lock (Gate)
        {
            var handle = dlopen(pathOrName, flags);
            error = handle == IntPtr.Zero ? Marshal.PtrToStringUTF8(dlerror()) ?? "dlopen failed" : null;
            return handle;
        }
    }

    /// <summary>The handle of an already loaded library (matched by path or soname), without loading anything.</summary>
    public static IntPtr FindLoaded(string pathOrName) => Open(pathOrName, Lazy | NoLoad, out _);

    public static bool HasSymbol(IntPtr handle, string symbol) => dlsym(handle, symbol) != IntPtr.Zero;

    /// <summary>The address of <paramref name="symbol"/> in the library, or <see cref="IntPtr.Zero"/>.</summary>
    public static IntPtr Symbol(IntPtr handle, string symbol) => dlsym(handle, symbol);

    public static void Close(IntPtr handle)
    {
        if (handle != IntPtr.Zero)
        {
            _ = dlclose(handle);
        }
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr dlopen(string file, int mode);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr dlsym(IntPtr handle, string name);

    [LibraryImport("libc")]
    private static partial int dlclose(IntPtr handle);

    [LibraryImport("libc")]
    private static partial IntPtr dlerror();
}
