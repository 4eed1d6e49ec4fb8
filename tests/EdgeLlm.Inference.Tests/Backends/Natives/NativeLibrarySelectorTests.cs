using EdgeLlm.Inference.Backends.Natives;
using EdgeLlm.Inference.Tests.Support;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Inference.Tests.Backends.Natives;

/// <summary>
/// The rules for choosing natives, with LLamaSharp's own natives (built ones are not available here): an explicit
/// folder that fails stops the daemon, the implicit default falls back with a warning, no default folder is quiet.
/// </summary>
public sealed class NativeLibrarySelectorTests
{
    private readonly CapturingLogger _logger = new();

    [Fact]
    public void AnExplicitFolderThatFailsItsChecksIsFatalAndNamesTheFolderAndTheReason()
    {
        using var folder = new ScratchNativeFolder(platform: "linux-arm64");

        var selection = NativeLibrarySelector.Select(folder.Folder, AppContext.BaseDirectory, _logger);

        Assert.True(selection.Failed);
        Assert.Null(selection.Natives);
        Assert.Equal(NativeFolderErrors.PlatformMismatch, selection.ErrorCode);
        Assert.Equal($"Inference:NativeDirectory {folder.Folder} cannot be used: the natives were built for linux-arm64, this machine is linux-x64.", selection.Message);
        Assert.Contains(_logger.Entries, e => e is { Level: LogLevel.Error, EventId: 3033 } && e.Message.Contains(folder.Folder, StringComparison.Ordinal));
    }

    [Fact]
    public void AnExplicitFolderThatDoesNotExistIsFatal()
    {
        var selection = NativeLibrarySelector.Select("/nonexistent/edgellm-natives", AppContext.BaseDirectory, _logger);

        Assert.Equal(NativeFolderErrors.ManifestMissing, selection.ErrorCode);
        Assert.Contains("/nonexistent/edgellm-natives", selection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidDefaultFolderFallsBackToLLamaSharpsNativesWithAWarningThatSaysWhy()
    {
        using var application = new ScratchApplicationDirectory();
        using var folder = new ScratchNativeFolder(platform: "linux-arm64");
        Directory.Move(folder.Folder, application.NativesFolder);

        try
        {
            var selection = NativeLibrarySelector.Select("", application.Directory, _logger);

            Assert.False(selection.Failed);
            Assert.Equal(NativesOrigin.LLamaSharp, selection.Natives!.Origin);
            Assert.Equal(NativeFolderErrors.PlatformMismatch, selection.Natives.RefusedCode);
            Assert.Contains($"{application.NativesFolder} was refused: natives_platform_mismatch", selection.Natives.Reason, StringComparison.Ordinal);
            Assert.Contains("runtimes", selection.Natives.Folder, StringComparison.Ordinal);
            var warning = Assert.Single(_logger.Entries, e => e.Level == LogLevel.Warning);
            Assert.Equal(3032, warning.EventId);
            Assert.Contains("falling back to LLamaSharp's own natives", warning.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Move(application.NativesFolder, folder.Folder);
        }
    }

    [Fact]
    public void NoDefaultFolderMeansLLamaSharpsNativesWithoutAWarning()
    {
        using var application = new ScratchApplicationDirectory();

        var selection = NativeLibrarySelector.Select(null, application.Directory, _logger);

        Assert.Equal(NativesOrigin.LLamaSharp, selection.Natives!.Origin);
        Assert.Equal($"no natives.manifest in {application.NativesFolder}", selection.Natives.Reason);
        Assert.Null(selection.Natives.RefusedCode);
        Assert.DoesNotContain(_logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    /// <summary>A stand-in for the daemon's own folder, whose natives/ is the implicit default.</summary>
    private sealed class ScratchApplicationDirectory : IDisposable
    {
        public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("edgellm-app-").FullName;

        public string NativesFolder => Path.Combine(Directory, NativeLibrarySelector.DefaultFolderName);

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }
}
