using EdgeLlm.Storage;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.Policies;
using EdgeLlm.Updates.State;

namespace EdgeLlm.Updates.Tests.Policies;

/// <summary>How a policy artifact is recognised, named and planned.</summary>
public sealed class PolicyArtifactTests
{
    [Theory]
    [InlineData("default.policy.json", "policy")]
    [InlineData("default.json", "config")]
    [InlineData("policy.json.gguf", "model")]
    public void ThePublishersToolRecognisesAPolicyByItsSuffix(string file, string kind) => Assert.Equal(kind, BundleWriter.KindOf(file));

    [Theory]
    [InlineData("default.policy.json", "default")]
    [InlineData("factory.json", "factory")]
    [InlineData("plant-7", "plant-7")]
    public void ThePolicySetIsNamedByTheArtifactWithoutItsSuffix(string artifact, string name) => Assert.Equal(name, PolicyArtifacts.PolicyName(artifact));

    [Fact]
    public void APolicyIsPlannedIntoItsOwnVersionFolderAndABundleCarriesAtMostOne()
    {
        var paths = new UpdatePaths(new DataDirectoryLayout("/var/lib/edgellm"));
        var plan = new InstallPlan();

        Assert.Null(InstallPlanner.Plan(plan, Manifest(("policy", "default.policy.json")), paths));
        var item = Assert.Single(plan.Items);
        Assert.Equal(("default", "stable-4"), (item.Name, item.Version));
        Assert.Equal("/var/lib/edgellm/policies/default/stable-4/default.policy.json", item.ServedPath);

        var two = InstallPlanner.Plan(new InstallPlan(), Manifest(("policy", "default.policy.json"), ("policy", "other.policy.json")), paths);
        Assert.Equal(BundleErrors.ManifestInvalid, two?.Code);
    }

    private static BundleManifest Manifest(params (string Kind, string Name)[] artifacts) => new(
        "policies", "stable", 4, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), "default",
        [.. artifacts.Select(a => new BundleArtifact(a.Kind, a.Name, 10, new string('0', 64)))]);
}
