using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Api.Tests.WebConsole;

namespace EdgeLlm.Api.Tests.Endpoints.Admin;

/// <summary><c>/admin/keys</c>, <c>/admin/audit</c> and the operator's load and unload, as scripts and the console call them.</summary>
public sealed class KeysAndModelsAdminTests(ConsoleServerFixture fixture) : IClassFixture<ConsoleServerFixture>
{
    private HttpClient Admin => fixture.Admin;

    [Fact]
    public async Task ACreatedKeysSecretIsShownOnceWorksAndStopsWorkingWhenRevoked()
    {
        using var created = await Admin.PostAsJsonAsync("/admin/keys", new { name = "line-3-terminal", tenant = "plant-a", scopes = new[] { "inference" }, expires_at = DateTimeOffset.UtcNow.AddDays(30) });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await InferenceTestServer.JsonAsync(created);
        var secret = body.GetProperty("key").GetString()!;
        var id = body.GetProperty("info").GetProperty("id").GetString()!;
        Assert.StartsWith("ellm_" + id + "_", secret);

        var listed = await ListAsync();
        var row = listed.Single(k => k.GetProperty("id").GetString() == id);
        Assert.Equal("plant-a", row.GetProperty("tenant").GetString());
        Assert.Equal(["inference"], row.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(JsonValueKind.String, row.GetProperty("expires_at").ValueKind);
        Assert.DoesNotContain(secret.Split('_')[2], await (await Admin.GetAsync("/admin/keys")).Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, await ModelsStatusAsync(secret));
        using var revoked = await Admin.DeleteAsync("/admin/keys/" + id);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await ModelsStatusAsync(secret));
        Assert.Equal(JsonValueKind.String, (await ListAsync()).Single(k => k.GetProperty("id").GetString() == id).GetProperty("revoked_at").ValueKind);
    }

    [Theory]
    [InlineData("""{"name":"bad name","tenant":"t","scopes":["inference"]}""", "name")]
    [InlineData("""{"name":"ok","tenant":"","scopes":["inference"]}""", "tenant")]
    [InlineData("""{"name":"ok","tenant":"t","scopes":[]}""", "scopes")]
    [InlineData("""{"name":"ok","tenant":"t","scopes":["root"]}""", "scopes")]
    [InlineData("""{"name":"ok","tenant":"t","scopes":["admin"],"expires_at":"2020-01-01T00:00:00Z"}""", "expires_at")]
    public async Task AnInvalidKeyRequestIsRefusedAndCreatesNothing(string json, string param)
    {
        var before = (await ListAsync()).Count;
        using var answer = await Admin.PostAsync("/admin/keys", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var body = await InferenceTestServer.JsonAsync(answer);
        Assert.Equal("invalid_parameter", body.GetProperty("code").GetString());
        Assert.Equal(param, body.GetProperty("param").GetString());
        Assert.Equal(before, (await ListAsync()).Count);
    }

    [Fact]
    public async Task RevokingAnUnknownKeyIsNotFound()
    {
        using var answer = await Admin.DeleteAsync("/admin/keys/nosuchkey000");
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal("key_not_found", (await InferenceTestServer.JsonAsync(answer)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("ten")]
    public async Task TheAuditLimitIsChecked(string limit)
    {
        using var answer = await Admin.GetAsync("/admin/audit?limit=" + limit);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
    }

    [Fact]
    public async Task AnOnDemandModelLoadsAndUnloadsOnTheOperatorsWordAndAPinnedOneStays()
    {
        Assert.Equal((HttpStatusCode.OK, "loaded"), await ChangeAsync("spare", "load"));
        Assert.Equal("loaded", await StateAsync("spare"));
        Assert.Equal((HttpStatusCode.OK, "unloaded"), await ChangeAsync("spare", "unload"));
        Assert.Equal("unloaded", await StateAsync("spare"));
        Assert.Equal((HttpStatusCode.OK, "unloaded"), await ChangeAsync("spare", "unload"));

        Assert.Equal((HttpStatusCode.Conflict, "model_state_conflict"), await ChangeAsync("stories", "unload"));
        Assert.Equal("loaded", await StateAsync("stories"));
        Assert.Equal((HttpStatusCode.OK, "loaded"), await ChangeAsync("stories", "load"));
        Assert.Equal((HttpStatusCode.NotFound, "model_not_found"), await ChangeAsync("nosuch", "load"));
        Assert.Equal((HttpStatusCode.NotFound, "model_not_found"), await ChangeAsync("nosuch", "unload"));
    }

    private async Task<(HttpStatusCode, string?)> ChangeAsync(string model, string action)
    {
        using var answer = await Admin.PostAsync($"/admin/models/{model}/{action}", null);
        var body = await InferenceTestServer.JsonAsync(answer);
        return (answer.StatusCode, body.TryGetProperty("state", out var state) ? state.GetString() : body.GetProperty("code").GetString());
    }

    private async Task<string?> StateAsync(string model) =>
        (await InferenceTestServer.JsonAsync(await Admin.GetAsync("/admin/status"))).GetProperty("models").EnumerateArray()
            .Single(m => m.GetProperty("name").GetString() == model).GetProperty("state").GetString();

    private async Task<HttpStatusCode> ModelsStatusAsync(string key)
    {
        using var client = new HttpClient { BaseAddress = fixture.Server.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var answer = await client.GetAsync("/v1/models");
        return answer.StatusCode;
    }

    private async Task<List<JsonElement>> ListAsync() =>
        [.. (await InferenceTestServer.JsonAsync(await Admin.GetAsync("/admin/keys"))).GetProperty("data").EnumerateArray()];
}
