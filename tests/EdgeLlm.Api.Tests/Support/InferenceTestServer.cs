using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Inference;
using EdgeLlm.Inference.Models;
using EdgeLlm.Retrieval;
using EdgeLlm.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Api.Tests.Support;

/// <summary>
/// The API composed exactly as the daemon composes it (inference + API + API keys), on a real Kestrel
/// server on 127.0.0.1 with a real GGUF model. Creates one key per scope set.
/// </summary>
internal sealed class InferenceTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _directory;

    private InferenceTestServer(WebApplication app, TempDirectory directory, Uri address)
    {
        _app = app;
        _directory = directory;
        Address = address;
        var store = app.Services.GetRequiredService<ApiKeyStore>();
        InferenceKey = store.Create("tests", "tenant-a", [ApiScopes.Inference]).Key;
        IngestOnlyKey = store.Create("ingest", "tenant-a", [ApiScopes.Ingest]).Key;
        // A disposed response closes its connection at once, as a client that goes away does; by default
        // SocketsHttpHandler would first drain the stream for up to two seconds to reuse the connection.
        Client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", InferenceKey);
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public string InferenceKey { get; }

    public string IngestOnlyKey { get; }

    public LoadedModel Model => _app.Services.GetRequiredService<ModelRegistry>().Models[0];

    public IServiceProvider Services => _app.Services;

    /// <summary>A new key for any tenant and scopes.</summary>
    public string CreateKey(string tenant, params string[] scopes) => _app.Services.GetRequiredService<ApiKeyStore>().Create("test-" + tenant, tenant, scopes).Key;

    /// <param name="logs">When given, receives every log event from Debug up (the prompt text included), for tests that assert what was logged.</param>
    /// <param name="services">More parts to add, given the server's scratch folder (e.g. updates and telemetry, as the daemon has them).</param>
    public static async Task<InferenceTestServer> StartAsync(
        string modelPath,
        Action<InferenceOptions>? inference = null,
        Action<ApiOptions>? api = null,
        Action<EdgeLlm.Retrieval.RetrievalOptions>? retrieval = null,
        ILoggerProvider? logs = null,
        Action<IServiceCollection, string>? services = null)
    {
        var directory = new TempDirectory();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        }

        builder.Services.AddEdgeLlmInference(options =>
        {
            options.Models = [new ModelOptions { Path = modelPath }];
            options.ContextSize = 512;
            options.MaxSequences = 8;
            options.QueueCapacity = 8;
            inference?.Invoke(options);
        });
        builder.Services.AddEdgeLlmRetrieval(options =>
        {
            options.DatabasePath = directory.File("retrieval.db");
            retrieval?.Invoke(options);
        });
        builder.Services.AddEdgeLlmApi(options =>
        {
            options.MaxRequestBodyBytes = 64 * 1024;
            api?.Invoke(options);
        });
        builder.Services.Configure<ApiKeyAuthenticationOptions>(ApiKeyAuthenticationDefaults.AuthenticationScheme, o => o.StateDatabasePath = directory.File("state.db"));
        services?.Invoke(builder.Services, directory.File(""));
        var app = builder.Build();
        app.MapEdgeLlmApi();
        await app.StartAsync();
        await app.Services.GetRequiredService<ModelRegistry>().Ready.WaitAsync(TimeSpan.FromMinutes(2));
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new InferenceTestServer(app, directory, new Uri(address));
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    public Task<HttpResponseMessage> PostAsync(string path, object body) =>
        Client.PostAsJsonAsync(path, body);

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _directory.Dispose();
    }
}
