using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.State;

namespace EdgeLlm.Updates.Rollouts;

/// <summary>The versions an operator can name as a rollout's candidate, the same way for every kind.</summary>
internal static class RolloutVersions
{
    /// <summary>
    /// The catalog's previous version of that name, else a version folder under the kind's
    /// <c>&lt;name&gt;/</c> folder holding exactly one file matching <paramref name="pattern"/>.
    /// </summary>
    public static InstalledVersion? Installed(UpdateStateStore state, UpdatePaths paths, string kind, string name, string version, string pattern)
    {
        if (state.FindInstalled(kind, name)?.Previous is { } previous && previous.Version == version)
        {
            return new() { Version = previous.Version, Path = previous.Path, Folder = previous.Folder, Bundle = previous.Bundle, Channel = previous.Channel, Sequence = previous.Sequence };
        }

        if (!BundleManifestReader.IsSafeName(version))
        {
            return null;
        }

        var folder = paths.VersionDirectory(kind, name, version);
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, pattern) : [];
        return files.Length == 1 ? new InstalledVersion { Version = version, Path = files[0], Folder = folder } : null;
    }

    /// <summary>A file given by path: its version is <c>file:&lt;file name&gt;</c>.</summary>
    public static InstalledVersion? FromFile(string path) =>
        File.Exists(path) ? new InstalledVersion { Version = "file:" + Path.GetFileName(path), Path = Path.GetFullPath(path) } : null;
}
