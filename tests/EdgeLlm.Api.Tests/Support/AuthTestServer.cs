using EdgeLlm.Api.Authentication;
using EdgeLlm.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.Api.Tests.Support;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with API-key authentication and two endpoints: <c>/v1/ping</c>
/// (inference scope) and <c>/admin/ping</c> (admin scope). Each answers with the request's tenant.
/// </summary>
internal sealed class AuthTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _directory;

    private AuthTestServer(WebApplication app, TempDirectory directory, HttpClient client, CapturingLoggerProvider logs)
    {
        _app = app;
        _directory = directory;
        Client = client;
        Logs = logs;
    }

    public HttpClient Client { get; }

    public CapturingLoggerProvider Logs { get; }

    public ApiKeyStore Store => _app.Services.GetRequiredService<ApiKeyStore>();

    public static async Task<AuthTestServer> StartAsync(bool enabled = true)
    {
        var directory = new TempDirectory();
        var logs = new CapturingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton(_ => new StateDatabase(directory.File("state.db")));
        builder.Services.AddEdgeLlmApiKeyAuthentication(options => options.Enabled = enabled);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/v1/ping", (HttpContext context) => context.User.GetTenant()).RequireAuthorization(ApiScopes.Inference);
        app.MapGet("/admin/ping", (HttpContext context) => context.User.GetTenant()).RequireAuthorization(ApiScopes.Admin);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        var client = new HttpClient { BaseAddress = new Uri(address) };
        return new AuthTestServer(app, directory, client, logs);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _directory.Dispose();
    }
}
