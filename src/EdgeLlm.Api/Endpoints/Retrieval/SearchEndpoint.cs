using System.Security.Claims;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;
using EdgeLlm.Guardrails.Enforcement;
using EdgeLlm.Guardrails.Policies;
using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeLlm.Api.Endpoints.Retrieval;

/// <summary>
/// <c>POST /v1/collections/{id}/search</c>: hybrid (vector + BM25) search in one of the tenant's collections, with the
/// query as the guardrail policy lets it in.
/// </summary>
internal static class SearchEndpoint
{
    public static async Task<Results<Ok<SearchResponse>, ApiError>> HandleAsync(
        HttpRequest request, string collection, ClaimsPrincipal user, CollectionStore collections, RetrievalQueries queries, GuardrailEnforcer guardrails, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync(request, ApiJsonContext.Default.SearchRequest);
        if (error is not null)
        {
            return error;
        }

        var found = collections.Find(CollectionsEndpoints.Tenant(user), collection);
        if (found is null)
        {
            return CollectionsEndpoints.CollectionNotFound;
        }

        // The query is embedded by a model, so it gets the policy's input rules first.
        var screened = body!.Query is { } text ? guardrails.Begin(user.GetTenant(), user.GetApiKeyId()).Screen(text, GuardrailDirection.Input) : default;
        if (screened.BlockedBy is { } rule)
        {
            return ApiError.ContentBlocked(rule, "this request");
        }

        var (query, queryError) = queries.Read(body.Query is null ? null : screened.Text, body.TopK, body.Filter, body.MinScore, body.Mode);
        if (queryError is not null)
        {
            return queryError;
        }

        var (hits, searchError) = await queries.SearchAsync(found, query!, cancellationToken);
        if (searchError is not null)
        {
            return searchError;
        }

        return TypedResults.Ok(new SearchResponse("list", hits!.Select(RetrievalDtos.Result).ToList()));
    }
}
