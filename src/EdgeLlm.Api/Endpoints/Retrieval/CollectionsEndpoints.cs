using System.Text.Json;
using EdgeLlm.Api.Authentication;
using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Api.Generation;
using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;
using Microsoft.AspNetCore.Http;

namespace EdgeLlm.Api.Endpoints.Retrieval;

/// <summary>
/// <c>/v1/collections</c>: create, list, show and delete a tenant's collections. A collection of another
/// tenant answers exactly as one that does not exist (404 <c>collection_not_found</c>).
/// </summary>
internal static class CollectionsEndpoints
{
    public static async Task CreateAsync(HttpContext http, CollectionCreator creator)
    {
        var (body, error) = await JsonBody.ReadAsync(http.Request, ApiJsonContext.Default.CreateCollectionRequest);
        if (error is null && !StoreIds.IsValidName(body!.Name))
        {
            error = new ApiError(400, ErrorCodes.InvalidParameter, "name must be 1-64 characters of letters, digits, '.', '_' and '-', starting with a letter or digit.", "name");
        }

        if (error is null && body!.Description is { Length: > 1000 })
        {
            error = new ApiError(400, ErrorCodes.InvalidParameter, "description is limited to 1000 characters.", "description");
        }

        if (error is not null)
        {
            await ApiErrorWriter.WriteAsync(http, error);
            return;
        }

        switch (await creator.CreateAsync(Tenant(http), body!.Name!, body.Description, http.RequestAborted))
        {
            case CreateCollectionResult.Created created:
                http.Response.StatusCode = StatusCodes.Status201Created;
                http.Response.Headers.Location = $"/v1/collections/{created.Collection.Id}";
                await WriteAsync(http, RetrievalDtos.Collection(created.Collection, new CollectionCounts(0, 0)), ApiJsonContext.Default.CollectionDto);
                break;
            case CreateCollectionResult.NameTaken:
                await ApiErrorWriter.WriteAsync(http, new ApiError(409, ErrorCodes.CollectionExists, $"A collection named '{body.Name}' already exists.", "name"));
                break;
            case CreateCollectionResult.LimitReached limit:
                await ApiErrorWriter.WriteAsync(http, new ApiError(409, ErrorCodes.CollectionLimitReached, $"This tenant already has the most collections allowed ({limit.Limit})."));
                break;
        }
    }

    public static Task ListAsync(HttpContext http, CollectionStore collections) =>
        WriteAsync(http, new CollectionList("list", collections.List(Tenant(http)).Select(c => RetrievalDtos.Collection(c, collections.Count(c.Id))).ToList()), ApiJsonContext.Default.CollectionList);

    public static Task GetAsync(HttpContext http, string collection, CollectionStore collections) =>
        collections.Find(Tenant(http), collection) is { } found
            ? WriteAsync(http, RetrievalDtos.Collection(found, collections.Count(found.Id)), ApiJsonContext.Default.CollectionDto)
            : NotFoundAsync(http);

    public static async Task DeleteAsync(HttpContext http, string collection, CollectionStore collections, VectorIndexCache indexes)
    {
        var found = collections.Find(Tenant(http), collection);
        if (found is null || !await collections.DeleteAsync(Tenant(http), found.Id, http.RequestAborted))
        {
            await NotFoundAsync(http);
            return;
        }

        indexes.Forget(found.Id);
        await WriteAsync(http, new DeletedDto(found.Id, "collection", true), ApiJsonContext.Default.DeletedDto);
    }

    internal static string Tenant(HttpContext http) => http.User.GetTenant() ?? throw new InvalidOperationException("An authenticated request has no tenant.");

    internal static Task NotFoundAsync(HttpContext http) =>
        ApiErrorWriter.WriteAsync(http, new ApiError(404, ErrorCodes.CollectionNotFound, "No such collection."));

    internal static Task WriteAsync<T>(HttpContext http, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(value, type), http.RequestAborted);
    }
}
