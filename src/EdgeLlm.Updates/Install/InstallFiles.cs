using EdgeLlm.Updates.State;

namespace EdgeLlm.Updates.Install;

/// <summary>The files an install leaves: folders removed whole, and a plan's version folders removed unless the catalog still names them.</summary>
internal static class InstallFiles
{
    public static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>Removes what <paramref name="plan"/> placed (and half-placed), keeping any folder that is an active or previous version.</summary>
    public static void RemovePlaced(UpdateStateStore state, InstallPlan plan)
    {
        foreach (var item in plan.Items)
        {
            DeleteDirectory(item.VersionDirectory + ".partial");
            if (state.FindInstalled(item.Kind, item.Name) is not { } installed
                || (installed.Active?.Folder != item.VersionDirectory && installed.Previous?.Folder != item.VersionDirectory))
            {
                DeleteDirectory(item.VersionDirectory);
            }
        }
    }
}
