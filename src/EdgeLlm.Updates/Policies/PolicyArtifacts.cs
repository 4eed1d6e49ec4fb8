using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Inference;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.State;

namespace EdgeLlm.Updates.Policies;

/// <summary>
/// A bundle's <c>policy</c> artifact: one guardrail policy document (JSON), named <c>&lt;name&gt;.policy.json</c> by
/// publishers, installed as the policy set <c>&lt;name&gt;</c>. A device enforces one policy set, so every policy bundle
/// carries the name of the one installed first (<c>default</c> by convention).
/// </summary>
public static class PolicyArtifacts
{
    /// <summary>What <c>edgellm bundle create</c> recognises a policy document by.</summary>
    public const string FileSuffix = ".policy.json";

    /// <summary>A signed policy document that fails validation; its message names the JSON path of the first problem.</summary>
    public const string Invalid = "policy_invalid";

    /// <summary>A policy bundle for another policy set than the one this device enforces.</summary>
    public const string NameConflict = "policy_name_conflict";

    /// <summary>The policy set's name: the artifact's file name without <c>.policy.json</c> (or <c>.json</c>).</summary>
    public static string PolicyName(string artifactName) =>
        artifactName.EndsWith(FileSuffix, StringComparison.Ordinal) ? artifactName[..^FileSuffix.Length]
        : artifactName.EndsWith(".json", StringComparison.Ordinal) ? artifactName[..^".json".Length]
        : artifactName;

    /// <summary>
    /// Reads and compiles each staged policy document of <paramref name="plan"/> exactly as the running daemon will, so
    /// a document that would be refused at activation is refused before anything is placed; so is one whose guard is
    /// none of <paramref name="guardModels"/> (the configured models with the role guard), or whose name is not the set
    /// <paramref name="state"/> says this device enforces.
    /// </summary>
    public static BundleCheck.Refused? CheckStaged(InstallPlan plan, UpdateStateStore state, IReadOnlySet<string> guardModels)
    {
        foreach (var item in plan.Items.Where(i => i.Kind == "policy"))
        {
            if (state.Installed().FirstOrDefault(i => i.Kind == "policy" && i.Name != item.Name) is { } enforced)
            {
                return new BundleCheck.Refused(NameConflict,
                    $"This device enforces policy set '{enforced.Name}'; the bundle's policy '{item.Name}' must carry that name ({enforced.Name}{FileSuffix}).");
            }

            if (Read(item.Name, Path.Combine(plan.StagingDirectory, "files", item.FileName), guardModels).Refusal is { } refused)
            {
                return new BundleCheck.Refused(Invalid, refused);
            }
        }

        return null;
    }

    /// <summary>The configured models with the role guard: the only guards a policy may name.</summary>
    public static HashSet<string> GuardModels(InferenceOptions inference) =>
        inference.Models.Where(m => m.Role == "guard").Select(m => m.EffectiveName).ToHashSet(StringComparer.Ordinal);

    /// <summary>The policy file at <paramref name="path"/> read and compiled as the daemon will, or why it is refused (a sentence naming the JSON path or the unknown guard).</summary>
    public static (GuardrailPolicySet? Policies, string? Refusal) Read(string name, string path, IReadOnlySet<string> guardModels) => PolicyFiles.Read(path) switch
    {
        PolicyLoadResult.Refused refused => (null, $"Policy '{name}' is refused at {refused.Path}: {refused.Message}"),
        PolicyLoadResult.Loaded loaded when loaded.Policies.UnknownGuards(guardModels).FirstOrDefault() is { } unknown => (null, $"Policy '{name}' is refused: {unknown}"),
        PolicyLoadResult.Loaded loaded => (loaded.Policies, null),
        _ => throw new InvalidOperationException("A policy load result is either loaded or refused."),
    };
}
