using EdgeLlm.Retrieval.Search;
using EdgeLlm.Retrieval.Store;

namespace EdgeLlm.Api.Contracts;

/// <summary>Retrieval's store records as wire objects (shared by the collection, document, search and chat endpoints).</summary>
internal static class RetrievalDtos
{
    public static CollectionDto Collection(CollectionInfo c, CollectionCounts counts) =>
        new(c.Id, "collection", c.Name, c.Description, c.EmbeddingModel, c.Dimensions, c.CreatedAt.ToUnixTimeSeconds(), counts.Documents, counts.Chunks);

    public static IngestJobDto Job(IngestJob j) =>
        new(j.Id, "ingest_job", j.CollectionId, j.DocumentId, j.Status, j.TotalChunks, j.DoneChunks,
            j.ErrorCode is null ? null : new JobErrorDto(j.ErrorCode, j.ErrorMessage ?? ""), j.CreatedAt.ToUnixTimeSeconds(), j.UpdatedAt.ToUnixTimeSeconds());

    public static DocumentDto Document(DocumentInfo d, IReadOnlyList<StoredChunk>? chunks = null) =>
        new(d.Id, "document", d.CollectionId, d.Title, d.Source, d.ContentType, d.Tags, d.Bytes, d.Sha256, d.ChunkCount,
            d.CreatedAt.ToUnixTimeSeconds(), d.UpdatedAt.ToUnixTimeSeconds(), chunks?.Select(Chunk).ToList());

    public static SearchResultDto Result(SearchHit h) =>
        new(h.Chunk.Id, h.Chunk.DocumentId, h.Chunk.Ordinal, h.DocumentTitle, h.Source, h.Chunk.Heading, h.Chunk.Text, h.Chunk.Start, h.Chunk.End,
            Math.Round(h.Score, 6), h.VectorScore, h.VectorRank, h.KeywordRank);

    public static CitationDto Citation(string collection, Citation c) =>
        new(c.Number, collection, c.Hit.Chunk.DocumentId, c.Hit.Chunk.Id, c.Hit.Chunk.Ordinal, c.Hit.DocumentTitle, c.Hit.Source,
            Math.Round(c.Hit.Score, 6), c.Hit.VectorScore, c.Snippet, c.Hit.Chunk.Start, c.Hit.Chunk.End);

    private static ChunkDto Chunk(StoredChunk c) => new(c.Id, c.Ordinal, c.Heading, c.Text, c.Start, c.End);
}
