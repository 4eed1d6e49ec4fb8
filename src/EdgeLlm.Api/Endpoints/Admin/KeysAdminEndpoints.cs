using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Authentication.Sessions;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeLlm.Api.Endpoints.Admin;

/// <summary>
/// <c>/admin/keys</c>: list (never a secret), create (the secret in the answer, once) and revoke, as <c>edgellm keys</c>
/// does on the data directory. Revoking a key also ends the console sessions it signed in.
/// </summary>
internal static class KeysAdminEndpoints
{
    public static Ok<ApiKeyList> List([FromServices] ApiKeyStore keys) => TypedResults.Ok(new ApiKeyList([.. keys.List().Select(Dto)]));

    public static async Task<Results<Created<CreatedKeyDto>, ApiError>> CreateAsync(HttpRequest request, [FromServices] ApiKeyStore keys, [FromServices] TimeProvider time)
    {
        var (body, error) = await JsonBody.ReadAsync(request, ApiJsonContext.Default.CreateKeyRequest);
        if (error is not null)
        {
            return error;
        }

        if (Invalid(body!, time.GetUtcNow()) is { } invalid)
        {
            return invalid;
        }

        var created = keys.Create(body!.Name!, body.Tenant!, body.Scopes!, body.ExpiresAt);
        return TypedResults.Created($"/admin/keys/{created.Info.Id}", new CreatedKeyDto(created.Key, Dto(created.Info)));
    }

    public static Results<NoContent, ApiError> Revoke(string id, HttpContext http, [FromServices] ApiKeyStore keys)
    {
        if (!keys.Revoke(id))
        {
            return new ApiError(404, ErrorCodes.KeyNotFound, $"No API key has the id '{id}'.");
        }

        http.RequestServices.GetService<BrowserSessionStore>()?.EndAllOf(id);
        return TypedResults.NoContent();
    }

    private static ApiError? Invalid(CreateKeyRequest body, DateTimeOffset now)
    {
        if (!ApiKeyValidation.IsValidLabel(body.Name))
        {
            return new ApiError(400, ErrorCodes.InvalidParameter, $"name must be 1 to {ApiKeyValidation.MaxLabelLength} characters of letters, digits, '.', '_' or '-'.", "name");
        }

        if (!ApiKeyValidation.IsValidLabel(body.Tenant))
        {
            return new ApiError(400, ErrorCodes.InvalidParameter, $"tenant must be 1 to {ApiKeyValidation.MaxLabelLength} characters of letters, digits, '.', '_' or '-'.", "tenant");
        }

        if (body.Scopes is not { Count: > 0 } scopes || scopes.Any(s => !ApiScopes.IsKnown(s)))
        {
            return new ApiError(400, ErrorCodes.InvalidParameter, $"scopes must list one or more of: {string.Join(", ", ApiScopes.All)}.", "scopes");
        }

        return body.ExpiresAt is { } expires && expires <= now
            ? new ApiError(400, ErrorCodes.InvalidParameter, "expires_at must be in the future.", "expires_at")
            : null;
    }

    private static ApiKeyDto Dto(ApiKeyInfo key) => new(key.Id, key.Name, key.Tenant, key.Scopes, key.CreatedAt, key.ExpiresAt, key.RevokedAt, key.LastUsedAt);
}
