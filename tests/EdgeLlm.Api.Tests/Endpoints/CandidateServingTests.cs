using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Endpoints;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Inference.Versions;
using EdgeLlm.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Tests.Endpoints;

/// <summary>
/// A candidate version of stories260K (a second copy of its file) loaded beside the active one in the daemon's own
/// composition: which version answers is the canary split's decision, said in <c>x-edgellm-version</c>, and the answer
/// names the model by its name whichever served it.
/// </summary>
public sealed class CandidateServingTests : IAsyncLifetime
{
    private readonly TempDirectory _files = new();
    private InferenceTestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await InferenceTestServer.StartAsync(TestModels.Stories260K, new Dictionary<string, string> { ["Api:RateLimitPerSecond"] = "0" });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _files.Dispose();
    }

    [Fact]
    public async Task WithoutACandidateNoAnswerCarriesAVersion()
    {
        using var completion = await _server.PostJsonAsync("/v1/completions", Completion());

        Assert.Equal(HttpStatusCode.OK, completion.StatusCode);
        Assert.False(completion.Headers.Contains(CandidateSelection.VersionHeader));
    }

    [Fact]
    public async Task WhileTheSplitSendsNothingToTheCandidateChatCompletionsAndEmbeddingsAreAnsweredByTheActiveVersion()
    {
        var candidate = await LoadCandidateAsync();
        var candidateUsed = candidate.LastUsed;
        var since = DateTimeOffset.UtcNow;

        using var chat = await _server.PostJsonAsync("/v1/chat/completions", $$"""{"model":"{{_server.Model.Name}}","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":4,"user":"u-1"}""");
        using var completion = await _server.PostJsonAsync("/v1/completions", Completion());
        using var embedding = await _server.PostJsonAsync("/v1/embeddings", $$"""{"model":"{{_server.Model.Name}}","input":"Once upon a time"}""");
        var outcomes = _server.Services.GetRequiredService<IVersionOutcomes>();
        var until = DateTimeOffset.UtcNow.AddSeconds(1);

        foreach (var answer in new[] { chat, completion, embedding })
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(["active"], answer.Headers.GetValues(CandidateSelection.VersionHeader));
            Assert.Equal(_server.Model.Name, (await InferenceTestServer.JsonAsync(answer)).GetProperty("model").GetString());
        }

        Assert.Equal(2, outcomes.Window(_server.Model.Name, ServedVersion.Active, since, until).Requests);
        Assert.Equal(0, outcomes.Window(_server.Model.Name, ServedVersion.Candidate, since, until).Requests);
        // Nothing reached the candidate since its load's health check, not even the embedding.
        Assert.Equal(candidateUsed, candidate.LastUsed);
    }

    [Fact]
    public async Task TheSplitSendsTheRequestsItChoosesToTheCandidateByKeyOrUser()
    {
        var candidate = await LoadCandidateAsync();
        var active = _server.Model;
        var split = new ChosenKeysSplit("key-canary", "user-canary");
        var services = new ServiceCollection()
            .AddSingleton(_server.Services.GetRequiredService<CandidateModels>())
            .AddSingleton<ICanarySplit>(split)
            .BuildServiceProvider();

        var (byKey, byKeyHeader) = Select(services, active, "key-canary", null);
        var (byUser, byUserHeader) = Select(services, active, "key-other", "user-canary");
        var (other, otherHeader) = Select(services, active, "key-other", "user-other");

        Assert.Same(candidate, byKey);
        Assert.Equal("candidate", byKeyHeader);
        Assert.Same(candidate, byUser);
        Assert.Equal("candidate", byUserHeader);
        Assert.Same(active, other);
        Assert.Equal("active", otherHeader);
        Assert.Equal((active.Name, "key-canary", (string?)null), split.Asked[0]);
        Assert.Equal(candidate.Name, active.Name);
    }

    [Fact]
    public async Task TheStatusShowsAModelsCandidate()
    {
        var candidate = await LoadCandidateAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/status");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _server.CreateKey("operators", ApiScopes.Admin));

        using var response = await _server.Client.SendAsync(request);
        var model = (await InferenceTestServer.JsonAsync(response)).GetProperty("models")[0];

        Assert.Equal(candidate.FilePath, model.GetProperty("candidate").GetProperty("path").GetString());
        Assert.Equal(candidate.LoadedAt, model.GetProperty("candidate").GetProperty("loaded_at").GetDateTimeOffset());
    }

    private async Task<LoadedModel> LoadCandidateAsync()
    {
        var path = _files.File("stories-v2.gguf");
        File.Copy(TestModels.Stories260K, path);
        var version = _server.Services.GetRequiredService<IOptions<InferenceOptions>>().Value.ModelVersion(_server.Model.Name, path);
        Assert.IsType<ModelSwitchResult.Switched>(await _server.Services.GetRequiredService<IModelVersions>().LoadCandidateAsync(version, CancellationToken.None));
        return _server.Services.GetRequiredService<CandidateModels>().Find(_server.Model.Name)!;
    }

    private string Completion() => $$"""{"model":"{{_server.Model.Name}}","prompt":"Once upon a time","max_tokens":4}""";

    private static (LoadedModel Model, string? Header) Select(IServiceProvider services, LoadedModel active, string keyId, string? user)
    {
        var http = new DefaultHttpContext
        {
            RequestServices = services,
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ApiKeyClaims.KeyId, keyId)], "test")),
        };
        var model = CandidateSelection.For(active, http, user);
        return (model, http.Response.Headers[CandidateSelection.VersionHeader].SingleOrDefault());
    }

    /// <summary>Sends to the candidate the requests of one API key and of one user.</summary>
    private sealed class ChosenKeysSplit(string canaryKey, string canaryUser) : ICanarySplit
    {
        public List<(string Model, string? Key, string? User)> Asked { get; } = [];

        public bool ToCandidate(string model, string? apiKeyId, string? user)
        {
            Asked.Add((model, apiKeyId, user));
            return apiKeyId == canaryKey || user == canaryUser;
        }
    }
}
