using System.ClientModel;
using EdgeLlm.Testing;
using OpenAI;
using OpenAI.Chat;

namespace EdgeLlm.Api.Tests.Support;

/// <summary>
/// One llama-2-tiny-random server (random weights, the real 32,000-token Llama 2 vocabulary: left alone it writes
/// noise, so only the grammar can make its answers valid JSON) shared by a test class, with the official client.
/// </summary>
public sealed class TinyRandomServerFixture : IAsyncLifetime
{
    internal InferenceTestServer Server { get; private set; } = null!;

    internal ChatClient Chat { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Bodies up to 4 MiB: the schema size limit, not the body limit, must answer the 1 MB schema.
        Server = await InferenceTestServer.StartAsync(TestModels.TinyRandomLlama2, new Dictionary<string, string>
        {
            ["Inference:ContextSize"] = "1024",
            ["Api:MaxRequestBodyBytes"] = "4194304",
            ["Inference:GrammarCacheEntries"] = "32",
        });
        Chat = new ChatClient("llama-2-tiny-random", new ApiKeyCredential(Server.InferenceKey), new OpenAIClientOptions { Endpoint = new Uri(Server.Address, "/v1"), NetworkTimeout = TimeSpan.FromMinutes(5) });
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
