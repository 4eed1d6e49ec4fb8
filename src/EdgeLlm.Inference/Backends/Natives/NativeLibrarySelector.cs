using LLama.Native;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Inference.Backends.Natives;

/// <summary>
/// Chooses the llama.cpp natives before LLamaSharp loads any (<see cref="InferenceOptions.NativeDirectory"/>): a
/// built folder that passes <see cref="NativeFolder"/>'s checks, else LLamaSharp's own. An explicitly configured
/// folder that fails stops the daemon; the implicit default (<c>natives/</c> beside the daemon) falls back with a
/// warning. A process can load only one set of natives: the first choice stands, later ones are checked against it.
/// </summary>
internal static class NativeLibrarySelector
{
    /// <summary>The implicit natives folder's name, beside the daemon's own files.</summary>
    public const string DefaultFolderName = "natives";

    private static readonly Lock Gate = new();
    private static NativesInUse? _loaded;

    /// <param name="configured"><see cref="InferenceOptions.NativeDirectory"/>: empty for the implicit default.</param>
    /// <param name="applicationDirectory">Where the daemon's files are; the implicit default is its <c>natives/</c>.</param>
    /// <param name="logger">Receives why built natives were not used.</param>
    public static NativeSelection Select(string? configured, string applicationDirectory, ILogger logger)
    {
        var explicitly = !string.IsNullOrWhiteSpace(configured);
        var folder = Path.GetFullPath(explicitly ? configured! : Path.Combine(applicationDirectory, DefaultFolderName));
        lock (Gate)
        {
            if (!explicitly && !NativeFolder.HasManifest(folder))
            {
                return Apply(null, $"no {NativesManifest.FileName} in {folder}", null, explicitly, logger);
            }

            var validation = NativeFolder.Validate(folder, ManagedInterop.LLamaSharp, NativeFolder.CurrentPlatform);
            if (validation.Valid)
            {
                return Apply(validation, validation.Message, null, explicitly, logger);
            }

            if (explicitly)
            {
                InferenceLog.NativesRefused(logger, folder, validation.ErrorCode!, validation.Message);
                return Refused(folder, validation.ErrorCode!, validation.Message);
            }

            InferenceLog.NativesFallback(logger, folder, validation.ErrorCode!, validation.Message);
            return Apply(null, $"{folder} was refused: {validation.ErrorCode}: {validation.Message}", validation.ErrorCode, explicitly, logger);
        }
    }

    /// <summary>Loads the chosen natives if this process has none yet; otherwise checks the choice against what it has.</summary>
    private static NativeSelection Apply(NativeFolderValidation? built, string reason, string? refusedCode, bool explicitly, ILogger logger)
    {
        if (_loaded is null)
        {
            if (built is not null && NativeLibraryConfig.LLama.LibraryHasLoaded)
            {
                return Conflict(built.Folder, "LLamaSharp's own natives were already loaded in this process", explicitly, logger);
            }

            if (built is not null)
            {
                if (BuiltNativesLoader.Load(built) is { } failure)
                {
                    // Too late to fall back: the folder's libraries are in the process now.
                    InferenceLog.NativesRefused(logger, built.Folder, NativeFolderErrors.LoadFailed, failure);
                    return Refused(built.Folder, NativeFolderErrors.LoadFailed, failure);
                }

                _loaded = Built(built);
                InferenceLog.UsingBuiltNatives(logger, built.Folder, _loaded.Source!, _loaded.Patches!);
                return new NativeSelection(_loaded, null, reason);
            }

            GgmlNative.EnsureLoaded();
            _loaded = OwnNatives(reason, refusedCode);
            InferenceLog.UsingLLamaSharpNatives(logger, _loaded.Folder, reason);
            return new NativeSelection(_loaded, null, reason);
        }

        if (built is not null && (_loaded.Origin != NativesOrigin.Built || _loaded.Folder != built.Folder))
        {
            return Conflict(built.Folder, $"this process already runs on {Describe(_loaded)}", explicitly, logger);
        }

        return new NativeSelection(built is null && _loaded.Origin == NativesOrigin.LLamaSharp ? _loaded with { Reason = reason, RefusedCode = refusedCode } : _loaded, null, reason);
    }

    private static NativeSelection Conflict(string folder, string why, bool explicitly, ILogger logger)
    {
        var message = $"its natives cannot be loaded: {why}.";
        if (explicitly)
        {
            InferenceLog.NativesRefused(logger, folder, NativeFolderErrors.LoadFailed, message);
            return Refused(folder, NativeFolderErrors.LoadFailed, message);
        }

        InferenceLog.NativesFallback(logger, folder, NativeFolderErrors.LoadFailed, message);
        _loaded ??= OwnNatives(message, NativeFolderErrors.LoadFailed);
        return new NativeSelection(_loaded with { Reason = $"{folder} was not used: {message}", RefusedCode = NativeFolderErrors.LoadFailed }, null, message);
    }

    private static NativeSelection Refused(string folder, string code, string message) =>
        new(null, code, $"Inference:NativeDirectory {folder} cannot be used: {message}");

    private static NativesInUse Built(NativeFolderValidation built) => new(
        NativesOrigin.Built,
        built.Folder,
        built.Manifest!.Source,
        NativeFolder.Patches(built.Manifest),
        built.Message,
        null,
        [.. built.Comparison!.Allowed.Select(a => $"{a.Mismatch} (allowed: {a.Allowance.Reason})")]);

    private static NativesInUse OwnNatives(string reason, string? refusedCode) =>
        new(NativesOrigin.LLamaSharp, MappedLibraries.Find("libllama.so").Select(Path.GetDirectoryName).FirstOrDefault() ?? "", null, null, reason, refusedCode, []);

    private static string Describe(NativesInUse natives) =>
        natives.Origin == NativesOrigin.Built ? $"the natives in {natives.Folder}" : $"LLamaSharp's own natives ({natives.Folder})";
}
