using System.Security.Claims;
using System.Text.Encodings.Web;
using EdgeLlm.Api.Authentication.Sessions;
using EdgeLlm.Api.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Authentication;

/// <summary>
/// Authenticates a request by the API key in <c>Authorization: Bearer &lt;key&gt;</c>, the header every OpenAI
/// SDK sends. No other header is accepted: one well-known credential header is the one a reverse proxy or a
/// log redaction rule already knows to protect. The web console's session cookie stands for the key that signed in.
/// </summary>
/// <remarks>
/// A 401 says <c>missing_api_key</c> when no Authorization header came and <c>invalid_api_key</c> otherwise
/// (malformed, unknown, wrong secret or revoked: the client is not told which; the log is). A 403 says
/// <c>insufficient_scope</c>. Errors are written as <see cref="ApiError"/> results, so <c>/v1/*</c> gets the
/// OpenAI error shape and other paths get problem details.
/// </remarks>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyStore store)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, loggerFactory, encoder)
{
    private const string BearerPrefix = "Bearer ";

    // Set by HandleAuthenticateAsync; read by the challenge to pick the error code and the log line.
    private bool _headerPresent;
    private ApiKeyCheck _check;
    private bool _sessionRefused;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Options.Enabled)
        {
            return Task.FromResult(Success(DevelopmentClaims()));
        }

        var header = Request.Headers.Authorization;
        _headerPresent = header.Count > 0;
        if (!_headerPresent)
        {
            return Task.FromResult(AuthenticateSession());
        }

        var value = header.Count == 1 ? header[0] : null;
        var token = value is not null && value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            ? value[BearerPrefix.Length..].Trim()
            : null;
        _check = store.Check(token);
        return Task.FromResult(_check.Key is { } key
            ? Success(KeyClaims(key))
            : AuthenticateResult.Fail("The API key was refused."));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceAsync();
        if (Response.HasStarted)
        {
            return;
        }

        var path = Request.Path.Value ?? "";
        var remote = Context.Connection.RemoteIpAddress;
        ApiError error;
        if (_sessionRefused)
        {
            AuthenticationLog.SessionRefused(Logger, path, remote);
            error = new ApiError(StatusCodes.Status401Unauthorized, ErrorCodes.InvalidSession, "The console session has ended (signed out, timed out or its key revoked). Sign in again.");
        }
        else if (!_headerPresent)
        {
            AuthenticationLog.MissingApiKey(Logger, path, remote);
            Response.Headers.WWWAuthenticate = "Bearer realm=\"edgellm\"";
            error = new ApiError(StatusCodes.Status401Unauthorized, ErrorCodes.MissingApiKey,
                "No API key was provided. Send it as 'Authorization: Bearer <key>'.");
        }
        else
        {
            LogRefusal(path, remote);
            Response.Headers.WWWAuthenticate = "Bearer realm=\"edgellm\", error=\"invalid_token\"";
            error = _check.Outcome == ApiKeyCheckOutcome.Expired
                ? new ApiError(StatusCodes.Status401Unauthorized, ErrorCodes.ExpiredApiKey, "The API key has expired.")
                : new ApiError(StatusCodes.Status401Unauthorized, ErrorCodes.InvalidApiKey, "The API key is invalid or has been revoked.");
        }

        await error.ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var required = RequiredScopes(Context.GetEndpoint()).Where(s => !Context.User.HasScope(s)).ToList();
        var requiredText = required.Count > 0 ? string.Join(", ", required) : "unknown";
        AuthenticationLog.InsufficientScope(Logger, Context.User.GetApiKeyId(), requiredText, Request.Path.Value ?? "");
        var message = required.Count > 0
            ? $"This API key lacks the scope this endpoint requires: {requiredText}."
            : "This API key lacks a scope this endpoint requires.";
        return new ApiError(StatusCodes.Status403Forbidden, ErrorCodes.InsufficientScope, message).ExecuteAsync(Context);
    }

    /// <summary>
    /// Without an Authorization header, the console's session cookie may stand for the key that signed in. A request
    /// carrying both is judged by its header alone, so a script's key is never overridden by a browser's cookie.
    /// </summary>
    private AuthenticateResult AuthenticateSession()
    {
        if (!Request.Cookies.TryGetValue(BrowserSession.CookieName, out var cookie) || Context.RequestServices.GetService<BrowserSessionStore>() is not { } sessions)
        {
            return AuthenticateResult.NoResult();
        }

        if (sessions.Find(cookie) is not { } session)
        {
            _sessionRefused = true;
            return AuthenticateResult.Fail("The console session was refused.");
        }

        Context.Items[BrowserSession.Item] = session;
        return Success(KeyClaims(session.Key));
    }

    // Policies are named after scopes, so the endpoint's authorization metadata says which scopes it needs.
    private static IEnumerable<string> RequiredScopes(Endpoint? endpoint) =>
        endpoint?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy)
            .OfType<string>()
            .Where(ApiScopes.IsKnown)
            .Distinct(StringComparer.Ordinal)
        ?? [];

    private void LogRefusal(string path, System.Net.IPAddress? remote)
    {
        switch (_check.Outcome)
        {
            case ApiKeyCheckOutcome.Revoked:
                AuthenticationLog.RevokedApiKey(Logger, path, remote, _check.KeyId!);
                break;
            case ApiKeyCheckOutcome.Unknown:
                AuthenticationLog.ApiKeyRefused(Logger, path, remote, _check.KeyId!, "no such key");
                break;
            case ApiKeyCheckOutcome.WrongSecret:
                AuthenticationLog.ApiKeyRefused(Logger, path, remote, _check.KeyId!, "wrong secret");
                break;
            case ApiKeyCheckOutcome.Expired:
                AuthenticationLog.ApiKeyRefused(Logger, path, remote, _check.KeyId!, "expired");
                break;
            default:
                AuthenticationLog.MalformedApiKey(Logger, path, remote);
                break;
        }
    }

    private AuthenticateResult Success(IEnumerable<Claim> claims)
    {
        var identity = new ClaimsIdentity(claims, Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    private static IEnumerable<Claim> KeyClaims(ApiKeyInfo key) =>
    [
        new(ClaimTypes.Name, key.Name),
        new(ApiKeyClaims.KeyId, key.Id),
        new(ApiKeyClaims.Tenant, key.Tenant),
        .. key.Scopes.Select(scope => new Claim(ApiKeyClaims.Scope, scope)),
    ];

    private static IEnumerable<Claim> DevelopmentClaims() =>
    [
        new(ClaimTypes.Name, "authentication-disabled"),
        new(ApiKeyClaims.Tenant, ApiKeyAuthenticationDefaults.DevelopmentTenant),
        .. ApiScopes.All.Select(scope => new Claim(ApiKeyClaims.Scope, scope)),
    ];
}
