using EdgeLlm.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Authentication;

/// <summary>Registers API-key authentication, the scope policies and the key store.</summary>
public static class AuthenticationHostingExtensions
{
    /// <summary>
    /// Adds the <see cref="ApiKeyAuthenticationDefaults.AuthenticationScheme"/> scheme as the default, one
    /// authorization policy per scope (named as in <see cref="ApiScopes"/>), and <see cref="ApiKeyStore"/> as a
    /// singleton on the host's <see cref="StateDatabase"/>. Options are validated at start-up.
    /// </summary>
    public static IServiceCollection AddEdgeLlmApiKeyAuthentication(
        this IServiceCollection services, Action<ApiKeyAuthenticationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        const string scheme = ApiKeyAuthenticationDefaults.AuthenticationScheme;

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ApiKeyAuthenticationOptions>(scheme)
            .Validate(o => o.CacheTtl >= TimeSpan.Zero, "ApiKeyAuthenticationOptions.CacheTtl must not be negative.")
            .ValidateOnStart();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<ApiKeyAuthenticationOptions>>().Get(scheme);
            return new ApiKeyStore(sp.GetRequiredService<StateDatabase>(), options.CacheTtl, sp.GetRequiredService<TimeProvider>());
        });

        services.AddAuthentication(scheme)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(scheme, configure);

        var authorization = services.AddAuthorizationBuilder();
        foreach (var scope in ApiScopes.All)
        {
            authorization.AddPolicy(scope, policy => policy
                .AddAuthenticationSchemes(scheme)
                .RequireAuthenticatedUser()
                .RequireClaim(ApiKeyClaims.Scope, scope));
        }

        authorization.AddPolicy(ApiScopes.RetrievalReadPolicy, policy => policy
            .AddAuthenticationSchemes(scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(ApiKeyClaims.Scope, ApiScopes.Inference, ApiScopes.Ingest));
        return services;
    }
}
