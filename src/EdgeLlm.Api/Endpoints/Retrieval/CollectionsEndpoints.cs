using System.Security.Claims;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;
using EdgeLlm.Retrieval.Ingestion;
using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeLlm.Api.Endpoints.Retrieval;

/// <summary>
/// <c>/v1/collections</c>: create, list, show and delete a tenant's collections. A collection of another
/// tenant answers exactly as one that does not exist (404 <c>collection_not_found</c>).
/// </summary>
internal static class CollectionsEndpoints
{
    internal static readonly ApiError CollectionNotFound = new(404, ErrorCodes.CollectionNotFound, "No such collection.");

    public static async Task<Results<Created<CollectionDto>, ApiError>> CreateAsync(HttpRequest request, ClaimsPrincipal user, CollectionCreator creator, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync(request, ApiJsonContext.Default.CreateCollectionRequest);
        if (error is not null)
        {
            return error;
        }

        if (!StoreIds.IsValidName(body!.Name))
        {
            return new ApiError(400, ErrorCodes.InvalidParameter, "name must be 1-64 characters of letters, digits, '.', '_' and '-', starting with a letter or digit.", "name");
        }

        if (body.Description is { Length: > 1000 })
        {
            return new ApiError(400, ErrorCodes.InvalidParameter, "description is limited to 1000 characters.", "description");
        }

        var result = await creator.CreateAsync(Tenant(user), body.Name!, body.Description, cancellationToken);

        return result switch
        {
            CreateCollectionResult.Created created => TypedResults.Created(
                $"/v1/collections/{created.Collection.Id}", RetrievalDtos.Collection(created.Collection, new CollectionCounts(0, 0))),
            CreateCollectionResult.NameTaken => new ApiError(409, ErrorCodes.CollectionExists, $"A collection named '{body.Name}' already exists.", "name"),
            CreateCollectionResult.LimitReached limit => new ApiError(409, ErrorCodes.CollectionLimitReached, $"This tenant already has the most collections allowed ({limit.Limit})."),
            _ => throw new InvalidOperationException("Unknown create-collection result."),
        };
    }

    public static Ok<CollectionList> List(ClaimsPrincipal user, CollectionStore collections) =>
        TypedResults.Ok(new CollectionList("list", collections.List(Tenant(user)).Select(c => RetrievalDtos.Collection(c, collections.Count(c.Id))).ToList()));

    public static Results<Ok<CollectionDto>, ApiError> Get(string collection, ClaimsPrincipal user, CollectionStore collections) =>
        collections.Find(Tenant(user), collection) is { } found
            ? TypedResults.Ok(RetrievalDtos.Collection(found, collections.Count(found.Id)))
            : CollectionNotFound;

    /// <summary>Deletes the collection with its documents and jobs, and stops the job the worker is running for it at once.</summary>
    public static async Task<Results<Ok<DeletedDto>, ApiError>> DeleteAsync(
        string collection, ClaimsPrincipal user, CollectionStore collections, VectorIndexCache indexes, RunningIngests running, CancellationToken cancellationToken)
    {
        var found = collections.Find(Tenant(user), collection);
        var deleted = found is not null && await collections.DeleteAsync(Tenant(user), found.Id, cancellationToken);

        if (!deleted)
        {
            return CollectionNotFound;
        }

        running.CancelCollection(found!.Id);
        indexes.Forget(found.Id);
        return TypedResults.Ok(new DeletedDto(found.Id, "collection", true));
    }

    internal static string Tenant(ClaimsPrincipal user) => user.GetTenant() ?? throw new InvalidOperationException("An authenticated request has no tenant.");
}
