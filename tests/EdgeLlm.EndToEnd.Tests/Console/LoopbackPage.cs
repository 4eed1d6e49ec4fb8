using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EdgeLlm.EndToEnd.Tests.Console;

/// <summary>
/// One HTML page served by Kestrel on loopback at <c>http://localhost:PORT/</c>, with the headers a test gives it.
/// The daemon listens on 127.0.0.1, so to the browser this page is another site: the origin a forged request comes from.
/// </summary>
internal sealed class LoopbackPage : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackPage(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<LoopbackPage> StartAsync(string html, IReadOnlyDictionary<string, string>? headers = null)
    {
        var url = new Uri($"http://localhost:{EdgeLlm.Testing.LoopbackPorts.Reserve()}/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url.ToString());
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/", (HttpContext http) =>
        {
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                http.Response.Headers[name] = value;
            }

            return Results.Content(html, "text/html; charset=utf-8");
        });
        await app.StartAsync();
        return new LoopbackPage(app, url);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
