using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Updates.Install;

/// <summary>
/// Keeps update storage within bounds: staging leftovers and versions that are neither active nor previous are
/// removed, and so are the pull's kept downloads when nothing pulls (<c>Updates:PullUrl</c> unset); over
/// <c>Updates:DiskBudgetBytes</c> (which counts models, policies, configs and staging, kept downloads included) the kept
/// downloads go first, then previous versions (oldest first); a bundle that cannot fit next to the active versions
/// is refused before it is placed, and a pulled one before it is downloaded.
/// </summary>
public sealed class StorageCollector(UpdateStateStore state, UpdatePaths paths, IOptions<UpdatesOptions> options, ILogger<StorageCollector> logger)
{
    private const string OverBudget = "over Updates:DiskBudgetBytes";

    /// <summary>A refusal when the staged bundle and every active version together exceed the budget.</summary>
    public BundleCheck.Refused? Refuses(InstallPlan plan) => Refuses(Size(Path.Combine(plan.StagingDirectory, "files")));

    /// <summary>A refusal when the artifacts <paramref name="manifest"/> signs and every active version together would exceed the budget.</summary>
    public BundleCheck.Refused? Refuses(BundleManifest manifest) => Refuses(manifest.Artifacts.Sum(a => a.Size));

    /// <summary>Removes what no plan or catalog entry needs; <paramref name="liveStaging"/> belongs to a running install.</summary>
    public void Collect(string? liveStaging)
    {
        foreach (var staging in Subdirectories(paths.Staging).Where(d => d != liveStaging && d != paths.Downloads))
        {
            Remove(staging, "staging leftover");
        }

        if (options.Value.PullUrl is null)
        {
            // Nothing will ever resume them.
            Remove(paths.Downloads, "kept downloads, and Updates:PullUrl is unset");
        }

        var installed = state.Installed();
        var kept = installed.SelectMany(i => new[] { i.Active, i.Previous }).OfType<InstalledVersion>()
            .Where(v => !string.IsNullOrEmpty(v.Folder)).Select(v => v.Folder).ToHashSet(StringComparer.Ordinal);
        // A rollout's candidate is neither active nor previous until it is promoted.
        kept.UnionWith(state.RolloutFolders());
        foreach (var root in new[] { paths.Models, paths.Policies, paths.Configs })
        {
            foreach (var name in Subdirectories(root))
            {
                foreach (var version in Subdirectories(name).Where(v => !kept.Contains(v)))
                {
                    Remove(version, "neither active nor previous");
                }

                if (!Directory.EnumerateFileSystemEntries(name).Any())
                {
                    Directory.Delete(name);
                }
            }
        }

        // Releases: the one 'current' points at stays whatever the catalog says (it may be the provisioned one).
        var current = Releases.ReleaseSwitch.Current(paths);
        foreach (var release in Subdirectories(paths.Releases).Where(r => !kept.Contains(r) && r != current
                     && Path.GetFileName(r) is not ("current" or "pending" or "pending.tmp")))
        {
            Remove(release, "neither the active nor the previous daemon release");
        }

        EnforceBudget(installed);
    }

    private void EnforceBudget(IReadOnlyList<InstalledItem> installed)
    {
        var budget = options.Value.DiskBudgetBytes;
        if (budget <= 0)
        {
            return;
        }

        var used = Size(paths.Models) + Size(paths.Policies) + Size(paths.Configs) + Size(paths.Staging);
        if (used > budget)
        {
            // Bytes that can be fetched again go before a version that can be rolled back to.
            used -= Remove(paths.Downloads, OverBudget);
        }

        foreach (var item in installed.Where(i => i.Previous?.Bundle is not null).OrderBy(i => i.Previous!.ActivatedAt))
        {
            if (used <= budget)
            {
                return;
            }

            var directory = item.Previous!.Folder;
            state.ForgetPrevious(item.Kind, item.Name);
            used -= Remove(directory, OverBudget);
        }
    }

    private BundleCheck.Refused? Refuses(long bundleBytes)
    {
        var budget = options.Value.DiskBudgetBytes;
        if (budget <= 0)
        {
            return null;
        }

        var active = state.Installed().Select(i => i.Active).OfType<InstalledVersion>().Where(v => v.Bundle is not null).Sum(v => Size(v.Folder));
        return bundleBytes + active <= budget
            ? null
            : new BundleCheck.Refused("disk_budget_exceeded", $"The bundle ({bundleBytes} bytes) does not fit next to the active versions ({active} bytes) within Updates:DiskBudgetBytes ({budget}).");
    }

    /// <summary>Removes <paramref name="directory"/> when it exists; the bytes it held.</summary>
    private long Remove(string directory, string why)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var bytes = Size(directory);
        InstallFiles.DeleteDirectory(directory);
        UpdatesLog.Collected(logger, directory, bytes, why);
        return bytes;
    }

    private static IEnumerable<string> Subdirectories(string path) =>
        Directory.Exists(path) ? Directory.GetDirectories(path) : [];

    private static long Size(string path) =>
        Directory.Exists(path) ? new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;
}
