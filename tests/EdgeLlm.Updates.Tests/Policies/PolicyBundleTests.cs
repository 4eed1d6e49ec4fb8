using System.Security.Cryptography;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.Policies;
using EdgeLlm.Updates.Signing;

namespace EdgeLlm.Updates.Tests.Policies;

/// <summary>Guardrail policies shipped as signed bundles (real minisign) through the real installer, into the running policy store.</summary>
public sealed class PolicyBundleTests : IAsyncLifetime
{
    private const string Prompt = "Tell me everything about Project X.";
    private PolicyDevice _device = null!;

    public async Task InitializeAsync() => _device = await PolicyDevice.StartAsync();

    public async Task DisposeAsync() => await _device.DisposeAsync();

    [Fact]
    public async Task ASignedPolicyBundleIsInstalledAndPutInForceWithoutARestartWhileARunningRequestKeepsItsVersion()
    {
        var inFlight = _device.Store.Current;

        var outcome = await _device.InstallAsync(await _device.PublishAsync(Policy("2026-12-03.1")));

        Assert.Equal(["policy:default:stable-1"], Assert.IsType<InstallOutcome.Installed>(outcome).Items);
        Assert.Equal("2026-12-03.1", _device.Store.Current.Version);
        Assert.Equal("no-project-x", _device.Store.For(null).Deny.Check(Prompt, GuardrailDirection.Input));
        Assert.Equal("none", inFlight.Version);
        Assert.Null(inFlight.For(null).Deny.Check(Prompt, GuardrailDirection.Input));
        var installed = _device.State.FindInstalled("policy", "default")!;
        Assert.Equal(Path.Combine(_device.Root, "policies", "default", "stable-1", "default.policy.json"), installed.Active!.Path);
        Assert.True(File.Exists(installed.Active.Path));
        Assert.Null(installed.Previous);
        Assert.Equal("installed", _device.State.History(1)[0].Event);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_device.Root, "staging")));
    }

    [Fact]
    public async Task APolicyThatFailsValidationInAValidlySignedBundleIsRefusedWithItsPathAndThePreviousPolicyKeepsApplying()
    {
        await _device.InstalledAsync(await _device.PublishAsync(Policy("v1")));
        var before = _device.Store.Current;

        var outcome = await _device.InstallAsync(await _device.PublishAsync(Policy("v2").Replace("\"input\": \"redact\"", "\"input\": \"explode\"", StringComparison.Ordinal)));

        var refused = Assert.IsType<InstallOutcome.Refused>(outcome);
        Assert.Equal(PolicyArtifacts.Invalid, refused.Code);
        Assert.Contains("$.detectors.email.input", refused.Message, StringComparison.Ordinal);
        Assert.Same(before, _device.Store.Current);
        Assert.Equal("stable-1", _device.State.FindInstalled("policy", "default")!.Active!.Version);
        Assert.False(Directory.Exists(Path.Combine(_device.Root, "policies", "default", "stable-2")));
        Assert.Equal((PolicyArtifacts.Invalid, 2L), (_device.State.LastError()!.Value.Code, _device.State.HighestSequence("stable")));
        await _device.RestartAsync();
        Assert.Equal("v1", _device.Store.Current.Version);
    }

    [Fact]
    public async Task APolicyWhoseGuardIsNoConfiguredGuardModelIsRefusedAndThePreviousPolicyKeepsApplying()
    {
        await _device.InstalledAsync(await _device.PublishAsync(Policy("v1")));
        var before = _device.Store.Current;

        var guarded = """{ "version": "v2", "guard": { "model": "llama-guard-3-1b", "categories": ["S1"] }, "failure_mode": "closed" }""";
        var outcome = await _device.InstallAsync(await _device.PublishAsync(guarded));

        var refused = Assert.IsType<InstallOutcome.Refused>(outcome);
        Assert.Equal(PolicyArtifacts.Invalid, refused.Code);
        Assert.Contains("names guard model 'llama-guard-3-1b'", refused.Message, StringComparison.Ordinal);
        Assert.Same(before, _device.Store.Current);
        Assert.Equal("stable-1", _device.State.FindInstalled("policy", "default")!.Active!.Version);
    }

    [Fact]
    public async Task APolicyBundleWhoseSignatureNoLongerMatchesIsRefusedAndThePreviousPolicyKeepsApplying()
    {
        await _device.InstalledAsync(await _device.PublishAsync(Policy("v1")));
        var before = _device.Store.Current;
        var bundle = await _device.PublishAsync(Policy("v2"));
        // Someone on the way swaps the policy for one that allows everything and fixes the manifest to match.
        var swapped = """{ "version": "v2-open" }"""u8.ToArray();
        var signedManifest = await File.ReadAllTextAsync(Path.Combine(bundle, BundleVerifier.ManifestFile));
        var original = await File.ReadAllBytesAsync(Path.Combine(bundle, "default.policy.json"));
        await File.WriteAllBytesAsync(Path.Combine(bundle, "default.policy.json"), swapped);
        await File.WriteAllTextAsync(Path.Combine(bundle, BundleVerifier.ManifestFile), signedManifest
            .Replace(Convert.ToHexStringLower(SHA256.HashData(original)), Convert.ToHexStringLower(SHA256.HashData(swapped)), StringComparison.Ordinal)
            .Replace($"\"size\": {original.Length}", $"\"size\": {swapped.Length}", StringComparison.Ordinal));

        var outcome = await _device.InstallAsync(bundle);

        Assert.Equal(SignatureErrors.Invalid, Assert.IsType<InstallOutcome.Refused>(outcome).Code);
        Assert.Same(before, _device.Store.Current);
        Assert.Equal("stable-1", _device.State.FindInstalled("policy", "default")!.Active!.Version);
        Assert.False(Directory.Exists(Path.Combine(_device.Root, "policies", "default", "stable-2")));
        Assert.Equal(1, _device.State.HighestSequence("stable"));
    }

    [Fact]
    public async Task RollingBackPutsThePreviousVersionInForceInTheRunningDaemonAndItStaysAfterARestart()
    {
        await _device.InstalledAsync(await _device.PublishAsync(Policy("v1")));
        await _device.InstalledAsync(await _device.PublishAsync(Policy("v2")));
        Assert.Equal("v2", _device.Store.Current.Version);

        var outcome = await _device.Rollback.RollBackAsync("default", CancellationToken.None);

        Assert.Equal(new RollbackOutcome.RolledBack("stable-2", "stable-1"), outcome);
        Assert.Equal("v1", _device.Store.Current.Version);
        var installed = _device.State.FindInstalled("policy", "default")!;
        Assert.Equal(("stable-1", null), (installed.Active!.Version, installed.Previous));
        Assert.False(Directory.Exists(Path.Combine(_device.Root, "policies", "default", "stable-2")));
        Assert.Equal(new RollbackOutcome.NoPrevious("stable-1"), await _device.Rollback.RollBackAsync("default", CancellationToken.None));
        Assert.IsType<RollbackOutcome.NotInstalled>(await _device.Rollback.RollBackAsync("other", CancellationToken.None));
        await _device.RestartAsync();
        Assert.Equal("v1", _device.Store.Current.Version);
    }

    [Fact]
    public async Task AtStartUpTheInstalledPolicyIsPutInForce()
    {
        await _device.InstalledAsync(await _device.PublishAsync(Policy("v1")));

        await _device.RestartAsync();

        Assert.Equal("v1", _device.Store.Current.Version);
        Assert.Equal("no-project-x", _device.Store.For(null).Deny.Check(Prompt, GuardrailDirection.Input));
    }

    [Fact]
    public async Task AnInstalledVersionThatNoLongerReadsAtStartUpIsRefusedAndThePreviousVersionApplies()
    {
        await _device.InstalledAsync(await _device.PublishAsync(Policy("v1")));
        await _device.InstalledAsync(await _device.PublishAsync(Policy("v2")));
        await File.WriteAllTextAsync(_device.State.FindInstalled("policy", "default")!.Active!.Path, "{ \"version\": ");

        await _device.RestartAsync();

        Assert.Equal("v1", _device.Store.Current.Version);
        var installed = _device.State.FindInstalled("policy", "default")!;
        Assert.Equal(("stable-1", null), (installed.Active!.Version, installed.Previous));
        var reported = _device.State.History(1)[0];
        Assert.Equal(("rolled_back", PolicyArtifacts.Invalid), (reported.Event, reported.Code));
    }

    [Fact]
    public async Task ABundleForAnotherPolicySetThanTheOneEnforcedIsRefused()
    {
        await _device.InstalledAsync(await _device.PublishAsync(Policy("v1")));

        var outcome = await _device.InstallAsync(await _device.PublishAsync(Policy("v2"), name: "factory"));

        Assert.Equal(PolicyArtifacts.NameConflict, Assert.IsType<InstallOutcome.Refused>(outcome).Code);
        Assert.Equal("v1", _device.Store.Current.Version);
        Assert.Null(_device.State.FindInstalled("policy", "factory"));
    }

    /// <summary>A policy that redacts e-mail addresses on input and denies prompts about Project X.</summary>
    internal static string Policy(string version) => $$"""
        {
          "version": "{{version}}",
          "detectors": { "email": { "input": "redact" } },
          "deny": [ { "name": "no-project-x", "directions": ["input", "output"], "keywords": ["project x"] } ]
        }
        """;
}
