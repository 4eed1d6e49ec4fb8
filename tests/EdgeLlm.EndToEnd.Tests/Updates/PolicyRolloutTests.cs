using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>
/// A guardrail policy canaried on the real daemon with real traffic: a signed bundle asks for a rollout, the new
/// policy screens its share of users beside the installed one, and a candidate that blocks what the active policy lets
/// through is aborted on its blocked share within two windows, with the installed policy screening everyone again.
/// </summary>
public sealed class PolicyRolloutTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private const string Prompt = "Once upon a time a dragon";
    private UpdatingDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await UpdatingDaemon.CreateAsync(
        "--Updates:RolloutInterval", Interval.ToString("c", CultureInfo.InvariantCulture),
        "--Updates:RolloutStickyBy", "User",
        "--Updates:RolloutMinSamples", "5",
        // The traffic and the admin calls share one key: the default 50 requests/s per key would refuse them (429).
        "--Api:RateLimitPerSecond", "10000",
        "--Api:RateLimitBurst", "10000");

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task APolicyCandidateThatBlocksWhatTheActiveOneAllowsIsAbortedOnItsBlockedShareAndTheActivePolicyKeepsScreening()
    {
        await _daemon.StartAsync();
        await InstallAsync(1, """{ "version": "e2e-1", "deny": [ { "name": "no-project-x", "keywords": ["project x"] } ] }""", rollout: null);
        await InstallAsync(2, """{ "version": "e2e-2", "deny": [ { "name": "no-dragons", "keywords": ["dragon"] } ] }""", new JsonObject { ["steps"] = new JsonArray(50, 100) });

        var started = Assert.Single((await _daemon.RolloutsAsync()).EnumerateArray());
        Assert.Equal(("policy", "default", JsonValueKind.Null, "running", 50), (started.GetProperty("kind").GetString(), started.GetProperty("name").GetString(), started.GetProperty("model").ValueKind, started.GetProperty("state").GetString(), started.GetProperty("weight").GetInt32()));
        Assert.Equal(("stable-2", "stable-1"), (started.GetProperty("candidate_version").GetString(), started.GetProperty("active_version").GetString()));
        var guardrails = (await _daemon.AdminStatusAsync()).GetProperty("guardrails");
        Assert.Equal(("e2e-1", "e2e-2"), (guardrails.GetProperty("policy_version").GetString(), guardrails.GetProperty("candidate_version").GetString()));

        JsonElement rollout;
        await using (var traffic = RolloutTraffic.Start(_daemon, 4, Prompt))
        {
            rollout = await _daemon.WaitUntilRolloutFinishedAsync(traffic, 2 * Interval);
            output.WriteLine($"{rollout}\n{traffic}");
            Assert.True(traffic.Answers("200 unnamed") > 0 && traffic.Answers("400 unnamed") > 0, $"Both policies must have screened requests: {traffic}.");
        }

        Assert.Equal(("aborted", "analysis_failed"), (rollout.GetProperty("state").GetString(), rollout.GetProperty("code").GetString()));
        var window = rollout.GetProperty("last_window");
        Assert.Contains("blocked_share", window.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal((1.0, 0.0), (window.GetProperty("candidate").GetProperty("blocked_share").GetDouble(), window.GetProperty("active").GetProperty("blocked_share").GetDouble()));

        // Every user is screened by the installed policy again, which lets the prompt through.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await CompleteAsync($"after-{i}"));
        }

        var status = await _daemon.StatusAsync();
        Assert.Equal("stable-1", status.GetProperty("installed").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "policy").GetProperty("active").GetProperty("version").GetString());
        var aborted = JsonDocument.Parse(Assert.Single(_daemon.OutboxEvents(), e => e.Kind == "rollout.aborted").Data).RootElement;
        Assert.Equal(("policy", "default"), (aborted.GetProperty("kind").GetString(), aborted.GetProperty("name").GetString()));
    }

    private async Task InstallAsync(long sequence, string document, JsonObject? rollout)
    {
        var file = Path.Combine(_daemon.KeysDirectory, $"policy-{sequence}.json");
        await File.WriteAllTextAsync(file, document);
        using var installed = await _daemon.UploadAsync(await _daemon.BundleAsync(sequence, new Dictionary<string, string> { ["default.policy.json"] = file }, rollout: rollout));
        Assert.True(installed.StatusCode == HttpStatusCode.OK, await installed.Content.ReadAsStringAsync());
    }

    private async Task<HttpStatusCode> CompleteAsync(string user)
    {
        using var admin = _daemon.Admin();
        using var response = await admin.PostAsJsonAsync("/v1/completions", new { model = UpdatingDaemon.ModelName, prompt = Prompt, max_tokens = 2, user });
        return response.StatusCode;
    }
}
