using EdgeLlm.Api.Contracts;
using EdgeLlm.Api.Errors;
using EdgeLlm.Retrieval;
using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;
using Microsoft.Extensions.Options;

namespace EdgeLlm.Api.Endpoints.Retrieval;

/// <summary>Turns the wire form of a search (the search endpoint's body, or a chat's <c>retrieval</c> field) into a checked query, and runs it.</summary>
internal sealed class RetrievalQueries(HybridSearcher searcher, IOptions<RetrievalOptions> options)
{
    private const int MaxQueryCharacters = 4000;
    private const int MaxFilterValues = 100;

    public (SearchQuery? Query, ApiError? Error) Read(string? text, int? topK, SearchFilterDto? filter, float? minScore, string? mode, string prefix = "")
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxQueryCharacters)
        {
            return (null, new ApiError(400, ErrorCodes.InvalidParameter, $"query must be 1-{MaxQueryCharacters} characters.", prefix + "query"));
        }

        if (topK is < 1 || topK > settings.MaxTopK)
        {
            return (null, new ApiError(400, ErrorCodes.InvalidParameter, $"top_k must be between 1 and {settings.MaxTopK}.", prefix + "top_k"));
        }

        if (minScore is < -1 or > 1 || (minScore is { } m && !float.IsFinite(m)))
        {
            return (null, new ApiError(400, ErrorCodes.InvalidParameter, "min_score must be between -1 and 1.", prefix + "min_score"));
        }

        SearchMode? searchMode = mode switch
        {
            null or "hybrid" => SearchMode.Hybrid,
            "vector" => SearchMode.Vector,
            "keyword" => SearchMode.Keyword,
            _ => null,
        };
        if (searchMode is null)
        {
            return (null, new ApiError(400, ErrorCodes.InvalidParameter, "mode must be hybrid, vector or keyword.", prefix + "mode"));
        }

        if (filter is not null && ((filter.DocumentIds?.Count ?? 0) > MaxFilterValues || (filter.Tags?.Count ?? 0) > MaxFilterValues
            || filter.DocumentIds?.Any(d => !StoreIds.IsValid(d)) == true || filter.Tags?.Any(t => t is null || t.Length > 100) == true || filter.Source?.Length > 1000))
        {
            return (null, new ApiError(400, ErrorCodes.InvalidParameter, $"filter takes at most {MaxFilterValues} valid document ids and tags of up to 100 characters.", prefix + "filter"));
        }

        var searchFilter = filter is null ? null : new SearchFilter(filter.DocumentIds, filter.Tags, filter.Source);
        return (new SearchQuery(text, topK ?? settings.DefaultTopK, searchFilter, minScore, searchMode.Value), null);
    }

    public async Task<(IReadOnlyList<SearchHit>? Hits, ApiError? Error)> SearchAsync(CollectionInfo collection, SearchQuery query, CancellationToken cancellationToken)
    {
        try
        {
            return (await searcher.SearchAsync(collection, query, cancellationToken), null);
        }
        catch (RetrievalException ex) when (ex.Code == RetrievalErrors.EmbeddingModelChanged)
        {
            return (null, new ApiError(409, ErrorCodes.EmbeddingModelChanged, ex.Message));
        }
        catch (EdgeLlm.Inference.Embeddings.EmbeddingUnavailableException ex)
        {
            return (null, ex.TextTooLong
                ? new ApiError(400, ErrorCodes.ContextLengthExceeded, "The search text is longer than the embedding model's context; shorten it.")
                : ex.QueueFull
                ? new ApiError(429, ErrorCodes.QueueFull, "The embedding queue is full; retry later.", RetryAfter: TimeSpan.FromSeconds(1))
                : new ApiError(503, ErrorCodes.EmbeddingModelUnavailable, ex.Message, RetryAfter: TimeSpan.FromSeconds(5)));
        }
    }
}
