using System.Text.RegularExpressions;
using EdgeLlm.Inference.Runtime;

namespace EdgeLlm.Inference.Backends;

/// <summary>
/// Loads a ggml backend module (e.g. a CUDA <c>libggml-cuda.so</c>) into LLamaSharp's ggml with
/// <c>ggml_backend_load</c>, after a pre-flight that turns every way it can fail into a stable code and an
/// operator-readable reason: the missing libraries named ldd-style, a module linked against its own ggml,
/// ggml's own refusal. ggml's registry is process-wide, so each path is loaded at most once per process.
/// </summary>
internal static partial class BackendModuleLoader
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, BackendModuleLoadResult> Results = new(StringComparer.Ordinal);

    public static BackendModuleLoadResult Load(string configuredPath)
    {
        var path = Path.GetFullPath(configuredPath);
        lock (Gate)
        {
            if (!Results.TryGetValue(path, out var result))
            {
                result = LoadOnce(path);
                Results[path] = result;
            }

            return result;
        }
    }

    private static BackendModuleLoadResult LoadOnce(string path)
    {
        if (!File.Exists(path))
        {
            return BackendModuleLoadResult.Failed(path, BackendModuleErrors.Missing, $"No backend module at {path}.");
        }

        var image = ElfImage.TryRead(path, out var invalid);
        if (image is null)
        {
            return BackendModuleLoadResult.Failed(path, BackendModuleErrors.Invalid, $"{path} is not a usable shared object: {invalid}.");
        }

        if (image.Needed.FirstOrDefault(n => VersionedGgml().IsMatch(n)) is { } foreign)
        {
            return BackendModuleLoadResult.Failed(path, BackendModuleErrors.ForeignGgml,
                $"{Path.GetFileName(path)} links {foreign}, not the libggml-base.so that LLamaSharp loaded, so it would run on a second, different ggml. " +
                "Build it with scripts/build-cuda-module.sh, or fix it with: patchelf --replace-needed " + foreign + " " + Unversioned(foreign) + " " + path);
        }

        GgmlNative.EnsureLoaded();
        var handle = DynamicLinker.Open(path, DynamicLinker.Now | DynamicLinker.Local, out var linkerError);
        if (handle == IntPtr.Zero)
        {
            var dependencies = image.Needed.Select(n => SharedLibraryLocator.Locate(n, image, path)).ToList();
            var missing = dependencies.Where(d => !d.Found).ToList();
            return missing.Count > 0
                ? BackendModuleLoadResult.Failed(path, BackendModuleErrors.MissingLibrary,
                    $"{Path.GetFileName(path)} needs libraries that cannot be loaded: {string.Join("; ", missing)}.", dependencies)
                : BackendModuleLoadResult.Failed(path, BackendModuleErrors.LoadFailed, $"The linker refused {path}: {linkerError}", dependencies);
        }

        try
        {
            if (!DynamicLinker.HasSymbol(handle, "ggml_backend_init"))
            {
                return BackendModuleLoadResult.Failed(path, BackendModuleErrors.NotGgml, $"{path} is not a ggml backend module: it has no ggml_backend_init.");
            }

            return Register(path);
        }
        finally
        {
            // ggml keeps its own handle to a registered module; ours only kept it resident meanwhile.
            DynamicLinker.Close(handle);
        }
    }

    private static BackendModuleLoadResult Register(string path)
    {
        IntPtr registration;
        string nativeLog;
        using (NativeLogBridge.Capture(out var captured))
        {
            registration = GgmlNative.ggml_backend_load(path);
            nativeLog = captured.ToString().Trim();
        }

        if (registration == IntPtr.Zero)
        {
            return BackendModuleLoadResult.Failed(path, BackendModuleErrors.Rejected,
                $"ggml refused {path}: {(nativeLog.Length > 0 ? nativeLog.ReplaceLineEndings(" ") : "no reason given")}");
        }

        var name = GgmlNative.Text(GgmlNative.ggml_backend_reg_name(registration));
        var devices = new List<string>();
        for (nuint i = 0; i < GgmlNative.ggml_backend_reg_dev_count(registration); i++)
        {
            devices.Add(GgmlNative.Text(GgmlNative.ggml_backend_dev_name(GgmlNative.ggml_backend_reg_dev_get(registration, i))));
        }

        if (devices.Count == 0)
        {
            return new BackendModuleLoadResult(path, BackendModuleErrors.NoDevices,
                $"Backend {name} from {path} found no device{(nativeLog.Length > 0 ? ": " + nativeLog.ReplaceLineEndings(" ") : " (no GPU visible to this process, or no driver).")}",
                name, [], []);
        }

        return new BackendModuleLoadResult(path, null, $"Backend {name} registered {devices.Count} device(s): {string.Join(", ", devices)}.", name, devices, []);
    }

    private static string Unversioned(string soname) => soname[..(soname.IndexOf(".so", StringComparison.Ordinal) + 3)];

    [GeneratedRegex(@"^libggml(-base)?\.so\.\d")]
    private static partial Regex VersionedGgml();
}
