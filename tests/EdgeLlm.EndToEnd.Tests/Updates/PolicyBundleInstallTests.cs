using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeLlm.EndToEnd.Tests.Support;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>
/// A guardrail policy shipped as a signed bundle to the real daemon: its deny rule blocks prompts as soon as it is
/// installed (no restart), an invalid policy is refused and the installed one keeps blocking, it is in force again
/// at the next start, and the operator's rollback puts the previous version back in force.
/// </summary>
public sealed class PolicyBundleInstallTests : IAsyncLifetime
{
    private const string Denied = "Once upon a time there was Project X";
    private const string InForce = "(document version {PolicyVersion}) is in force";
    private UpdatingDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await UpdatingDaemon.CreateAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task AnUploadedPolicyBlocksPromptsWithoutARestartAnInvalidOneIsRefusedAndTheInstalledOneAppliesAgainAtTheNextStart()
    {
        var process = await _daemon.StartAsync();
        Assert.Equal((HttpStatusCode.OK, null), await PromptAsync(Denied));

        using (var installed = await _daemon.UploadAsync(await PolicyBundleAsync(1, """{ "version": "e2e-1", "deny": [ { "name": "no-project-x", "keywords": ["project x"] } ] }""")))
        {
            Assert.True(installed.StatusCode == HttpStatusCode.OK, await installed.Content.ReadAsStringAsync());
        }

        Assert.Equal((HttpStatusCode.BadRequest, "content_blocked"), await PromptAsync(Denied));
        Assert.Equal((HttpStatusCode.OK, null), await PromptAsync("Once upon a time"));
        Assert.Equal("stable-1", Policy(await _daemon.StatusAsync()).GetProperty("active").GetProperty("version").GetString());
        Assert.Equal(1, OutputText.Occurrences(process.Output, InForce));

        using (var refused = await _daemon.UploadAsync(await PolicyBundleAsync(2, """{ "version": "e2e-2", "failure_mode": "sideways" }""")))
        {
            var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Equal("policy_invalid", error.GetProperty("code").GetString());
            Assert.Contains("$.failure_mode", error.GetRawText(), StringComparison.Ordinal);
        }

        Assert.Equal((HttpStatusCode.BadRequest, "content_blocked"), await PromptAsync(Denied));
        Assert.Equal("stable-1", Policy(await _daemon.StatusAsync()).GetProperty("active").GetProperty("version").GetString());
        Assert.Equal(1, OutputText.Occurrences(process.Output, InForce));

        var restarted = await _daemon.StartAsync();

        Assert.Equal(1, OutputText.Occurrences(restarted.Output, InForce));
        Assert.Equal((HttpStatusCode.BadRequest, "content_blocked"), await PromptAsync(Denied));
        Assert.Equal((HttpStatusCode.Conflict, "no_previous_version"), await RollBackAsync("default"));
        Assert.Equal((HttpStatusCode.NotFound, "policy_not_found"), await RollBackAsync("other"));

        // A second version replaces the first, and the operator's rollback puts the first back in force at once.
        using (var second = await _daemon.UploadAsync(await PolicyBundleAsync(3, """{ "version": "e2e-3", "deny": [ { "name": "no-dragons", "keywords": ["dragon"] } ] }""")))
        {
            Assert.True(second.StatusCode == HttpStatusCode.OK, await second.Content.ReadAsStringAsync());
        }

        Assert.Equal((HttpStatusCode.OK, null), await PromptAsync(Denied));
        Assert.Equal((HttpStatusCode.BadRequest, "content_blocked"), await PromptAsync("Once upon a time a dragon"));
        Assert.Equal((HttpStatusCode.OK, null), await RollBackAsync("default"));
        Assert.Equal((HttpStatusCode.BadRequest, "content_blocked"), await PromptAsync(Denied));
        Assert.Equal((HttpStatusCode.OK, null), await PromptAsync("Once upon a time a dragon"));
        Assert.Equal("stable-1", Policy(await _daemon.StatusAsync()).GetProperty("active").GetProperty("version").GetString());
    }

    private async Task<(HttpStatusCode Status, string? Code)> RollBackAsync(string name)
    {
        using var client = _daemon.Admin();
        using var response = await client.PostAsync(new Uri($"/admin/policies/{name}/rollback", UriKind.Relative), null);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        // Outside /v1 errors are problem details, with the code at the top.
        return (response.StatusCode, body.TryGetProperty("code", out var code) ? code.GetString() : null);
    }

    private async Task<(HttpStatusCode Status, string? Code)> PromptAsync(string prompt)
    {
        using var client = _daemon.Admin();
        using var response = await client.PostAsJsonAsync("/v1/completions", new { model = UpdatingDaemon.ModelName, prompt, max_tokens = 4, temperature = 0 });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, body.TryGetProperty("error", out var error) ? error.GetProperty("code").GetString() : null);
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
