using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Daemon.Hosting;
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
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeLlm.Api.Tests.Support;

/// <summary>
/// The daemon as <c>edgellm serve</c> composes it (every part, the bridges between them, the API), with settings given
/// as an operator gives them, on a real Kestrel server on 127.0.0.1 with a real GGUF model. Creates one key per scope set.
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

    /// <summary>Starts the daemon's composition on <paramref name="modelPath"/> in a scratch data directory, on a free loopback port.</summary>
    /// <param name="settings">Settings as an operator gives them (<c>Section:Key</c>, value), over the tests' defaults.</param>
    /// <param name="logs">When given, receives every log event from Debug up (the prompt text included), for tests that assert what was logged.</param>
    public static async Task<InferenceTestServer> StartAsync(string modelPath, IReadOnlyDictionary<string, string>? settings = null, ILoggerProvider? logs = null)
    {
        var directory = new TempDirectory();
        var given = new Dictionary<string, string>(Defaults, StringComparer.OrdinalIgnoreCase)
        {
            ["Daemon:LogLevel"] = logs is null ? "Warning" : "Debug",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            given[key] = value;
        }

        var arguments = new ServeArguments(directory.Path, modelPath, "http://127.0.0.1:0", null, [.. given.SelectMany(s => new[] { "--" + s.Key, s.Value })]);
        var app = DaemonHost.Build(arguments, logging => logging.AddProvider(logs ?? NullLoggerProvider.Instance));
        await app.StartAsync();
        await app.Services.GetRequiredService<ModelRegistry>().Ready.WaitAsync(TimeSpan.FromMinutes(2));
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new InferenceTestServer(app, directory, new Uri(address));
    }

    /// <summary>A small context and few sequences keep the tests quick; the request-body cap is small enough to reach.</summary>
    private static readonly Dictionary<string, string> Defaults = new()
    {
        ["Inference:ContextSize"] = "512",
        ["Inference:MaxSequences"] = "8",
        ["Inference:QueueCapacity"] = "8",
        ["Api:MaxRequestBodyBytes"] = "65536",
    };

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
