using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Authentication.Sessions;
using EdgeLlm.WebConsole.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.WebConsole;

public static class WebConsoleHostingExtensions
{
    /// <summary>
    /// Registers the operator's console: its options (validated at start), its assets and, when it is enabled, the
    /// browser sessions the API's authentication then accepts beside API keys.
    /// </summary>
    public static IServiceCollection AddEdgeLlmWebConsole(this IServiceCollection services)
    {
        services.AddOptions<WebConsoleOptions>()
            .BindConfiguration(WebConsoleOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ConsoleAssets>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<WebConsoleOptions>>().Value;
            return new BrowserSessionStore(options.IdleTimeout, options.AbsoluteTimeout, sp.GetRequiredService<ApiKeyStore>(), sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }

    /// <summary>
    /// Serves <c>/console</c>: sign-in and sign-out, the pages and their assets, with a strict Content-Security-Policy
    /// on all of it. Off (<c>WebConsole:Enabled</c> false), nothing is mapped and no session cookie is accepted.
    /// </summary>
    public static WebApplication MapEdgeLlmWebConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Services.GetRequiredService<IOptions<WebConsoleOptions>>().Value.Enabled)
        {
            return app;
        }

        app.Use(ConsoleHeaders.Apply);
        // Pages and sign-in are open routes: a page checks its session itself and sends a stranger to sign in.
        var console = app.MapGroup("/console").AllowAnonymous();
        console.MapGet("/signin", SignInEndpoints.Page);
        console.MapPost("/signin", SignInEndpoints.SignInAsync).DisableAntiforgery();
        console.MapPost("/signout", SignInEndpoints.SignOutAsync).DisableAntiforgery();
        console.MapGet("/assets/{file}", ConsoleAssets.ServeAsset);
        console.MapGet("", PageEndpoints.Overview);
        console.MapGet("/models", PageEndpoints.Models);
        console.MapGet("/playground", PageEndpoints.Playground);
        console.MapGet("/updates", PageEndpoints.Updates);
        console.MapGet("/collections", PageEndpoints.Collections);
        console.MapGet("/collections/{name}", PageEndpoints.Collection);
        console.MapGet("/keys", PageEndpoints.Keys);
        console.MapGet("/audit", PageEndpoints.Audit);
        console.MapGet("/policies", PageEndpoints.Policies);
        return app;
    }
}
