using EdgeLlm.Testing;

namespace EdgeLlm.Api.Tests.Support;

/// <summary>One stories260K server (chatml fallback template, 8 sequences) shared by a test class, plus the reference loop.</summary>
public sealed class StoriesServerFixture : IAsyncLifetime
{
    internal InferenceTestServer Server { get; private set; } = null!;

    internal ReferenceGreedyLoop Reference { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await InferenceTestServer.StartAsync(TestModels.Stories260K);
        Reference = new ReferenceGreedyLoop(TestModels.Stories260K, contextSize: 512);
    }

    public async Task DisposeAsync()
    {
        Reference.Dispose();
        await Server.DisposeAsync();
    }
}
