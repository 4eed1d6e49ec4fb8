using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace EdgeLlm.EndToEnd.Tests.Updates;

/// <summary>
/// A real update server on loopback (Kestrel): the files of the published folder under <c>/bundle/</c>, with ETags
/// and Range, every request logged; a test may take over any request (<see cref="Intercept"/>) to misbehave.
/// </summary>
internal sealed class UpdateServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<Request> _requests = [];

    private UpdateServer(WebApplication app) => _app = app;

    /// <summary>The folder served; null serves nothing (404).</summary>
    public string? Published { get; set; }

    /// <summary>Handles a request instead of the plain file answer when it returns true: (context, file name, its path).</summary>
    public Func<HttpContext, string, string, Task<bool>>? Intercept { get; set; }

    public Uri Url => new(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single() + "/bundle/");

    /// <summary>The pull settings pointing a daemon here, plus <paramref name="more"/>; checks hourly unless asked.</summary>
    public string[] PullSettings(params string[] more) =>
        ["--Updates:PullUrl", Url.ToString(), "--Updates:PlainHttpHosts:0", "127.0.0.1", "--Updates:PullInterval", "01:00:00", .. more];

    public IReadOnlyList<Request> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<UpdateServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new UpdateServer(app);
        app.MapGet("/bundle/{file}", server.ServeAsync);
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task ServeAsync(HttpContext http, string file)
    {
        var path = Published is null ? "" : Path.Combine(Published, Path.GetFileName(file));
        lock (_requests)
        {
            _requests.Add(new Request(file, http.Request.Headers.Range.ToString(), http.Request.Headers.IfNoneMatch.ToString()));
        }

        if (Intercept is { } intercept && await intercept(http, file, path))
        {
            return;
        }

        if (!File.Exists(path))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var tag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path)))[..16]}\"");
        await Results.File(path, "application/octet-stream", entityTag: tag, enableRangeProcessing: true).ExecuteAsync(http);
    }

    /// <summary>One request as the server saw it: the file, and its <c>Range</c> and <c>If-None-Match</c> headers (empty when absent).</summary>
    public sealed record Request(string File, string Range, string IfNoneMatch);
}
