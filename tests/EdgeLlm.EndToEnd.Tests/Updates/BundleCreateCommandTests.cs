using System.Security.Cryptography;
using EdgeLlm.Storage;
using EdgeLlm.Testing;
using EdgeLlm.Updates.Bundles;
using EdgeLlm.Updates.State;
using EdgeLlm.Updates.Signing;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>A publisher's round trip: <c>edgellm bundle create</c>, the stock <c>minisign -Sm</c>, then the device's verifier.</summary>
public sealed class BundleCreateCommandTests : IDisposable
{
    private readonly Minisign _minisign = new();

    [Fact]
    public async Task ABundleWrittenByTheCliAndSignedByMinisignIsAcceptedWithEveryArtifactListed()
    {
        var key = _minisign.CreateKey("publisher");
        var model = _minisign.WriteFile("assistant.gguf", Convert.ToBase64String(RandomNumberGenerator.GetBytes(3000)));
        var prompts = _minisign.WriteFile("prompts.json", """{"system":"Answer from the manuals."}""");
        var bundle = Path.Combine(_minisign.Folder, "bundle");

        var (exitCode, output) = await EdgeLlmProcess.RunToEndAsync(["bundle", "create", "--name", "assistant", "--sequence", "4", "--expires-in", "7d", "--out", bundle, model, prompts]);
        _minisign.Sign("publisher", Path.Combine(bundle, "manifest.json"), "assistant 4");

        Assert.True(exitCode == 0, output);
        using var database = new StateDatabase(Path.Combine(_minisign.Folder, "state.db"));
        var state = new UpdateStateStore(database, TimeProvider.System);
        var verifier = new BundleVerifier(new MinisignVerifier(TrustedKeyRing.Load(Path.GetDirectoryName(key)!), false), state, "default");
        var accepted = Assert.IsType<BundleCheck.Accepted>(verifier.Check(bundle));
        Assert.Equal(4, accepted.Manifest.Sequence);
        Assert.Equal(["model", "config"], accepted.Manifest.Artifacts.Select(a => a.Kind));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(model))), accepted.Manifest.Artifacts[0].Sha256);
        Assert.InRange(accepted.Manifest.Expires - accepted.Manifest.Created, TimeSpan.FromDays(7), TimeSpan.FromDays(7));
    }

    [Theory]
    [InlineData("../escape", "4")]
    [InlineData("assistant", "0")]
    public async Task ABadDescriptionIsRefusedAndLeavesNoFolder(string name, string sequence)
    {
        var model = _minisign.WriteFile("assistant.gguf", "weights");
        var bundle = Path.Combine(_minisign.Folder, "bundle");

        var (exitCode, _) = await EdgeLlmProcess.RunToEndAsync(["bundle", "create", "--name", name, "--sequence", sequence, "--out", bundle, model]);

        Assert.Equal(2, exitCode);
        Assert.False(Directory.Exists(bundle));
    }

    public void Dispose() => _minisign.Dispose();
}
