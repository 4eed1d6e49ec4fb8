using System.Diagnostics;
using System.Numerics.Tensors;
using EdgeLlm.Retrieval.Store;
using Microsoft.Extensions.AI;

namespace EdgeLlm.Retrieval.Search;

/// <summary>
/// Searches one collection by meaning and by words: the query's embedding against the vector index and its
/// words against BM25, the two rankings fused with reciprocal rank fusion (k = 60), so a chunk that both
/// agree on rises and neither score scale has to be calibrated against the other.
/// </summary>
public sealed class HybridSearcher(RetrievalDatabase database, VectorIndexCache indexes, IEmbeddingGenerator<string, Embedding<float>> embeddings)
{
    private const int FusionK = 60;

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(CollectionInfo collection, SearchQuery query, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var candidates = Math.Max(query.TopK * 4, 40);
        var queryVector = await EmbedAsync(collection, query.Text, cancellationToken);
        using var connection = database.Open();

        IReadOnlyList<long> vectorRanking = [];
        if (query.Mode != SearchMode.Keyword)
        {
            var allowed = query.Filter is { IsEmpty: false } ? AllowedChunks(connection, collection.Id, query.Filter) : null;
            var index = indexes.For(collection);
            vectorRanking = (allowed is null ? index.Search(queryVector, candidates) : index.SearchAmong(queryVector, candidates, allowed))
                .Where(hit => query.MinScore is not { } min || hit.Score >= min)
                .Select(hit => hit.Id)
                .ToList();
        }

        var keywordRanking = query.Mode == SearchMode.Vector ? [] : KeywordSearch.Search(connection, collection.Id, query.Text, query.Filter, candidates);
        var fused = Fuse(vectorRanking, keywordRanking);
        var rows = ChunkRows(connection, collection.Id, fused.Select(f => f.Id).ToList());
        var hits = new List<SearchHit>();
        foreach (var (id, score, vectorRank, keywordRank) in fused)
        {
            if (!rows.TryGetValue(id, out var row))
            {
                continue; // Deleted since the index was read.
            }

            var similarity = TensorPrimitives.CosineSimilarity(queryVector, row.Vector);
            if (query.MinScore is { } min && similarity < min)
            {
                continue;
            }

            hits.Add(new SearchHit(row.Chunk, row.Title, row.Source, score, similarity, vectorRank, keywordRank));
            if (hits.Count == query.TopK)
            {
                break;
            }
        }

        RetrievalMetrics.Searched(query.Mode, Stopwatch.GetElapsedTime(started));
        return hits;
    }

    private async Task<float[]> EmbedAsync(CollectionInfo collection, string text, CancellationToken cancellationToken)
    {
        var embedding = await embeddings.GenerateAsync([text], cancellationToken: cancellationToken);
        var vector = embedding[0].Vector.ToArray();
        return vector.Length == collection.Dimensions
            ? vector
            : throw new RetrievalException(RetrievalErrors.EmbeddingModelChanged,
                $"The embedding model now gives {vector.Length} dimensions, but collection '{collection.Name}' was built with {collection.Dimensions}. Re-create the collection or configure its model ({collection.EmbeddingModel}).");
    }

    private static List<(long Id, double Score, int? VectorRank, int? KeywordRank)> Fuse(IReadOnlyList<long> vector, IReadOnlyList<long> keyword)
    {
        var scores = new Dictionary<long, (double Score, int? VectorRank, int? KeywordRank)>();
        for (var i = 0; i < vector.Count; i++)
        {
            scores[vector[i]] = (1.0 / (FusionK + i + 1), i + 1, null);
        }

        for (var i = 0; i < keyword.Count; i++)
        {
            var previous = scores.GetValueOrDefault(keyword[i]);
            scores[keyword[i]] = (previous.Score + 1.0 / (FusionK + i + 1), previous.VectorRank, i + 1);
        }

        return scores.Select(s => (s.Key, s.Value.Score, s.Value.VectorRank, s.Value.KeywordRank))
            .OrderByDescending(s => s.Score).ThenBy(s => s.Key)
            .ToList();
    }

    private static HashSet<long> AllowedChunks(Microsoft.Data.Sqlite.SqliteConnection connection, string collectionId, SearchFilter filter)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT k.id {ChunkFilterSql.From} {ChunkFilterSql.Where(command, collectionId, filter)}";
        using var reader = command.ExecuteReader();
        var ids = new HashSet<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static Dictionary<long, (StoredChunk Chunk, string? Title, string? Source, float[] Vector)> ChunkRows(Microsoft.Data.Sqlite.SqliteConnection connection, string collectionId, List<long> ids)
    {
        var rows = new Dictionary<long, (StoredChunk, string?, string?, float[])>();
        if (ids.Count == 0)
        {
            return rows;
        }

        using var command = connection.CreateCommand();
        var where = ChunkFilterSql.Where(command, collectionId, null);
        command.CommandText = $"""
            SELECT k.id, k.document_id, k.ordinal, k.text, k.heading, k.start_offset, k.end_offset, d.title, d.source, k.vector
            {ChunkFilterSql.FromDrivenBy("json_each($ids) j", "j.value")} {where}
            """;
        command.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(ids));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var chunk = new StoredChunk(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetInt32(5), reader.GetInt32(6));
            rows[chunk.Id] = (chunk, reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8), SqliteCommands.FromBlob((byte[])reader.GetValue(9)));
        }

        return rows;
    }
}
