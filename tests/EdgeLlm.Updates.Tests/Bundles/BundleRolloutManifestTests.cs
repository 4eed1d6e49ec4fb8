using System.Text;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Rollouts;

namespace EdgeLlm.Updates.Tests.Bundles;

/// <summary>A manifest's optional <c>rollout</c>, read as strictly as the rest of it.</summary>
public sealed class BundleRolloutManifestTests
{
    private const string Model = """{ "kind": "model", "name": "assistant.gguf", "size": 16, "sha256": "0000000000000000000000000000000000000000000000000000000000000000" }""";
    private const string Config = """{ "kind": "config", "name": "policy.json", "size": 16, "sha256": "1111111111111111111111111111111111111111111111111111111111111111" }""";

    [Fact]
    public void AManifestWithoutARolloutReadsAsBefore() => Assert.Null(Read(null)!.Rollout);

    [Fact]
    public void ARolloutWithStepsIntervalAndStickinessIsRead()
    {
        var rollout = Read("""{ "steps": [10, 50, 100], "interval": "PT15M", "sticky_by": "user" }""")!.Rollout!;

        Assert.Equal([10, 50, 100], rollout.Steps!);
        Assert.Equal(TimeSpan.FromMinutes(15), rollout.Interval);
        Assert.Equal(RolloutStickiness.User, rollout.StickyBy);
    }

    [Fact]
    public void AnEmptyRolloutTakesEverythingFromTheSettings()
    {
        var rollout = Read("{}")!.Rollout!;

        Assert.Equal((null, null, null), (rollout.Steps, rollout.Interval, rollout.StickyBy));
    }

    [Theory]
    [InlineData("""{ "steps": [50, 25, 100] }""", "rising")]
    [InlineData("""{ "steps": [5, 25] }""", "last step must be 100")]
    [InlineData("""{ "steps": [0, 100] }""", "rising")]
    [InlineData("""{ "steps": ["5", 100] }""", "not a valid manifest")]
    [InlineData("""{ "interval": "10 minutes" }""", "ISO 8601")]
    [InlineData("""{ "interval": "PT0S" }""", "between 1 second and 7 days")]
    [InlineData("""{ "sticky_by": "tenant" }""", "sticky_by")]
    [InlineData("""{ "weight": 5 }""", "not a valid manifest")]
    public void AWrongRolloutIsRefusedWithAReason(string rollout, string reason)
    {
        Assert.Null(Read(rollout, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ARolloutNeedsExactlyOneArtifactAndThatAModel()
    {
        Assert.Null(Read("{}", out var error, Model + ", " + Config));
        Assert.Contains("exactly one artifact", error, StringComparison.Ordinal);
        Assert.Null(Read("{}", out _, Config));
    }

    private static BundleManifest? Read(string? rollout) => Read(rollout, out _);

    private static BundleManifest? Read(string? rollout, out string? error, string artifacts = Model)
    {
        var json = $$"""
            { "name": "assistant", "channel": "stable", "sequence": 3, "created": "2026-11-01T08:00:00Z", "expires": "2026-12-01T08:00:00Z",
              "target": "default", "artifacts": [ {{artifacts}} ]{{(rollout is null ? "" : ", \"rollout\": " + rollout)}} }
            """;
        return BundleManifestReader.TryRead(Encoding.UTF8.GetBytes(json), out error);
    }
}
