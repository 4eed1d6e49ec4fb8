using System.Numerics.Tensors;

namespace EdgeLlm.Retrieval.Vectors;

/// <summary>Exact top-k by cosine over a <see cref="VectorStore"/>: SIMD dot products and a bounded heap.</summary>
internal static class ExactScan
{
    /// <summary>
    /// Scores every stored vector against the unit <paramref name="query"/>. From <paramref name="parallelFrom"/>
    /// vectors on, the slots are split over the cores, each part keeping its own heap, and the heaps merged.
    /// </summary>
    public static TopHits Search(VectorStore store, float[] query, int k, Predicate<long>? filter, int parallelFrom)
    {
        var count = store.Count;
        var hits = new TopHits(Math.Max(1, Math.Min(k, count)));
        var parts = count >= parallelFrom ? Environment.ProcessorCount : 1;
        if (parts == 1)
        {
            ScanRange(store, query, 0, count, filter, hits);
            return hits;
        }

        var partHits = new TopHits[parts];
        Parallel.For(0, parts, part =>
        {
            partHits[part] = new TopHits(hits.Capacity);
            ScanRange(store, query, (int)((long)count * part / parts), (int)((long)count * (part + 1) / parts), filter, partHits[part]);
        });
        foreach (var part in partHits)
        {
            hits.OfferAll(part);
        }

        return hits;
    }

    /// <summary>Exact top-k among <paramref name="ids"/> only, by looking each one up; unknown ids are skipped.</summary>
    public static TopHits SearchAmong(VectorStore store, ReadOnlySpan<float> query, int k, IEnumerable<long> ids)
    {
        var hits = new TopHits(Math.Max(1, Math.Min(k, store.Count)));
        foreach (var id in ids)
        {
            if (store.TryGetSlot(id, out var slot))
            {
                var score = TensorPrimitives.Dot(query, store.Vector(slot));
                if (score >= hits.Threshold)
                {
                    hits.Offer(score, id, slot);
                }
            }
        }

        return hits;
    }

    private static void ScanRange(VectorStore store, ReadOnlySpan<float> query, int from, int to, Predicate<long>? filter, TopHits hits)
    {
        var dimensions = store.Dimensions;
        var vectors = store.AllVectors;
        for (var slot = from; slot < to; slot++)
        {
            var score = TensorPrimitives.Dot(query, vectors.Slice(slot * dimensions, dimensions));

            // The filter is asked only about vectors good enough to be kept, which on a big scan is few.
            if (score >= hits.Threshold)
            {
                var id = store.IdAt(slot);
                if (filter is null || filter(id))
                {
                    hits.Offer(score, id, slot);
                }
            }
        }
    }
}
