using System.Net;
using System.Text.Json;
using EdgeLlm.EndToEnd.Tests.Support;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>A guardrail policy shipped as a signed bundle to the real daemon: put in force while it serves, refused when invalid, in force again at the next start.</summary>
public sealed class PolicyBundleInstallTests : IAsyncLifetime
{
    private UpdatingDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await UpdatingDaemon.CreateAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task AnUploadedPolicyIsPutInForceWithoutARestartAnInvalidOneIsRefusedAndTheInstalledOneAppliesAgainAtTheNextStart()
    {
        var process = await _daemon.StartAsync();

        using (var installed = await _daemon.UploadAsync(await PolicyBundleAsync(1, """{ "version": "e2e-1", "deny": [ { "name": "no-project-x", "keywords": ["project x"] } ] }""")))
        {
            var body = await installed.Content.ReadAsStringAsync();
            Assert.True(installed.StatusCode == HttpStatusCode.OK, body);
        }

        var policy = Policy(await _daemon.StatusAsync());
        Assert.Equal("stable-1", policy.GetProperty("active").GetProperty("version").GetString());
        Assert.Equal(1, OutputText.Occurrences(process.Output, "\"PolicyVersion\":\"e2e-1\""));
        Assert.Equal(200, await _daemon.CompleteAsync());

        using (var refused = await _daemon.UploadAsync(await PolicyBundleAsync(2, """{ "version": "e2e-2", "failure_mode": "sideways" }""")))
        {
            var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Equal("policy_invalid", error.GetProperty("code").GetString());
            Assert.Contains("$.failure_mode", error.GetRawText(), StringComparison.Ordinal);
        }

        Assert.Equal("stable-1", Policy(await _daemon.StatusAsync()).GetProperty("active").GetProperty("version").GetString());
        Assert.Equal(0, OutputText.Occurrences(process.Output, "\"PolicyVersion\":\"e2e-2\""));

        var restarted = await _daemon.StartAsync();

        Assert.Equal(1, OutputText.Occurrences(restarted.Output, "\"PolicyVersion\":\"e2e-1\""));
        Assert.Equal(200, await _daemon.CompleteAsync());
    }

    private async Task<string> PolicyBundleAsync(long sequence, string document)
    {
        var file = Path.Combine(_daemon.KeysDirectory, $"policy-{sequence}.json");
        await File.WriteAllTextAsync(file, document);
        return await _daemon.BundleAsync(sequence, new Dictionary<string, string> { ["default.policy.json"] = file });
    }

    private static JsonElement Policy(JsonElement status) =>
        status.GetProperty("installed").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "policy" && i.GetProperty("name").GetString() == "default");
}
