namespace EdgeLlm.Api.Contracts;

/// <summary>Body of <c>POST /v1/collections</c>.</summary>
public sealed class CreateCollectionRequest
{
    public string? Name { get; set; }

    public string? Description { get; set; }
}

public sealed record CollectionDto(string Id, string Object, string Name, string? Description, string EmbeddingModel, int Dimensions, long CreatedAt, int DocumentCount, long ChunkCount);

public sealed record CollectionList(string Object, IReadOnlyList<CollectionDto> Data);

/// <summary>Body of <c>POST /v1/collections/{id}/documents</c> as JSON: the document's text and metadata.</summary>
public sealed class DocumentTextRequest
{
    /// <summary>The document's id in the collection; re-using one replaces that document. Generated when absent.</summary>
    public string? Id { get; set; }

    public string? Text { get; set; }

    /// <summary>text/plain (default), text/markdown or text/html.</summary>
    public string? ContentType { get; set; }

    public string? Title { get; set; }

    public string? Source { get; set; }

    public List<string>? Tags { get; set; }
}

public sealed record IngestJobDto(
    string Id,
    string Object,
    string CollectionId,
    string DocumentId,
    string Status,
    int TotalChunks,
    int DoneChunks,
    JobErrorDto? Error,
    long CreatedAt,
    long UpdatedAt);

public sealed record JobErrorDto(string Code, string Message);

public sealed record IngestJobList(string Object, IReadOnlyList<IngestJobDto> Data);

public sealed record DocumentDto(
    string Id,
    string Object,
    string CollectionId,
    string? Title,
    string? Source,
    string ContentType,
    IReadOnlyList<string> Tags,
    long Bytes,
    string Sha256,
    int ChunkCount,
    long CreatedAt,
    long UpdatedAt,
    IReadOnlyList<ChunkDto>? Chunks);

public sealed record ChunkDto(long Id, int Ordinal, string Heading, string Text, int Start, int End);

public sealed record DocumentList(string Object, IReadOnlyList<DocumentDto> Data, bool HasMore);

public sealed record DeletedDto(string Id, string Object, bool Deleted);

/// <summary>Body of <c>POST /v1/collections/{id}/search</c>.</summary>
public sealed class SearchRequest
{
    public string? Query { get; set; }

    public int? TopK { get; set; }

    public SearchFilterDto? Filter { get; set; }

    /// <summary>Lowest cosine similarity between the query and a result.</summary>
    public float? MinScore { get; set; }

    /// <summary>hybrid (default), vector or keyword.</summary>
    public string? Mode { get; set; }
}

public sealed class SearchFilterDto
{
    public List<string>? DocumentIds { get; set; }

    public List<string>? Tags { get; set; }

    public string? Source { get; set; }
}

public sealed record SearchResultDto(
    long ChunkId,
    string DocumentId,
    int Ordinal,
    string? Title,
    string? Source,
    string Heading,
    string Text,
    int Start,
    int End,
    double Score,
    float VectorScore,
    int? VectorRank,
    int? KeywordRank);

public sealed record SearchResponse(string Object, IReadOnlyList<SearchResultDto> Data);

/// <summary>The <c>retrieval</c> field of a chat request: ground the answer in a collection.</summary>
public sealed class RetrievalRequestDto
{
    public string? Collection { get; set; }

    public int? TopK { get; set; }

    public SearchFilterDto? Filter { get; set; }

    public float? MinScore { get; set; }

    public string? Mode { get; set; }
}

/// <summary>A reference the answer was given, numbered as the model saw it.</summary>
public sealed record CitationDto(
    int Index,
    string Collection,
    string DocumentId,
    long ChunkId,
    int Ordinal,
    string? Title,
    string? Source,
    double Score,
    float VectorScore,
    string Snippet,
    int Start,
    int End);
