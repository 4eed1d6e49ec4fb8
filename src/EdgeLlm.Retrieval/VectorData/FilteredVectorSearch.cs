using EdgeLlm.Retrieval.Vectors;
using Microsoft.Extensions.VectorData;

namespace EdgeLlm.Retrieval.VectorData;

/// <summary>
/// A vector search whose filter only the records can answer (a compiled expression, not something the index
/// knows): the index is asked for more candidates than wanted, their records are read and filtered, and
/// while too few pass the request grows fourfold, until enough pass or the index has no more to give. So it
/// is right for any predicate (the last round may cover the whole index) and costs little when most chunks
/// pass; a filter that rejects nearly everything costs about a scan of the collection.
/// </summary>
internal sealed class FilteredVectorSearch(IVectorIndex index, float[] query, VectorSearchOptions<ChunkRecord> options)
{
    private const int OverFetch = 4;

    private readonly Func<ChunkRecord, bool>? _filter = options.Filter?.Compile();

    /// <summary>Up to <paramref name="wanted"/> passing chunks, best first; <paramref name="read"/> reads the records of ids that exist.</summary>
    public List<ScoredChunk> Run(int wanted, Func<IReadOnlyCollection<long>, Dictionary<long, ChunkRecord>> read)
    {
        var records = new Dictionary<long, ChunkRecord>();
        var seen = new HashSet<long>();
        var asked = _filter is null ? (long)wanted : (long)wanted * OverFetch;
        while (true)
        {
            var available = index.Count;
            if (available == 0)
            {
                return [];
            }

            var k = (int)Math.Min(asked, available);
            var hits = index.Search(query, k);
            var unread = hits.Select(hit => hit.Id).Where(seen.Add).ToList();
            foreach (var (id, record) in read(unread))
            {
                records[id] = record;
            }

            var passing = new List<ScoredChunk>();
            var belowThreshold = false;
            foreach (var hit in hits)
            {
                if (hit.Score < options.ScoreThreshold)
                {
                    belowThreshold = true;
                    break;
                }

                // A chunk without a record was deleted after the index answered.
                if (records.TryGetValue(hit.Id, out var record) && (_filter is null || _filter(record)))
                {
                    passing.Add(new ScoredChunk(record, hit.Score));
                    if (passing.Count == wanted)
                    {
                        return passing;
                    }
                }
            }

            if (belowThreshold || hits.Count < k || k == available)
            {
                return passing;
            }

            asked = (long)k * OverFetch;
        }
    }
}

/// <summary>A chunk record with its cosine similarity to the query.</summary>
internal readonly record struct ScoredChunk(ChunkRecord Record, float Score);
