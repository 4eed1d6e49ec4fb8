using System.Runtime.InteropServices;
using EdgeLlm.Inference.Backends.Natives;
using EdgeLlm.Inference.Runtime;
using LLama.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Inference.Backends;

/// <summary>
/// ggml's backends as this daemon configures them: chooses the llama.cpp natives (before anything loads LLamaSharp's),
/// loads the configured backend modules (before any model, or llama.cpp would not see their devices) and reports
/// what ggml can compute on.
/// </summary>
public sealed class GgmlBackendRegistry(IOptions<InferenceOptions> options, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<GgmlBackendRegistry>();
    private readonly Lock _gate = new();
    private IReadOnlyList<BackendModuleLoadResult>? _modules;
    private NativeSelection? _natives;
    private CpuVariantReport? _cpuVariant;

    /// <summary>
    /// Chooses and loads the natives once (see <see cref="NativeLibrarySelector"/>): the first thing that touches
    /// LLamaSharp, because LLamaSharp's library choice cannot change once it loaded one.
    /// </summary>
    public NativeSelection Natives()
    {
        lock (_gate)
        {
            if (_natives is null)
            {
                // llama.cpp and ggml report loading troubles through the log: route it before anything loads.
                NativeLogBridge.Install(loggerFactory);
                _natives = NativeLibrarySelector.Select(options.Value.NativeDirectory, AppContext.BaseDirectory, _logger);
            }

            return _natives;
        }
    }

    /// <summary>Loads each configured module once and returns how each went; failures are results, not exceptions.</summary>
    public IReadOnlyList<BackendModuleLoadResult> LoadConfiguredModules()
    {
        lock (_gate)
        {
            if (_modules is null)
            {
                RequireNatives();
                var results = new List<BackendModuleLoadResult>();
                foreach (var path in options.Value.BackendModules)
                {
                    var result = BackendModuleLoader.Load(path);
                    if (result.Loaded)
                    {
                        InferenceLog.BackendModuleLoaded(_logger, result.Path, result.BackendName!, string.Join(", ", result.Devices));
                    }
                    else
                    {
                        InferenceLog.BackendModuleFailed(_logger, result.Path, result.ErrorCode!, result.Message);
                    }

                    results.Add(result);
                }

                _modules = results;
            }

            return _modules;
        }
    }

    /// <summary>
    /// Loads the configured modules and checks that the GPU settings can be met, before the first model loads.
    /// A failed module is fatal unless <see cref="InferenceOptions.CpuFallback"/> is set.
    /// </summary>
    /// <exception cref="BackendUnavailableException">The configured backend cannot be used.</exception>
    public BackendInventory PrepareForModels()
    {
        RequireNatives();
        var settings = options.Value;
        var failed = LoadConfiguredModules().FirstOrDefault(m => !m.Loaded);
        if (failed is not null)
        {
            if (!settings.CpuFallback)
            {
                throw new BackendUnavailableException(failed.ErrorCode!, failed.Message);
            }

            InferenceLog.CpuFallback(_logger);
        }

        var inventory = Inventory();
        var gpus = inventory.GpuDevices.Count();
        var gpuLayers = settings.Models.Select(m => m.GpuLayers ?? settings.GpuLayers).Max();
        if (gpuLayers > 0 && gpus == 0 && !settings.CpuFallback)
        {
            throw new BackendUnavailableException("no_gpu_device",
                $"Inference:GpuLayers (or a model's own GpuLayers) asks for {gpuLayers} layers on a GPU, but no GPU device is registered. Configure Inference:BackendModules, or set GpuLayers to 0.");
        }

        if (gpus > 0 && settings.MainGpu >= gpus)
        {
            throw new BackendUnavailableException("main_gpu_out_of_range", $"Inference:MainGpu is {settings.MainGpu}, but there are only {gpus} GPU device(s).");
        }

        return inventory;
    }

    /// <summary>The natives, backends, devices and CPU features ggml has now, with the configured modules' outcomes.</summary>
    /// <exception cref="BackendUnavailableException">The configured natives folder cannot be used.</exception>
    public BackendInventory Inventory()
    {
        var natives = RequireNatives();
        var modules = LoadConfiguredModules();
        var backends = new List<BackendInfo>();
        for (nuint r = 0; r < GgmlNative.ggml_backend_reg_count(); r++)
        {
            var registration = GgmlNative.ggml_backend_reg_get(r);
            var devices = new List<DeviceInfo>();
            for (nuint d = 0; d < GgmlNative.ggml_backend_reg_dev_count(registration); d++)
            {
                devices.Add(Describe(GgmlNative.ggml_backend_reg_dev_get(registration, d)));
            }

            backends.Add(new BackendInfo(GgmlNative.Text(GgmlNative.ggml_backend_reg_name(registration)), devices));
        }

        return new BackendInventory(GgmlNative.Version, GgmlNative.Commit, backends, CpuFeatures(), NativeApi.llama_supports_gpu_offload(), modules, natives, CpuVariant(natives));
    }

    /// <summary>
    /// Asked once: the variant cannot change once loaded, and scoring opens every variant file, which a status
    /// request should not repeat.
    /// </summary>
    private CpuVariantReport CpuVariant(NativesInUse natives)
    {
        lock (_gate)
        {
            return _cpuVariant ??= CpuVariants.Describe(natives);
        }
    }

    private NativesInUse RequireNatives()
    {
        var selection = Natives();
        return selection.Natives ?? throw new BackendUnavailableException(selection.ErrorCode!, selection.Message);
    }

    private static DeviceInfo Describe(IntPtr device)
    {
        GgmlNative.ggml_backend_dev_memory(device, out var free, out var total);
        return new DeviceInfo(
            GgmlNative.Text(GgmlNative.ggml_backend_dev_name(device)),
            GgmlNative.Text(GgmlNative.ggml_backend_dev_description(device)),
            (DeviceType)GgmlNative.ggml_backend_dev_type(device),
            (long)free,
            (long)total);
    }

    /// <summary>The CPU backend's feature list, read through its optional <c>ggml_backend_get_features</c> entry point.</summary>
    private static unsafe Dictionary<string, string> CpuFeatures()
    {
        var features = new Dictionary<string, string>(StringComparer.Ordinal);
        for (nuint r = 0; r < GgmlNative.ggml_backend_reg_count(); r++)
        {
            var registration = GgmlNative.ggml_backend_reg_get(r);
            if (GgmlNative.Text(GgmlNative.ggml_backend_reg_name(registration)) != "CPU")
            {
                continue;
            }

            var getFeatures = (delegate* unmanaged<IntPtr, IntPtr*>)GgmlNative.ggml_backend_reg_get_proc_address(registration, "ggml_backend_get_features");
            if (getFeatures is null)
            {
                break;
            }

            // A list of (name, value) string pairs ended by a null name.
            for (var pair = getFeatures(registration); pair[0] != IntPtr.Zero; pair += 2)
            {
                features[Marshal.PtrToStringUTF8(pair[0])!] = Marshal.PtrToStringUTF8(pair[1]) ?? "";
            }
        }

        return features;
    }
}
