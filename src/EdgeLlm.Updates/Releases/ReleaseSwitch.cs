using System.Runtime.InteropServices;
using EdgeLlm.Updates.Install;

namespace EdgeLlm.Updates.Releases;

/// <summary>
/// Which daemon release the service starts: <c>releases/current</c>, a symbolic link switched in one rename. A new
/// release is marked pending (its version, the release to go back to, start-ups so far) until it reports healthy;
/// the service's <c>ExecStartPre</c> guard (<c>systemd/edgellm-release-guard</c>) counts its start-ups and goes
/// back on its own when it never comes up, so even a release that cannot start at all is undone.
/// </summary>
public static partial class ReleaseSwitch
{
    /// <summary>Points <c>current</c> at <paramref name="releaseDirectory"/> and marks it pending; returns the release it replaced.</summary>
    public static string? Activate(UpdatePaths paths, string releaseDirectory, string version)
    {
        Directory.CreateDirectory(paths.Releases);
        var previous = Current(paths);
        var pending = paths.PendingRelease + ".tmp";
        InstallFiles.DeleteDirectory(pending);
        Directory.CreateDirectory(pending);
        File.WriteAllText(Path.Combine(pending, "version"), version + "\n");
        File.WriteAllText(Path.Combine(pending, "previous"), (previous ?? "") + "\n");
        File.WriteAllText(Path.Combine(pending, "starts"), "0\n");
        InstallFiles.DeleteDirectory(paths.PendingRelease);
        Directory.Move(pending, paths.PendingRelease);
        Point(paths.CurrentRelease, releaseDirectory);
        return previous;
    }

    /// <summary>The folder <c>current</c> points at, or null when there is none.</summary>
    public static string? Current(UpdatePaths paths) =>
        new FileInfo(paths.CurrentRelease).LinkTarget is { } target ? Path.GetFullPath(target, paths.Releases) : null;

    /// <summary>The version marked pending, or null.</summary>
    public static string? PendingVersion(UpdatePaths paths)
    {
        var file = Path.Combine(paths.PendingRelease, "version");
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }

    /// <summary>The running release proved itself: it is no longer pending.</summary>
    public static void Confirm(UpdatePaths paths) => InstallFiles.DeleteDirectory(paths.PendingRelease);

    private static void Point(string link, string target)
    {
        var temporary = link + ".tmp";
        File.Delete(temporary);
        File.CreateSymbolicLink(temporary, target);
        // rename(2) replaces the old link atomically: the service never sees no 'current'. (File.Move follows a
        // link to a folder and refuses it.)
        if (Rename(temporary, link) != 0)
        {
            throw new IOException($"Switching {link} failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [LibraryImport("libc", EntryPoint = "rename", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Rename(string from, string to);
}
