using System.Net.Http.Headers;
using EdgeLlm.Api.Tests.Support;
using OllamaSharp;

namespace EdgeLlm.Api.Tests.Ollama;

/// <summary>The real Ollama client, pointed at the test server with a key (or none) as its Bearer token.</summary>
internal static class OllamaClients
{
    public const string Model = "stories260K:latest";

    public static OllamaApiClient For(InferenceTestServer server, string? key)
    {
        var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        // The client is handed an HttpClient it does not own; the test's using of the client leaves this one to the GC.
        return new OllamaApiClient(http, Model);
    }
}
