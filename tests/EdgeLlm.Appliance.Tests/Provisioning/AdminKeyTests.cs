using System.Net;
using System.Net.Http.Headers;
using EdgeLlm.Appliance.Tests.Support;
using EdgeLlm.EndToEnd.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Appliance.Tests.Provisioning;

/// <summary>
/// The admin key the first provisioning run printed opens the API of the daemon it installed: the published,
/// self-contained edgellm from the scratch root's /opt, serving that root's data directory. Its image
/// HEALTHCHECK command answers for the same daemon.
/// </summary>
[Collection(ApplianceCollection.Name)]
public sealed class AdminKeyTests(ApplianceFixture appliance)
{
    [Fact]
    public async Task ThePrintedAdminKeyIsAcceptedByTheInstalledDaemonAndAWrongOneIsNot()
    {
        EdgeLlmProcess.UseDaemon(Path.Combine(appliance.NativeRoot, "opt", "edgellm", "edgellm"));
        var key = ProvisioningTests.AdminKey(appliance.FirstProvisioning);
        await using var daemon = await EdgeLlmProcess.StartAsync(
            TestModels.Stories260K, createKey: false, dataDirectory: Path.Combine(appliance.NativeRoot, "var", "lib", "edgellm"));
        await daemon.WaitUntilReadyAsync(TimeSpan.FromMinutes(1));
        using var client = daemon.CreateClient(TimeSpan.FromSeconds(30));

        using var withKey = new HttpRequestMessage(HttpMethod.Get, "/v1/models") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) } };
        using var accepted = await client.SendAsync(withKey);
        using var withWrongKey = new HttpRequestMessage(HttpMethod.Get, "/v1/models") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key[..^4] + "AAAA") } };
        using var refused = await client.SendAsync(withWrongKey);
        var health = await Command.RunAsync(Path.Combine(appliance.NativeRoot, "opt", "edgellm", "edgellm"), ["health", "--url", daemon.Address.ToString()]);
        var ready = await Command.RunAsync(Path.Combine(appliance.NativeRoot, "opt", "edgellm", "edgellm"), ["health", "--ready", "--url", daemon.Address.ToString()]);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.True(health.ExitCode == 0, health.ToString());
        Assert.Contains("/healthz: 200", health.StandardOutput, StringComparison.Ordinal);
        Assert.True(ready.ExitCode == 0, ready.ToString());
        Assert.Equal(0, await daemon.TerminateAsync(TimeSpan.FromSeconds(30)));
        var afterStop = await Command.RunAsync(Path.Combine(appliance.NativeRoot, "opt", "edgellm", "edgellm"), ["health", "--url", daemon.Address.ToString()]);
        Assert.Equal(1, afterStop.ExitCode);
    }
}
