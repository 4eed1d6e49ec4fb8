using System.Security.Claims;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;
using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeLlm.Api.Endpoints.Retrieval;

/// <summary><c>POST /v1/collections/{id}/search</c>: hybrid (vector + BM25) search in one of the tenant's collections.</summary>
internal static class SearchEndpoint
{
    public static async Task<Results<Ok<SearchResponse>, ApiError>> HandleAsync(
        HttpRequest request, string collection, ClaimsPrincipal user, CollectionStore collections, RetrievalQueries queries, CancellationToken cancellationToken)
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

        var (query, queryError) = queries.Read(body!.Query, body.TopK, body.Filter, body.MinScore, body.Mode);
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
