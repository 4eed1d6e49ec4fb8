using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Policies;
using EdgeLlm.Updates.State;

namespace EdgeLlm.Updates.Install;

/// <summary>Turns an accepted manifest into a plan: what each artifact installs as, and where.</summary>
internal static class InstallPlanner
{
    private const int MaxItemName = 64;

    /// <summary>Fills the plan; a refusal when an artifact cannot be installed under a valid name.</summary>
    public static BundleCheck.Refused? Plan(InstallPlan plan, BundleManifest manifest, UpdatePaths paths)
    {
        plan.Bundle = manifest.Name;
        plan.Channel = manifest.Channel;
        plan.Sequence = manifest.Sequence;
        plan.Created = manifest.Created.UtcDateTime;
        var version = $"{manifest.Channel}-{manifest.Sequence}";
        plan.Items = [];
        foreach (var artifact in manifest.Artifacts)
        {
            var name = artifact.Kind switch
            {
                "model" => ModelName(artifact.Name),
                "policy" => PolicyArtifacts.PolicyName(artifact.Name),
                "daemon" => DaemonName,
                _ => manifest.Name,
            };
            if (artifact.Kind is "model" or "policy" && (name.Length is 0 or > MaxItemName || name.StartsWith('.')))
            {
                return new BundleCheck.Refused(BundleErrors.ManifestInvalid, $"{(artifact.Kind == "model" ? "Model" : "Policy")} artifact '{artifact.Name}' does not give a name of 1-{MaxItemName} characters.");
            }

            plan.Items.Add(new PlannedItem
            {
                Kind = artifact.Kind, Name = name, Version = version, FileName = artifact.Name,
                VersionDirectory = paths.VersionDirectory(artifact.Kind, name, version),
            });
        }

        if (plan.Items.Count(i => i.Kind == "daemon") > 1)
        {
            return new BundleCheck.Refused(BundleErrors.ManifestInvalid, "A bundle carries at most one daemon release.");
        }

        // A device enforces one policy set at a time.
        if (plan.Items.Count(i => i.Kind == "policy") > 1)
        {
            return new BundleCheck.Refused(BundleErrors.ManifestInvalid, "A bundle carries at most one policy.");
        }

        var models = plan.Items.Where(i => i.Kind == "model").Select(i => i.Name).ToList();
        return models.Distinct(StringComparer.Ordinal).Count() == models.Count
            ? null
            : new BundleCheck.Refused(BundleErrors.ManifestInvalid, "Two model artifacts give the same model name.");
    }

    /// <summary>The catalog name of the daemon itself.</summary>
    public const string DaemonName = "edgellm";

    /// <summary>A model is served under its file name without <c>.gguf</c>.</summary>
    public static string ModelName(string artifactName) =>
        artifactName.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) ? artifactName[..^5] : artifactName;
}
