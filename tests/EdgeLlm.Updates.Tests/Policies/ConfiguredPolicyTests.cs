using EdgeLlm.Updates.Install;
using EdgeLlm.Updates.Policies;

namespace EdgeLlm.Updates.Tests.Policies;

/// <summary>A device provisioned with <c>Guardrails:PolicyFile</c>: installed policies take precedence, and the file is what the first one rolls back to.</summary>
public sealed class ConfiguredPolicyTests : IAsyncLifetime
{
    private PolicyDevice _device = null!;

    public async Task InitializeAsync() => _device = await PolicyDevice.StartAsync(configuredPolicy: PolicyBundleTests.Policy("configured-1"));

    public async Task DisposeAsync() => await _device.DisposeAsync();

    [Fact]
    public async Task TheInstalledPolicyTakesPrecedenceOverTheConfiguredFileAtStartUp()
    {
        Assert.Equal("configured-1", _device.Store.Current.Version);
        await _device.InstalledAsync(await _device.PublishAsync(PolicyBundleTests.Policy("v1")));

        await _device.RestartAsync();

        Assert.Equal("v1", _device.Store.Current.Version);
    }

    [Fact]
    public async Task RollingBackTheFirstInstalledPolicyPutsTheConfiguredFileBackInForce()
    {
        await _device.InstalledAsync(await _device.PublishAsync(PolicyBundleTests.Policy("v1")));

        var outcome = await _device.Rollback.RollBackAsync("default", CancellationToken.None);

        Assert.Equal(new RollbackOutcome.RolledBack("stable-1", PolicySwitch.ConfiguredVersion), outcome);
        Assert.Equal("configured-1", _device.Store.Current.Version);
        await _device.RestartAsync();
        Assert.Equal("configured-1", _device.Store.Current.Version);
    }

    [Fact]
    public async Task AnInstalledPolicyThatNoLongerReadsWithNothingBeforeItButTheFileLeavesTheCatalogAndTheFileApplies()
    {
        await _device.InstalledAsync(await _device.PublishAsync(PolicyBundleTests.Policy("v1")));
        _device.State.ForgetPrevious("policy", "default");
        File.Delete(_device.State.FindInstalled("policy", "default")!.Active!.Path);

        await _device.RestartAsync();

        Assert.Equal("configured-1", _device.Store.Current.Version);
        Assert.Null(_device.State.FindInstalled("policy", "default"));
    }
}
