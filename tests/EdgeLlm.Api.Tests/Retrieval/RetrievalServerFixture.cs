using System.Globalization;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Tests.Support;
using EdgeLlm.Testing;

namespace EdgeLlm.Api.Tests.Retrieval;

/// <summary>
/// One stories260K server with retrieval for a test class: stories260K is both the chat and the embedding
/// model, retrieval.db is a real file, and every log event is captured (the prompt text is logged at Debug).
/// Documents are limited to <see cref="MaxDocumentBytes"/> so "too large" is cheap to send; the context is
/// 2048 tokens (stories260K was trained on 512, but its output is not under test) so a grounded prompt fits.
/// </summary>
public sealed class RetrievalServerFixture : IAsyncLifetime
{
    public const long MaxDocumentBytes = 32 * 1024;

    public const long MaxUploadBytes = 96 * 1024;

    internal InferenceTestServer Server { get; private set; } = null!;

    internal CapturingLoggerProvider Logs { get; } = new();

    /// <summary>Tenant A's key with the inference and ingest scopes.</summary>
    internal RetrievalClient TenantA { get; private set; } = null!;

    /// <summary>Tenant B's key with the inference and ingest scopes.</summary>
    internal RetrievalClient TenantB { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await InferenceTestServer.StartAsync(
            TestModels.Stories260K,
            new Dictionary<string, string>
            {
                ["Inference:ContextSize"] = "2048",
                ["Retrieval:MaxDocumentBytes"] = MaxDocumentBytes.ToString(CultureInfo.InvariantCulture),
                ["Retrieval:MaxUploadBytes"] = MaxUploadBytes.ToString(CultureInfo.InvariantCulture),
                // Chunks of 256 stories260K tokens are about 400 characters: a few fit the prompt whole.
                ["Retrieval:MaxContextCharacters"] = "2000",
            },
            Logs);
        TenantA = Client("tenant-a", ApiScopes.Inference, ApiScopes.Ingest);
        TenantB = Client("tenant-b", ApiScopes.Inference, ApiScopes.Ingest);
    }

    /// <summary>A client with a new key of <paramref name="tenant"/> carrying exactly <paramref name="scopes"/>.</summary>
    internal RetrievalClient Client(string tenant, params string[] scopes) => new(Server, Server.CreateKey(tenant, scopes));

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
