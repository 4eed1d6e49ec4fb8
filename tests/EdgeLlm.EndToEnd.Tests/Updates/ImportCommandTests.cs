using System.Security.Cryptography;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>
/// <c>edgellm import</c> through the real process, as an operator runs it from a USB stick: a damaged copy is
/// refused on the spot with its code and nothing is queued; a large artifact gets a progress bar on a terminal
/// and none when stderr is not one.
/// </summary>
public sealed class ImportCommandTests : IAsyncLifetime
{
    private UpdatingDaemon _daemon = null!;

    private string Incoming => Path.Combine(_daemon.DataDirectory, "incoming");

    public async Task InitializeAsync() => _daemon = await UpdatingDaemon.CreateAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ACorruptedArtifactIsRefusedWithArtifactHashMismatchAndNothingIsQueued(bool asTar)
    {
        var bundle = await _daemon.BundleAsync(1);
        var artifact = Path.Combine(bundle, "stories260K.gguf");
        var bytes = File.ReadAllBytes(artifact);
        bytes[bytes.Length / 3] ^= 0x10;
        File.WriteAllBytes(artifact, bytes);

        var (exitCode, output) = await ImportAsync(asTar ? UpdatingDaemon.Tar(bundle) : bundle);

        Assert.Equal(1, exitCode);
        Assert.Contains("refused: artifact_hash_mismatch", output, StringComparison.Ordinal);
        Assert.Contains("stories260K.gguf", output, StringComparison.Ordinal);
        Assert.Empty(QueuedEntries());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ACopyCutShortIsRefusedWithArtifactSizeMismatchAndNothingIsQueued(bool asTar)
    {
        var bundle = await _daemon.BundleAsync(1);
        var artifact = Path.Combine(bundle, "stories260K.gguf");
        File.WriteAllBytes(artifact, File.ReadAllBytes(artifact)[..100_000]);

        var (exitCode, output) = await ImportAsync(asTar ? UpdatingDaemon.Tar(bundle) : bundle);

        Assert.Equal(1, exitCode);
        Assert.Contains("refused: artifact_size_mismatch", output, StringComparison.Ordinal);
        Assert.Empty(QueuedEntries());
    }

    [Fact]
    public async Task AQueuedArchiveIsByteForByteTheBundleThatWasChecked()
    {
        var tar = UpdatingDaemon.Tar(await _daemon.BundleAsync(1));

        var (exitCode, output) = await ImportAsync(tar);

        Assert.True(exitCode == 0, output);
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(tar)), SHA256.HashData(File.ReadAllBytes(Assert.Single(QueuedEntries()))));
    }

    [Fact]
    public async Task ALargeArtifactGetsAProgressBarOnATerminalAndNoneWhenStderrIsNotOne()
    {
        var large = Path.Combine(_daemon.DataDirectory, "site-policy.bin");
        await File.WriteAllBytesAsync(large, RandomNumberGenerator.GetBytes(40 << 20));
        var bundle = await _daemon.BundleAsync(1, new Dictionary<string, string> { ["stories260K.gguf"] = TestModels.Stories260K, ["site-policy.bin"] = large });
        File.Delete(large);

        var (plainExit, plain) = await ImportAsync(bundle);
        // script(1) runs the command on a pseudo-terminal, as an operator's shell would; it takes the command as one
        // line for $SHELL, so that is a POSIX shell here and every argument is quoted for it.
        var onTerminal = await Command.RunAsync(
            "script", ["--quiet", "--return", "--command", ShellLine(EdgeLlmProcess.CommandLine(ImportArguments(bundle))), "/dev/null"],
            environment: new Dictionary<string, string> { ["SHELL"] = "/bin/sh" });

        Assert.True(plainExit == 0, plain);
        Assert.DoesNotContain("%", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", plain, StringComparison.Ordinal);
        Assert.True(onTerminal.ExitCode == 0, onTerminal.ToString());
        Assert.Contains("\rsite-policy.bin [", onTerminal.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("100% 40/40 MiB", onTerminal.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("stories260K.gguf [", onTerminal.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, QueuedEntries().Count);
    }

    private Task<(int ExitCode, string Output)> ImportAsync(string bundle) => EdgeLlmProcess.RunToEndAsync(ImportArguments(bundle));

    private string[] ImportArguments(string bundle) => ["import", "--data-dir", _daemon.DataDirectory, bundle, .. _daemon.Arguments];

    private List<string> QueuedEntries() => Directory.Exists(Incoming) ? [.. Directory.EnumerateFileSystemEntries(Incoming)] : [];

    /// <summary>A POSIX shell line that runs exactly <paramref name="words"/>: each one single-quoted, its own quotes closed, escaped and reopened.</summary>
    private static string ShellLine(IEnumerable<string> words) =>
        string.Join(' ', words.Select(w => "'" + w.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
}
