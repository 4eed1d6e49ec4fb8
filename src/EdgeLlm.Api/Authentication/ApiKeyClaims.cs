using System.Security.Claims;

namespace EdgeLlm.Api.Authentication;

/// <summary>The claims an authenticated request carries, and helpers for endpoints to read them.</summary>
public static class ApiKeyClaims
{
    /// <summary>The id of the API key used (absent while authentication is disabled).</summary>
    public const string KeyId = "edgellm:key_id";

    /// <summary>The tenant the request acts for; every authenticated request has exactly one.</summary>
    public const string Tenant = "edgellm:tenant";

    /// <summary>One claim per scope the key carries (values from <see cref="ApiScopes"/>).</summary>
    public const string Scope = "edgellm:scope";

    /// <summary>The request's tenant, or null for an unauthenticated principal.</summary>
    public static string? GetTenant(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindFirst(Tenant)?.Value;
    }

    /// <summary>The id of the key the request used, or null when there was none.</summary>
    public static string? GetApiKeyId(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindFirst(KeyId)?.Value;
    }

    /// <summary>Whether the request's key carries <paramref name="scope"/>.</summary>
    public static bool HasScope(this ClaimsPrincipal principal, string scope)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.HasClaim(Scope, scope);
    }
}
