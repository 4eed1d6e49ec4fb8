using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;
using EdgeLlm.Updates.State;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeLlm.Api.Tests.Endpoints.Admin;

/// <summary><c>/admin/rollouts</c> on the daemon's composition: the list's shape, the stable error codes, and the operator's pause and resume.</summary>
public sealed class RolloutsEndpointsTests : IAsyncLifetime
{
    private InferenceTestServer _server = null!;
    private string _admin = "";

    public async Task InitializeAsync()
    {
        _server = await InferenceTestServer.StartAsync(TestModels.Stories260K);
        _admin = _server.CreateKey("operators", ApiScopes.Admin);
    }

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task WithNoRolloutTheListIsEmpty()
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "/admin/rollouts");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(body.GetProperty("rollouts").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"model": "nobody", "version": "stable-1"}""", HttpStatusCode.NotFound, "model_not_found")]
    [InlineData("""{"model": "MODEL", "version": "stable-9"}""", HttpStatusCode.NotFound, "version_not_found")]
    [InlineData("""{"model": "MODEL", "path": "/nowhere/model.gguf"}""", HttpStatusCode.NotFound, "version_not_found")]
    [InlineData("""{"model": "MODEL", "version": "stable-9", "interval": "ten minutes"}""", HttpStatusCode.BadRequest, "invalid_parameter")]
    [InlineData("""{"model": "MODEL", "version": "stable-9", "sticky_by": "tenant"}""", HttpStatusCode.BadRequest, "invalid_parameter")]
    [InlineData("""{"model": "MODEL", "version": "stable-9", "path": "/x.gguf"}""", HttpStatusCode.BadRequest, "invalid_parameter")]
    [InlineData("""{"version": "stable-9"}""", HttpStatusCode.BadRequest, "invalid_parameter")]
    [InlineData("""{"model": "MODEL", "steps": "5,100"}""", HttpStatusCode.BadRequest, "invalid_json")]
    public async Task AStartThatCannotBeIsRefusedWithAStableCode(string body, HttpStatusCode expected, string code)
    {
        var (status, answer) = await SendAsync(HttpMethod.Post, "/admin/rollouts", body.Replace("MODEL", _server.Model.Name, StringComparison.Ordinal));

        Assert.Equal(expected, status);
        Assert.Equal(code, answer.GetProperty("code").GetString());
        Assert.Empty(State.Rollouts());
    }

    [Theory]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("promote")]
    [InlineData("abort")]
    public async Task ACommandForAModelWithoutARolloutIsRefusedAsNotRunning(string command)
    {
        var (status, answer) = await SendAsync(HttpMethod.Post, $"/admin/rollouts/{_server.Model.Name}/{command}");

        Assert.Equal((HttpStatusCode.Conflict, "rollout_not_running"), (status, answer.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task AJournaledRolloutIsListedRefusesASecondStartAndIsPausedAndResumedByTheOperator()
    {
        var model = _server.Model.Name;
        State.SaveRollout(new RolloutRecord
        {
            Id = "r1", Model = model, Candidate = new InstalledVersion { Version = "stable-3", Path = "/models/m/stable-3/m.gguf" }, ActiveVersion = "configured", Origin = "admin",
            Steps = [5, 25, 50, 100], StepIndex = 1, IntervalTicks = TimeSpan.FromMinutes(10).Ticks, StickyBy = "User", StartedAt = DateTime.UtcNow, WindowStartTicks = DateTime.UtcNow.Ticks,
        });

        var (second, refused) = await SendAsync(HttpMethod.Post, "/admin/rollouts", $$"""{"model": "{{model}}", "path": "{{TestModels.Stories260K}}"}""");
        var (pauseStatus, paused) = await SendAsync(HttpMethod.Post, $"/admin/rollouts/{model}/pause");
        var (_, pausedAgain) = await SendAsync(HttpMethod.Post, $"/admin/rollouts/{model}/pause");
        var (resumeStatus, resumed) = await SendAsync(HttpMethod.Post, $"/admin/rollouts/{model}/resume");
        var (_, list) = await SendAsync(HttpMethod.Get, "/admin/rollouts");

        Assert.Equal((HttpStatusCode.Conflict, "rollout_running"), (second, refused.GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.OK, "paused", 25), (pauseStatus, paused.GetProperty("state").GetString(), paused.GetProperty("weight").GetInt32()));
        Assert.Equal("rollout_not_running", pausedAgain.GetProperty("code").GetString());
        Assert.Equal((HttpStatusCode.OK, "running"), (resumeStatus, resumed.GetProperty("state").GetString()));
        var rollout = Assert.Single(list.GetProperty("rollouts").EnumerateArray());
        Assert.Equal(
            ["id", "kind", "name", "model", "origin", "state", "candidate_version", "candidate_path", "active_version", "steps", "step", "weight", "interval", "sticky_by", "failures", "inconclusive",
             "started_at", "window_start", "finished_at", "code", "message", "last_window"],
            rollout.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("r1", "PT10M", "user", 1), (rollout.GetProperty("id").GetString(), rollout.GetProperty("interval").GetString(), rollout.GetProperty("sticky_by").GetString(), rollout.GetProperty("step").GetInt32()));
        Assert.Equal(RolloutStates.Running, State.UnfinishedRollout(model)!.State);
    }

    [Theory]
    [InlineData("""{"version": "stable-1"}""", HttpStatusCode.NotFound, "policy_not_found")]
    [InlineData("""{"model": "default", "version": "stable-1"}""", HttpStatusCode.BadRequest, "invalid_parameter")]
    [InlineData("""{"version": "stable-1", "sticky_by": "tenant"}""", HttpStatusCode.BadRequest, "invalid_parameter")]
    public async Task APolicyRolloutThatCannotStartIsRefusedWithAStableCode(string body, HttpStatusCode expected, string code)
    {
        var (status, answer) = await SendAsync(HttpMethod.Post, "/admin/policies/default/rollout", body);

        Assert.Equal((expected, code), (status, answer.GetProperty("code").GetString()));
        Assert.Empty(State.Rollouts());
    }

    [Fact]
    public async Task AJournaledPolicyRolloutIsListedAsAPolicysAndOnlyThePolicyRoutesCommandIt()
    {
        State.SaveRollout(new RolloutRecord
        {
            Id = "p1", Kind = RolloutKinds.Policy, Model = "default", Candidate = new InstalledVersion { Version = "stable-2", Path = "/policies/default/stable-2/default.policy.json" },
            ActiveVersion = "stable-1", Origin = "bundle", Steps = [50, 100], IntervalTicks = TimeSpan.FromMinutes(10).Ticks, StickyBy = "ApiKey", StartedAt = DateTime.UtcNow, WindowStartTicks = DateTime.UtcNow.Ticks,
        });

        var (asModel, notRunning) = await SendAsync(HttpMethod.Post, "/admin/rollouts/default/pause");
        var (pauseStatus, paused) = await SendAsync(HttpMethod.Post, "/admin/policies/default/rollout/pause");
        var (_, list) = await SendAsync(HttpMethod.Get, "/admin/rollouts");
        var (otherStatus, other) = await SendAsync(HttpMethod.Post, "/admin/policies/other/rollout/abort");

        Assert.Equal((HttpStatusCode.Conflict, "rollout_not_running"), (asModel, notRunning.GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.OK, "paused", 50), (pauseStatus, paused.GetProperty("state").GetString(), paused.GetProperty("weight").GetInt32()));
        var rollout = Assert.Single(list.GetProperty("rollouts").EnumerateArray());
        Assert.Equal(("policy", "default", JsonValueKind.Null), (rollout.GetProperty("kind").GetString(), rollout.GetProperty("name").GetString(), rollout.GetProperty("model").ValueKind));
        Assert.Equal((HttpStatusCode.Conflict, "rollout_not_running"), (otherStatus, other.GetProperty("code").GetString()));
        Assert.Contains("Policy 'other'", other.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private UpdateStateStore State => _server.Services.GetRequiredService<UpdateStateStore>();

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _admin);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await _server.Client.SendAsync(request);
        return (response.StatusCode, await InferenceTestServer.JsonAsync(response));
    }
}
