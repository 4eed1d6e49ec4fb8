using EdgeLlm.Storage;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.State;
using EdgeLlm.Updates.Signing;
using EdgeLlm.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EdgeLlm.Updates.Tests.Bundles;

/// <summary>The acceptance rules on bundles signed by the real minisign, with the device state in a real LiteDB file.</summary>
public sealed class BundleVerifierTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly Minisign _minisign = new();
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly string _stateFile;
    private readonly MinisignVerifier _signatures;

    public BundleVerifierTests()
    {
        var key = _minisign.CreateKey("publisher");
        _signatures = new MinisignVerifier(TrustedKeyRing.Load(Path.GetDirectoryName(key)!), allowLegacy: false);
        _stateFile = Path.Combine(_minisign.Folder, "state.db");
    }

    [Fact]
    public void AValidBundleIsAcceptedWithItsManifest()
    {
        var bundle = Bundle(sequence: 3);

        var accepted = Assert.IsType<BundleCheck.Accepted>(Check(bundle));

        Assert.Equal(3, accepted.Manifest.Sequence);
        Assert.Equal("model.gguf", Assert.Single(accepted.Manifest.Artifacts).Name);
        Assert.Equal("bundle models 3", accepted.TrustedComment);
    }

    [Fact]
    public void AnOlderOrEqualSequenceIsRefusedAsAReplayEvenAfterARestart()
    {
        using (var database = new StateDatabase(_stateFile))
        {
            new UpdateStateStore(database, _clock).RecordAccepted("stable", 5, Now.AddDays(-1));
        }

        AssertRefused(BundleErrors.Replayed, Check(Bundle(sequence: 5)));
        AssertRefused(BundleErrors.Replayed, Check(Bundle(sequence: 4)));
        Assert.IsType<BundleCheck.Accepted>(Check(Bundle(sequence: 6)));
        Assert.IsType<BundleCheck.Accepted>(Check(Bundle(sequence: 1, channel: "beta")));
    }

    [Fact]
    public void AnExpiredBundleIsRefused()
    {
        AssertRefused(BundleErrors.Expired, Check(Bundle(sequence: 2, expires: Now.AddSeconds(-1))));
    }

    [Fact]
    public void WindingTheClockBackDoesNotReviveAnExpiredBundle()
    {
        var bundle = Bundle(sequence: 2, created: Now.AddDays(-20), expires: Now.AddDays(-10));
        using (var database = new StateDatabase(_stateFile))
        {
            // A bundle accepted earlier carried a signed creation time of now.
            new UpdateStateStore(database, _clock).RecordAccepted("other", 1, Now);
        }

        var woundBack = new FakeTimeProvider(Now.AddDays(-15));

        AssertRefused(BundleErrors.Expired, Check(bundle, woundBack));
    }

    [Fact]
    public void ABundleForAnotherDeviceClassIsRefused()
    {
        AssertRefused(BundleErrors.WrongTarget, Check(Bundle(sequence: 2, target: "jetson-orin")));
    }

    [Fact]
    public void AFileTheManifestDoesNotListIsRefused()
    {
        var bundle = Bundle(sequence: 2);
        File.WriteAllText(Path.Combine(bundle, "extra.sh"), "echo pwned");

        AssertRefused(BundleErrors.UnlistedFile, Check(bundle));
    }

    [Fact]
    public void AMissingOrLinkedArtifactIsRefused()
    {
        var missing = Bundle(sequence: 2);
        File.Delete(Path.Combine(missing, "model.gguf"));
        var linked = Bundle(sequence: 2);
        File.Move(Path.Combine(linked, "model.gguf"), Path.Combine(_minisign.Folder, "elsewhere.gguf"));
        File.CreateSymbolicLink(Path.Combine(linked, "model.gguf"), Path.Combine(_minisign.Folder, "elsewhere.gguf"));

        AssertRefused(BundleErrors.ArtifactMissing, Check(missing));
        AssertRefused(BundleErrors.ArtifactMissing, Check(linked));
    }

    [Fact]
    public void AnUnsignedOrTamperedManifestIsRefusedBeforeAnythingElse()
    {
        var unsigned = Bundle(sequence: 2);
        File.Delete(Path.Combine(unsigned, "manifest.json.minisig"));
        var tampered = Bundle(sequence: 2);
        File.WriteAllText(Path.Combine(tampered, "manifest.json"), File.ReadAllText(Path.Combine(tampered, "manifest.json")).Replace("\"sequence\":2", "\"sequence\":9", StringComparison.Ordinal));

        AssertRefused(BundleErrors.Incomplete, Check(unsigned));
        AssertRefused(SignatureErrors.Invalid, Check(tampered));
    }

    [Fact]
    public void ASignedManifestThatIsNotAValidManifestIsRefused()
    {
        var bundle = Bundle(sequence: 2);
        var manifest = Path.Combine(bundle, "manifest.json");
        File.WriteAllText(manifest, """{"name":"../../etc","channel":"stable","sequence":2}""");
        _minisign.Sign("publisher", manifest, "bad");

        AssertRefused(BundleErrors.ManifestInvalid, Check(bundle));
    }

    public void Dispose() => _minisign.Dispose();

    private string Bundle(long sequence, DateTimeOffset? created = null, DateTimeOffset? expires = null, string target = "default", string channel = "stable") =>
        SignedBundle.Create(_minisign, "publisher", sequence, created ?? Now.AddHours(-1), expires ?? Now.AddDays(30), target, channel);

    private BundleCheck Check(string bundle, TimeProvider? clock = null)
    {
        using var database = new StateDatabase(_stateFile);
        return new BundleVerifier(_signatures, new UpdateStateStore(database, clock ?? _clock), "default").Check(bundle);
    }

    private static void AssertRefused(string code, BundleCheck check) => Assert.Equal(code, Assert.IsType<BundleCheck.Refused>(check).Code);
}
