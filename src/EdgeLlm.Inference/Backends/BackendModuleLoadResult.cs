namespace EdgeLlm.Inference.Backends;

/// <summary>One library a backend module needs and what the linker makes of it (a line of <c>ldd</c>).</summary>
/// <param name="Name">The name in the module's DT_NEEDED entry, e.g. <c>libcudart.so.13</c>.</param>
/// <param name="Location">Where it was found: a path, or "loaded" when the process already has it.</param>
/// <param name="Problem">Why it cannot be loaded (the linker's words); null when it can.</param>
public sealed record LibraryDependency(string Name, string? Location, string? Problem)
{
    public bool Found => Problem is null;

    public override string ToString() => Found ? $"{Name} => {Location}" : $"{Name} => not found ({Problem})";
}

/// <summary>The outcome of loading one ggml backend module: the backend it registered, or a stable error code and why.</summary>
public sealed record BackendModuleLoadResult(
    string Path,
    string? ErrorCode,
    string Message,
    string? BackendName,
    IReadOnlyList<string> Devices,
    IReadOnlyList<LibraryDependency> Dependencies)
{
    public bool Loaded => ErrorCode is null;

    internal static BackendModuleLoadResult Failed(string path, string code, string message, IReadOnlyList<LibraryDependency>? dependencies = null) =>
        new(path, code, message, null, [], dependencies ?? []);
}

/// <summary>Stable codes for a backend module that cannot be used.</summary>
public static class BackendModuleErrors
{
    /// <summary>No file at the configured path.</summary>
    public const string Missing = "backend_module_missing";

    /// <summary>Not a 64-bit shared object for this machine.</summary>
    public const string Invalid = "backend_module_invalid";

    /// <summary>Links its own ggml (e.g. <c>libggml-base.so.0</c>) instead of the one LLamaSharp loaded.</summary>
    public const string ForeignGgml = "backend_module_foreign_ggml";

    /// <summary>A library it needs (CUDA runtime, cuBLAS, the driver) cannot be found or loaded.</summary>
    public const string MissingLibrary = "backend_module_missing_library";

    /// <summary>The linker refused it for another reason, such as an undefined symbol.</summary>
    public const string LoadFailed = "backend_module_load_failed";

    /// <summary>It loads but is not a ggml backend module (no <c>ggml_backend_init</c>).</summary>
    public const string NotGgml = "backend_module_not_ggml";

    /// <summary>ggml refused it: unsupported on this system, or a different backend API version.</summary>
    public const string Rejected = "backend_module_rejected";

    /// <summary>It registered a backend that found no device (no GPU visible, driver missing).</summary>
    public const string NoDevices = "backend_module_no_devices";
}
