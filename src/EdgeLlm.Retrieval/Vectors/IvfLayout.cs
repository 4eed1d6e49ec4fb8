using System.Buffers;
using System.Numerics.Tensors;

namespace EdgeLlm.Retrieval.Vectors;

/// <summary>
/// A trained partition of a <see cref="VectorStore"/>: the centroids, one <see cref="IvfList"/> per centroid,
/// and where each store slot sits (which list, which position), kept in step as vectors come, go and move.
/// </summary>
internal sealed class IvfLayout
{
    private readonly int _dimensions;
    private int[] _listOfSlot;
    private int[] _positionOfSlot;

    private IvfLayout(float[] centroids, int dimensions, int trainedCount, int slotCapacity)
    {
        _dimensions = dimensions;
        Centroids = centroids;
        TrainedCount = trainedCount;
        Lists = new IvfList[centroids.Length / dimensions];
        _listOfSlot = new int[slotCapacity];
        _positionOfSlot = new int[slotCapacity];
    }

    public float[] Centroids { get; }

    public IvfList[] Lists { get; }

    /// <summary>Vectors the centroids were trained on; the retraining policy measures growth from here.</summary>
    public int TrainedCount { get; }

    /// <summary>Places every stored vector in the list <paramref name="labels"/> gives its slot.</summary>
    public static IvfLayout Build(VectorStore store, float[] centroids, int[] labels, int trainedCount)
    {
        var layout = new IvfLayout(centroids, store.Dimensions, trainedCount, store.Capacity);
        var listCount = layout.Lists.Length;

        // Group the slots by list (a counting sort), then fill the lists in parallel, each in slot order.
        var starts = new int[listCount + 1];
        for (var slot = 0; slot < store.Count; slot++)
        {
            starts[labels[slot] + 1]++;
        }

        for (var list = 0; list < listCount; list++)
        {
            starts[list + 1] += starts[list];
        }

        var members = new int[store.Count];
        var next = starts[..listCount];
        for (var slot = 0; slot < store.Count; slot++)
        {
            members[next[labels[slot]]++] = slot;
        }

        Parallel.For(0, listCount, list =>
        {
            var ivfList = new IvfList(store.Dimensions, starts[list + 1] - starts[list]);
            foreach (var slot in members.AsSpan(starts[list], starts[list + 1] - starts[list]))
            {
                layout._listOfSlot[slot] = list;
                layout._positionOfSlot[slot] = ivfList.Add(slot, store.Vector(slot));
            }

            layout.Lists[list] = ivfList;
        });
        return layout;
    }

    public int ListOf(int slot) => _listOfSlot[slot];

    public int NearestList(ReadOnlySpan<float> unitVector) => NearestCentroid(Centroids, unitVector);

    public static int NearestCentroid(float[] centroids, ReadOnlySpan<float> unitVector)
    {
        var count = centroids.Length / unitVector.Length;
        var scores = ArrayPool<float>.Shared.Rent(count);
        try
        {
            CentroidKernel.ScoreAll(unitVector, centroids, scores.AsSpan(0, count));
            return TensorPrimitives.IndexOfMax<float>(scores.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }
    }

    /// <summary>Adds the vector stored in <paramref name="slot"/> to <paramref name="list"/>.</summary>
    public void Add(int slot, int list, ReadOnlySpan<float> unitVector, int slotCapacity)
    {
        if (_listOfSlot.Length < slotCapacity)
        {
            Array.Resize(ref _listOfSlot, slotCapacity);
            Array.Resize(ref _positionOfSlot, slotCapacity);
        }

        _listOfSlot[slot] = list;
        _positionOfSlot[slot] = Lists[list].Add(slot, unitVector);
    }

    public void Remove(int slot)
    {
        var position = _positionOfSlot[slot];
        var moved = Lists[_listOfSlot[slot]].RemoveAt(position);
        if (moved >= 0)
        {
            _positionOfSlot[moved] = position;
        }
    }

    /// <summary>Follows the store moving the vector in slot <paramref name="from"/> into slot <paramref name="to"/>.</summary>
    public void MoveSlot(int from, int to)
    {
        var list = _listOfSlot[from];
        var position = _positionOfSlot[from];
        Lists[list].MoveSlot(position, to);
        _listOfSlot[to] = list;
        _positionOfSlot[to] = position;
    }

    /// <summary>
    /// Probes the lists nearest the unit <paramref name="query"/>: at least <paramref name="probes"/> of them,
    /// and on until <paramref name="k"/> vectors have passed <paramref name="filter"/> (a selective filter
    /// widens the search instead of returning too few). The best <paramref name="candidates"/> by their 8-bit
    /// scores are then re-scored exactly with the floats.
    /// </summary>
    public TopHits Search(VectorStore store, float[] query, int k, Predicate<long>? filter, int probes, int candidates)
    {
        var listCount = Lists.Length;
        var order = ArrayPool<int>.Shared.Rent(listCount);
        var distances = ArrayPool<float>.Shared.Rent(listCount);
        var queryCodes = ArrayPool<short>.Shared.Rent(_dimensions);
        var dots = ArrayPool<int>.Shared.Rent(1024);
        try
        {
            // Lists nearest first: sort ascending on negated similarity.
            CentroidKernel.ScoreAll(query, Centroids, distances.AsSpan(0, listCount));
            TensorPrimitives.Negate(distances.AsSpan(0, listCount), distances.AsSpan(0, listCount));
            for (var list = 0; list < listCount; list++)
            {
                order[list] = list;
            }

            Array.Sort(distances, order, 0, listCount);
            var queryScale = Int8Codes.EncodeQuery(query, queryCodes.AsSpan(0, _dimensions));
            var coarse = new TopHits(Math.Max(k, candidates));
            for (var probed = 0; probed < listCount && (probed < probes || coarse.Count < k); probed++)
            {
                var list = Lists[order[probed]];
                if (dots.Length < list.Count)
                {
                    ArrayPool<int>.Shared.Return(dots);
                    dots = ArrayPool<int>.Shared.Rent(list.Count);
                }

                ScanList(store, list, queryCodes.AsSpan(0, _dimensions), queryScale, dots.AsSpan(0, list.Count), filter, coarse);
            }

            var hits = new TopHits(Math.Max(1, Math.Min(k, coarse.Count)));
            foreach (var candidate in coarse.Unordered)
            {
                hits.Offer(TensorPrimitives.Dot(query, store.Vector(candidate.Slot)), candidate.Id, candidate.Slot);
            }

            return hits;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<float>.Shared.Return(distances);
            ArrayPool<short>.Shared.Return(queryCodes);
            ArrayPool<int>.Shared.Return(dots);
        }
    }

    private static void ScanList(
        VectorStore store, IvfList list, ReadOnlySpan<short> queryCodes, float queryScale, Span<int> dots, Predicate<long>? filter, TopHits coarse)
    {
        Int8Codes.DotAll(list.Codes, queryCodes, dots);
        var scales = list.Scales;
        var slots = list.Slots;
        for (var i = 0; i < dots.Length; i++)
        {
            var estimate = dots[i] * scales[i] * queryScale;
            if (estimate >= coarse.Threshold)
            {
                var id = store.IdAt(slots[i]);
                if (filter is null || filter(id))
                {
                    coarse.Offer(estimate, id, slots[i]);
                }
            }
        }
    }
}
