using Microsoft.AspNetCore.Authentication;

namespace EdgeLlm.Api.Authentication;

/// <summary>Settings of API-key authentication, registered by <c>AddEdgeLlmApiKeyAuthentication</c>.</summary>
public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Configuration section these settings are bound from.</summary>
    public const string SectionName = "Api:Authentication";

    /// <summary>
    /// Whether requests must present an API key. Default: <c>true</c>. Turn it off only for a development data
    /// directory: every request then acts for tenant <c>default</c> with every scope, and the host is expected
    /// to log a loud warning at start-up.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long a successful key look-up is cached in memory, which is also the longest a key revoked by the
    /// <c>edgellm keys</c> command keeps working in a running daemon. Default: 5 seconds; zero turns caching off.
    /// </summary>
    public TimeSpan CacheTtl { get; set; } = ApiKeyStore.DefaultCacheTtl;
}

/// <summary>Names shared by the API-key scheme and its callers.</summary>
public static class ApiKeyAuthenticationDefaults
{
    /// <summary>The authentication scheme name.</summary>
    public const string AuthenticationScheme = "ApiKey";

    /// <summary>The tenant every request acts for while authentication is disabled.</summary>
    public const string DevelopmentTenant = "default";
}
