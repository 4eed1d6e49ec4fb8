using System.Globalization;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Tests.Retrieval;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;
using EdgeLlm.Testing.Fuzzing;
using Xunit.Abstractions;

namespace EdgeLlm.Api.Tests.Fuzzing;

/// <summary>
/// The structure-aware fuzzer against the daemon as <c>edgellm serve</c> composes it (stories260K for chat and
/// embeddings, a real retrieval database): every endpoint, at least 500 cases each (<c>EDGELLM_FUZZ_CASES</c>
/// raises it, <c>EDGELLM_FUZZ_SEED</c> changes the cases), and not one 5xx, reset, non-JSON error or leaked path.
/// </summary>
public sealed class ContractFuzzingTests(ITestOutputHelper output)
{
    private const int DefaultCases = 500;
    private const int DefaultSeed = 1313;

    [Fact]
    public async Task NoGeneratedRequestGetsA5xxAResetOrAnErrorThatIsNotCleanJson()
    {
        var cases = Setting("EDGELLM_FUZZ_CASES", DefaultCases);
        var seed = Setting("EDGELLM_FUZZ_SEED", DefaultSeed);
        await using var server = await InferenceTestServer.StartAsync(TestModels.Stories260K, new Dictionary<string, string>
        {
            ["Api:RateLimitPerSecond"] = "0",
            // A body without max_tokens asks for 2, as the valid bodies do: the fuzz is about the edge, not decode speed.
            ["Inference:DefaultMaxTokens"] = "2",
            ["Retrieval:MaxDocumentBytes"] = "32768",
            ["Retrieval:MaxUploadBytes"] = "98304",
        });
        var key = server.CreateKey("fuzz", [.. ApiScopes.All]);
        var owner = new RetrievalClient(server, key);
        var collection = await owner.CreateCollectionAsync("fuzz");
        await owner.IngestTextAsync(collection, "fuzz-doc", "The pump is serviced every week. The valve is checked every month.", tags: ["pump"]);
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = server.Address, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var targets = FuzzTargets.All(server.Model.Name, collection);

        var report = await ContractFuzzer.RunAsync(client, targets, cases, seed, CancellationToken.None);

        output.WriteLine(report.Describe());
        Assert.True(report.Failures.Count == 0, report.Describe());
        Assert.All(targets, t => Assert.Equal(cases, report.CasesByTarget[t.Name]));
        // Valid cases got through and hostile ones were refused: the fuzzer reached the handlers, not only the edge.
        Assert.All(["chat", "chat-grounded", "completions", "embeddings", "search", "documents-upload-json", "documents-upload-files", "models",
            "admin-keys-create", "ollama-chat", "ollama-generate", "ollama-embed", "ollama-show"], name =>
        {
            var statuses = report.StatusesOf(name);
            Assert.True(statuses.Keys.Any(s => s is >= 200 and < 300) && statuses.ContainsKey(400), $"{name}: {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
        });
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
