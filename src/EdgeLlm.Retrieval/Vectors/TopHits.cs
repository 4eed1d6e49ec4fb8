namespace EdgeLlm.Retrieval.Vectors;

/// <summary>
/// The best hits seen so far, at most <see cref="Capacity"/> of them: a min-heap on score with the worst kept
/// hit at the root, so a better one replaces it in O(log k). Equal scores are ordered by id (lower first),
/// which makes results independent of scan order, partitioning and the order vectors were added in.
/// </summary>
internal sealed class TopHits
{
    private readonly Candidate[] _heap;

    public TopHits(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _heap = new Candidate[capacity];
    }

    public int Count { get; private set; }

    public int Capacity => _heap.Length;

    /// <summary>A score below this cannot get in: the worst kept score once full, until then -∞.</summary>
    public float Threshold => Count == _heap.Length ? _heap[0].Score : float.NegativeInfinity;

    public ReadOnlySpan<Candidate> Unordered => _heap.AsSpan(0, Count);

    public void Offer(float score, long id, int slot)
    {
        var candidate = new Candidate(score, id, slot);
        if (Count < _heap.Length)
        {
            _heap[Count] = candidate;
            SiftUp(Count++);
        }
        else if (IsBetter(candidate, _heap[0]))
        {
            _heap[0] = candidate;
            SiftDown(0);
        }
    }

    public void OfferAll(TopHits other)
    {
        foreach (var candidate in other.Unordered)
        {
            Offer(candidate.Score, candidate.Id, candidate.Slot);
        }
    }

    public VectorHit[] BestFirst()
    {
        var sorted = Unordered.ToArray();
        Array.Sort(sorted, static (a, b) => IsBetter(a, b) ? -1 : IsBetter(b, a) ? 1 : 0);
        return Array.ConvertAll(sorted, static c => new VectorHit(c.Id, c.Score));
    }

    private static bool IsBetter(in Candidate a, in Candidate b) => a.Score > b.Score || (a.Score == b.Score && a.Id < b.Id);

    private void SiftUp(int index)
    {
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (!IsBetter(_heap[parent], _heap[index]))
            {
                return;
            }

            (_heap[parent], _heap[index]) = (_heap[index], _heap[parent]);
            index = parent;
        }
    }

    private void SiftDown(int index)
    {
        while (true)
        {
            var worst = index;
            foreach (var child in (ReadOnlySpan<int>)[(2 * index) + 1, (2 * index) + 2])
            {
                if (child < Count && IsBetter(_heap[worst], _heap[child]))
                {
                    worst = child;
                }
            }

            if (worst == index)
            {
                return;
            }

            (_heap[worst], _heap[index]) = (_heap[index], _heap[worst]);
            index = worst;
        }
    }
}

/// <summary>A scored vector: its id, and its slot in the <see cref="VectorStore"/> for re-scoring.</summary>
internal readonly record struct Candidate(float Score, long Id, int Slot);
