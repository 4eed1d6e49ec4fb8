using EdgeLlm.Api.Guarding;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Inference.Models;
using EdgeLlm.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeLlm.Api.Tests.Guarding;

/// <summary>
/// The daemon's composition serving stories260K as a chat model and, with the role guard: stories260K (<c>stories-guard</c>),
/// the random-weights Llama 2 with one sequence and one queue place (<c>random-guard</c>), stories260K again loaded
/// on demand (<c>late-guard</c>), and stories260K with a 64-token context (<c>small-guard</c>).
/// </summary>
public sealed class GuardServerFixture : IAsyncLifetime
{
    internal InferenceTestServer Server { get; private set; } = null!;

    internal IGuardModel Judge => Server.Services.GetRequiredService<IGuardModel>();

    internal ModelRegistry Registry => Server.Services.GetRequiredService<ModelRegistry>();

    /// <summary>A judge like the registered one, over the same models, with a verdict fault point set.</summary>
    internal GuardModelJudge JudgeWithFault(string point) =>
        new(Registry, Server.Services.GetRequiredService<ModelResidency>(), TimeProvider.System, NullLogger<GuardModelJudge>.Instance, GuardVerdictFault.For(point));

    /// <summary>
    /// The policy the request path applies: no guard by default; per tenant, one guard model screening input or both
    /// directions, or a guard whose context no prompt of the tests' longest fits (so it never gives a verdict) with each
    /// failure mode. A policy naming a guard that is not configured at all would stop the start.
    /// </summary>
    public const string Policy = """
        {
          "version": "guarding-1",
          "tenants": {
            "random-judged": { "guard": { "model": "random-guard", "directions": ["input"], "categories": ["S1", "S10"], "timeout": "PT30S" } },
            "stories-judged": { "guard": { "model": "stories-guard", "directions": ["input", "output"], "categories": ["S1", "S10"], "timeout": "PT30S" } },
            "overflow-closed": { "guard": { "model": "small-guard", "directions": ["input"], "categories": ["S1"] }, "failure_mode": "closed" },
            "overflow-open": { "guard": { "model": "small-guard", "directions": ["input"], "categories": ["S1"] }, "failure_mode": "open" }
          }
        }
        """;

    private readonly TempDirectory _policy = new();

    public async Task InitializeAsync()
    {
        var policy = Path.Combine(_policy.Path, "policy.json");
        await File.WriteAllTextAsync(policy, Policy);
        Server = await InferenceTestServer.StartAsync(TestModels.Stories260K, new Dictionary<string, string>
        {
            ["Guardrails:PolicyFile"] = policy,
            ["Inference:Models:0:Name"] = "stories",
            ["Inference:Models:0:FallbackChatTemplate"] = "plain",
            ["Inference:Models:1:Name"] = "stories-guard",
            ["Inference:Models:1:Path"] = TestModels.Stories260K,
            ["Inference:Models:1:Role"] = "guard",
            ["Inference:Models:1:ContextSize"] = "2048",
            ["Inference:Models:1:MaxSequences"] = "4",
            ["Inference:Models:2:Name"] = "random-guard",
            ["Inference:Models:2:Path"] = TestModels.TinyRandomLlama2,
            ["Inference:Models:2:Role"] = "guard",
            ["Inference:Models:2:ContextSize"] = "4096",
            ["Inference:Models:2:MaxSequences"] = "1",
            ["Inference:Models:2:QueueCapacity"] = "1",
            ["Inference:Models:3:Name"] = "late-guard",
            ["Inference:Models:3:Path"] = TestModels.Stories260K,
            ["Inference:Models:3:Role"] = "guard",
            ["Inference:Models:3:LoadPolicy"] = "on-demand",
            ["Inference:Models:3:ContextSize"] = "2048",
            ["Inference:Models:4:Name"] = "small-guard",
            ["Inference:Models:4:Path"] = TestModels.Stories260K,
            ["Inference:Models:4:Role"] = "guard",
            ["Inference:Models:4:ContextSize"] = "64",
            ["Api:RateLimitPerSecond"] = "0",
        });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _policy.Dispose();
    }
}
