using EdgeLlm.Retrieval.Store;

namespace EdgeLlm.Retrieval.Search;

/// <summary>What to look for in one collection.</summary>
/// <param name="Text">The question or keywords.</param>
/// <param name="TopK">Results wanted.</param>
/// <param name="Filter">Metadata every result must match.</param>
/// <param name="MinScore">Lowest cosine similarity to the query a result may have (keyword matches included).</param>
/// <param name="Mode">Hybrid (vectors and BM25 fused), vector only, or keyword only.</param>
public sealed record SearchQuery(string Text, int TopK, SearchFilter? Filter = null, float? MinScore = null, SearchMode Mode = SearchMode.Hybrid);

/// <summary>Metadata filters: any of the documents, any of the tags, exactly this source. Null parts match everything.</summary>
public sealed record SearchFilter(IReadOnlyList<string>? DocumentIds = null, IReadOnlyList<string>? Tags = null, string? Source = null)
{
    public bool IsEmpty => DocumentIds is null && Tags is null && Source is null;
}

public enum SearchMode
{
    Hybrid,
    Vector,
    Keyword,
}

/// <summary>
/// One result: the chunk, its document's title and source, the fused score (reciprocal rank fusion),
/// its cosine similarity to the query, and its rank in each list it came from (1-based).
/// </summary>
public sealed record SearchHit(StoredChunk Chunk, string? DocumentTitle, string? Source, double Score, float VectorScore, int? VectorRank, int? KeywordRank);
