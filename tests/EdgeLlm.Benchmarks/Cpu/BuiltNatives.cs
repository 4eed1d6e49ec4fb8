using EdgeLlm.Benchmarks.LlamaCpp;
using LLama.Native;

namespace EdgeLlm.Benchmarks.Cpu;

/// <summary>The built natives in this process, set up as the daemon sets them up for Inference:NativeDirectory.</summary>
internal static class BuiltNatives
{
    /// <summary>Points LLamaSharp at the folder's libllama.so and libmtmd.so; must come before any other LLamaSharp call.</summary>
    public static void Configure(string folder) =>
        NativeLibraryConfig.All.WithLibrary(Path.Combine(folder, "libllama.so"), Path.Combine(folder, "libmtmd.so"));

    /// <summary>
    /// Loads them (the first LLamaSharp call) and registers the folder's ggml backends through the libggml.so
    /// libllama.so brought in; returns the libraries then mapped.
    /// </summary>
    public static IReadOnlyList<string> Load(string folder)
    {
        NativeLog.ErrorsOnly();
        LoadedNatives.LoadAllBackends(folder);
        return LoadedNatives.MappedLibraries();
    }
}
