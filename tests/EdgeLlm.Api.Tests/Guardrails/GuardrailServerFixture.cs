using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Tests.Retrieval;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Daemon;
using EdgeLlm.Retrieval;
using EdgeLlm.Telemetry;
using EdgeLlm.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Tests.Guardrails;

/// <summary>
/// The daemon's composition with a guardrail policy file as an operator provisions it: stories260K chats and embeds,
/// every log event is captured from Debug up (the prompt the model is given is logged at Debug), and the log files,
/// the audit file, retrieval.db and the telemetry outbox are real files in the scratch data directory.
/// </summary>
public sealed class GuardrailServerFixture : IAsyncLifetime
{
    /// <summary>
    /// The default policy redacts e-mail addresses and card numbers everywhere and denies one made-up word on input and in
    /// documents; tenant <c>strict</c> blocks e-mail addresses on input and ends answers holding common story words.
    /// </summary>
    public const string Policy = """
        {
          "version": "guard-test-7",
          "detectors": {
            "email": { "input": "redact", "output": "redact", "retrieved": "redact" },
            "card": { "input": "redact", "output": "redact", "retrieved": "redact" }
          },
          "deny": [ { "name": "forbidden-topic", "directions": ["input", "retrieved"], "keywords": ["zorblax"] } ],
          "tenants": {
            "strict": {
              "detectors": { "email": { "input": "block" } },
              "deny": [ { "name": "story-words", "directions": ["output"], "keywords": ["the", "a", "and", "was", "she", "he", "to", "it", "they", "her", "his"] } ]
            }
          }
        }
        """;

    private readonly TempDirectory _policy = new();

    internal InferenceTestServer Server { get; private set; } = null!;

    internal CapturingLoggerProvider Logs { get; } = new();

    /// <summary>A key of the default-policy tenant with the inference and ingest scopes.</summary>
    internal RetrievalClient Plain { get; private set; } = null!;

    /// <summary>A key of tenant <c>strict</c> with the inference scope.</summary>
    internal RetrievalClient Strict { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var file = Path.Combine(_policy.Path, "policy.json");
        await File.WriteAllTextAsync(file, Policy);
        Server = await InferenceTestServer.StartAsync(
            TestModels.Stories260K,
            new Dictionary<string, string>
            {
                ["Inference:ContextSize"] = "2048",
                ["Guardrails:PolicyFile"] = file,
                ["Telemetry:SnapshotInterval"] = "00:00:01",
            },
            Logs);
        Plain = new RetrievalClient(Server, Server.CreateKey("plain", ApiScopes.Inference, ApiScopes.Ingest));
        Strict = new RetrievalClient(Server, Server.CreateKey("strict", ApiScopes.Inference));
    }

    /// <summary>retrieval.db; its WAL is the same path with <c>-wal</c>.</summary>
    internal string RetrievalDatabase => Server.Services.GetRequiredService<IOptions<RetrievalOptions>>().Value.DatabasePath;

    /// <summary>
    /// Every file the daemon wrote that could hold text, but retrieval.db: its logs, the audit trail, the outbox. An
    /// upload's raw bytes wait in retrieval.db's job queue until the job ends (so a crash loses no accepted upload), so
    /// that file is checked once the upload's job ended, by a test of its own.
    /// </summary>
    internal IReadOnlyList<string> WrittenFiles()
    {
        var services = Server.Services;
        var database = RetrievalDatabase;
        var folders = new[]
        {
            services.GetRequiredService<IOptions<DaemonOptions>>().Value.LogDirectory,
            Path.GetDirectoryName(services.GetRequiredService<IOptions<TelemetryOptions>>().Value.OutboxPath)!,
        };
        return folders.Distinct().Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories))
            .Where(f => !f.StartsWith(database, StringComparison.Ordinal))
            .Distinct().ToList();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _policy.Dispose();
    }
}
