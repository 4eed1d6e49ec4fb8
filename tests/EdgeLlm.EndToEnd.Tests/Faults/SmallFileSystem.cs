using System.Diagnostics;

namespace EdgeLlm.Testing;

/// <summary>
/// A size-limited tmpfs mounted under the test's own scratch folder, so a test can fill a disk without touching any
/// other. Mounting needs root (CI runs the suite as root); anywhere else the test fails saying so, never passes unrun.
/// Also linked into the telemetry tests (the outbox on a full disk).
/// </summary>
internal sealed class SmallFileSystem : IAsyncDisposable
{
    private readonly string _scratch;

    private SmallFileSystem(string scratch, string root) => (_scratch, Root) = (scratch, root);

    /// <summary>The mounted file system's root.</summary>
    public string Root { get; }

    private string Filler => Path.Combine(Root, "filler");

    public static async Task<SmallFileSystem> MountAsync(int megabytes)
    {
        Assert.True(Environment.IsPrivilegedProcess, "This test mounts a small tmpfs to fill a disk and must run as root (as CI does); it was run as an unprivileged user.");
        var scratch = Directory.CreateTempSubdirectory("edgellm-small-fs-").FullName;
        var root = Path.Combine(scratch, "mnt");
        Directory.CreateDirectory(root);
        var (exitCode, errors) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0755", "tmpfs", root);
        Assert.True(exitCode == 0, $"mount -t tmpfs failed: {errors}");
        return new SmallFileSystem(scratch, root);
    }

    /// <summary>Writes a file until the file system has no byte left (ENOSPC); returns the bytes it took.</summary>
    public long Fill()
    {
        long written = 0;
        var chunk = new byte[64 * 1024];
        using var file = new FileStream(Filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        foreach (var size in new[] { chunk.Length, 4096, 512 })
        {
            try
            {
                while (true)
                {
                    file.Write(chunk, 0, size);
                    written += size;
                }
            }
            catch (IOException)
            {
                // Full at this chunk size: go on with smaller ones, to take the last pages too.
            }
        }

        return written;
    }

    /// <summary>Gives the space back.</summary>
    public void Free() => File.Delete(Filler);

    public async ValueTask DisposeAsync()
    {
        await RunAsync("umount", "--lazy", Root);
        Directory.Delete(_scratch, recursive: true);
    }

    private static async Task<(int ExitCode, string Errors)> RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })
            ?? throw new InvalidOperationException($"Could not start {program}.");
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, errors);
    }
}
