using EdgeLlm.Api.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace EdgeLlm.Api.Endpoints.Retrieval;

/// <summary>
/// <c>/v1/collections</c>: changing a collection or its documents needs the ingest scope, reading them the
/// ingest or inference scope, and searching the inference scope.
/// </summary>
public static class RetrievalApi
{
    public static IEndpointRouteBuilder MapRetrievalApi(this IEndpointRouteBuilder app)
    {
        var collections = app.MapGroup("/v1/collections");
        collections.MapPost("", CollectionsEndpoints.CreateAsync).RequireAuthorization(ApiScopes.Ingest);
        collections.MapGet("", CollectionsEndpoints.List).RequireAuthorization(ApiScopes.RetrievalReadPolicy);
        collections.MapGet("/{collection}", CollectionsEndpoints.Get).RequireAuthorization(ApiScopes.RetrievalReadPolicy);
        collections.MapDelete("/{collection}", CollectionsEndpoints.DeleteAsync).RequireAuthorization(ApiScopes.Ingest);
        collections.MapPost("/{collection}/documents", DocumentsEndpoints.UploadAsync).RequireAuthorization(ApiScopes.Ingest);
        collections.MapGet("/{collection}/documents", DocumentsEndpoints.List).RequireAuthorization(ApiScopes.RetrievalReadPolicy);
        collections.MapGet("/{collection}/documents/{document}", DocumentsEndpoints.Get).RequireAuthorization(ApiScopes.RetrievalReadPolicy);
        collections.MapDelete("/{collection}/documents/{document}", DocumentsEndpoints.DeleteAsync).RequireAuthorization(ApiScopes.Ingest);
        collections.MapGet("/{collection}/jobs/{job}", DocumentsEndpoints.GetJob).RequireAuthorization(ApiScopes.RetrievalReadPolicy);
        collections.MapPost("/{collection}/search", SearchEndpoint.HandleAsync).RequireAuthorization(ApiScopes.Inference);
        return app;
    }
}
