using System.Diagnostics;

namespace EdgeLlm.Testing;

/// <summary>
/// A size-limited tmpfs the test mounts under its own scratch folder, for disk-full tests: <see cref="Fill"/> takes
/// every free byte, <see cref="Free"/> gives it back, dispose unmounts it. Mounting needs root (CI runs as root); a
/// test run as anyone else fails with a message that says so rather than passing without having tested anything.
/// </summary>
internal sealed class SmallTmpfs : IDisposable
{
    private const int NoSpace = 28;

    private SmallTmpfs(string path) => Path = path;

    public string Path { get; }

    private string FillerPath => System.IO.Path.Combine(Path, "filler");

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> on a new scratch folder.</summary>
    public static SmallTmpfs Mount(long bytes)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException("This disk-full test mounts a small tmpfs and must run as root (CI does); it was run as an unprivileged user.");
        }

        var path = Directory.CreateTempSubdirectory("edgellm-tmpfs-").FullName;
        try
        {
            Run("mount", "-t", "tmpfs", "-o", $"size={bytes},mode=0755", "edgellm-test", path);
        }
        catch
        {
            Directory.Delete(path);
            throw;
        }

        return new SmallTmpfs(path);
    }

    /// <summary>A folder on the tmpfs (created).</summary>
    public string Folder(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    /// <summary>Writes a filler file until the file system answers ENOSPC; returns the bytes it took.</summary>
    public long Fill()
    {
        using var filler = new FileStream(FillerPath, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        foreach (var block in new[] { 64 * 1024, 4096, 512 })
        {
            var bytes = new byte[block];
            try
            {
                while (true)
                {
                    filler.Write(bytes);
                }
            }
            catch (IOException ex) when (ex.HResult == NoSpace)
            {
                // Full at this block size; smaller blocks take what is left.
            }
        }

        return filler.Length;
    }

    /// <summary>Deletes the filler: the space is back.</summary>
    public void Free() => File.Delete(FillerPath);

    public void Dispose()
    {
        // Lazily: a connection pool may still hold a file open; the mount goes once it lets go.
        Run("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static void Run(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {command}.");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }
    }
}
