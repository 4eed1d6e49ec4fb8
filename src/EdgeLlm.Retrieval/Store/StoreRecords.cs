namespace EdgeLlm.Retrieval.Store;

/// <summary>A collection as its owner sees it.</summary>
public sealed record CollectionInfo(
    string Id,
    string Name,
    string? Description,
    string EmbeddingModel,
    int Dimensions,
    DateTimeOffset CreatedAt);

/// <summary>How much a collection holds; counted on demand, never on the search or upload path.</summary>
public sealed record CollectionCounts(int Documents, long Chunks);

/// <summary>A stored document's metadata.</summary>
public sealed record DocumentInfo(
    string CollectionId,
    string Id,
    string? Title,
    string? Source,
    string ContentType,
    IReadOnlyList<string> Tags,
    long Bytes,
    string Sha256,
    int ChunkCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>One stored chunk with where it came from in its document.</summary>
public sealed record StoredChunk(long Id, string DocumentId, int Ordinal, string Text, string Heading, int Start, int End);

/// <summary>A chunk ready to store: its text, position and vector.</summary>
public sealed record ChunkToStore(int Ordinal, string Text, string Heading, int Start, int End, int Tokens, float[] Vector);
