using EdgeLlm.Inference.Backends.Natives;

namespace EdgeLlm.Inference.Backends;

/// <summary>What ggml can compute on in this process: for <c>edgellm doctor</c> and status reports.</summary>
/// <param name="GgmlVersion">Version of LLamaSharp's ggml, e.g. 0.18.0.</param>
/// <param name="GgmlCommit">The llama.cpp commit it was built from (short hash).</param>
/// <param name="Backends">Every registered backend with its devices.</param>
/// <param name="CpuFeatures">Instruction-set features the CPU backend was built for and found (AVX2, FMA, …).</param>
/// <param name="GpuOffload">Whether llama.cpp can put layers on a GPU (a GPU device is registered).</param>
/// <param name="Modules">The configured backend modules and how loading each went.</param>
/// <param name="Natives">The llama.cpp natives in use (built for this machine, or LLamaSharp's own) and why.</param>
/// <param name="CpuVariant">The CPU variant of ggml in use and, for built natives, every variant's score.</param>
public sealed record BackendInventory(
    string GgmlVersion,
    string GgmlCommit,
    IReadOnlyList<BackendInfo> Backends,
    IReadOnlyDictionary<string, string> CpuFeatures,
    bool GpuOffload,
    IReadOnlyList<BackendModuleLoadResult> Modules,
    NativesInUse Natives,
    CpuVariantReport CpuVariant)
{
    public IEnumerable<DeviceInfo> Devices => Backends.SelectMany(b => b.Devices);

    public IEnumerable<DeviceInfo> GpuDevices => Devices.Where(d => d.Type is DeviceType.Gpu or DeviceType.IntegratedGpu);
}

/// <summary>One ggml backend (CPU, CUDA, …) and its devices.</summary>
public sealed record BackendInfo(string Name, IReadOnlyList<DeviceInfo> Devices);

/// <summary>One ggml device with its memory in bytes (0 when the backend reports none).</summary>
public sealed record DeviceInfo(string Name, string Description, DeviceType Type, long FreeBytes, long TotalBytes);

/// <summary>ggml's device kinds, in ggml's own order.</summary>
public enum DeviceType
{
    Cpu = 0,
    Gpu = 1,
    IntegratedGpu = 2,
    Accelerator = 3,
}
