namespace EdgeLlm.Api.Authentication.Sessions;

/// <summary>
/// A signed-in browser: it acts as the API key that signed in (same id, tenant and scopes) until it is signed out,
/// idles past its idle timeout, reaches its absolute timeout or its key is revoked or expires.
/// </summary>
/// <param name="Key">The key that signed in, as the store knew it then.</param>
/// <param name="CsrfToken">The anti-forgery token every state-changing request of this session must carry.</param>
/// <param name="CreatedAt">When the session began.</param>
/// <param name="EndsAt">When it ends whatever happens: the absolute timeout, or the key's expiry if sooner.</param>
public sealed record BrowserSession(ApiKeyInfo Key, string CsrfToken, DateTimeOffset CreatedAt, DateTimeOffset EndsAt)
{
    /// <summary>The <see cref="Microsoft.AspNetCore.Http.HttpContext.Items"/> key under which an authenticated request keeps its session.</summary>
    public const string Item = "edgellm.browser_session";

    /// <summary>The cookie that carries the session's id.</summary>
    public const string CookieName = "edgellm_console";

    /// <summary>The header a state-changing request made by the console carries its anti-forgery token in.</summary>
    public const string CsrfHeader = "X-CSRF-Token";
}
