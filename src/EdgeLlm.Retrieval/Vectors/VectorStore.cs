namespace EdgeLlm.Retrieval.Vectors;

/// <summary>
/// Unit vectors in one contiguous float array, a slot each, with the id of every slot and the slot of every
/// id. Slots are dense: removal moves the last vector into the freed slot, so a scan is one sequential pass
/// over <see cref="AllVectors"/>. Not synchronised; the index that owns it does the locking.
/// </summary>
internal sealed class VectorStore
{
    private const int InitialCapacity = 64;

    private readonly Dictionary<long, int> _slots;
    private float[] _values;
    private long[] _ids;

    public VectorStore(int dimensions, int capacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Dimensions = dimensions;
        _slots = new Dictionary<long, int>(capacity);
        _values = new float[(long)capacity * dimensions];
        _ids = new long[capacity];
    }

    public int Dimensions { get; }

    public int Count { get; private set; }

    /// <summary>Slots allocated; arrays kept in step with the slots (such as list positions) size to this.</summary>
    public int Capacity => _ids.Length;

    /// <summary>Every vector, slot after slot: the raw material of a scan.</summary>
    public ReadOnlySpan<float> AllVectors => _values.AsSpan(0, Count * Dimensions);

    /// <summary>The backing array, for parallel loops that cannot capture a span; only the first <see cref="Count"/> slots hold vectors.</summary>
    public float[] RawValues => _values;

    public ReadOnlySpan<float> Vector(int slot) => _values.AsSpan(slot * Dimensions, Dimensions);

    public long IdAt(int slot) => _ids[slot];

    public bool TryGetSlot(long id, out int slot) => _slots.TryGetValue(id, out slot);

    /// <summary>
    /// Stores <paramref name="vector"/> normalised under <paramref name="id"/>, in the slot it already had or a
    /// new one at the end. A vector that cannot be normalised throws before anything changes.
    /// </summary>
    public int Upsert(long id, ReadOnlySpan<float> vector, out bool added)
    {
        added = !_slots.TryGetValue(id, out var slot);
        if (added)
        {
            slot = Count;
            EnsureCapacity(slot + 1);
        }

        VectorMath.Normalise(vector, _values.AsSpan(slot * Dimensions, Dimensions), nameof(vector));
        if (added)
        {
            _ids[slot] = id;
            _slots.Add(id, slot);
            Count++;
        }

        return slot;
    }

    /// <summary>
    /// Removes <paramref name="id"/>'s vector. The last vector moves into its <paramref name="slot"/>;
    /// <paramref name="movedFrom"/> is where that vector was, or -1 when the removed one was the last.
    /// </summary>
    public bool TryRemove(long id, out int slot, out int movedFrom)
    {
        movedFrom = -1;
        if (!_slots.Remove(id, out slot))
        {
            return false;
        }

        var last = Count - 1;
        if (slot != last)
        {
            Vector(last).CopyTo(_values.AsSpan(slot * Dimensions, Dimensions));
            _ids[slot] = _ids[last];
            _slots[_ids[slot]] = slot;
            movedFrom = last;
        }

        Count = last;
        return true;
    }

    /// <summary>Grows to hold at least <paramref name="count"/> vectors, doubling so appends stay amortised O(1).</summary>
    public void EnsureCapacity(int count)
    {
        if (count <= Capacity)
        {
            return;
        }

        // One array holds every float, so a collection is capped at Array.MaxLength floats: about 5.5 million
        // 384-dimensional vectors, far beyond what one appliance's collection is expected to hold.
        var largest = Array.MaxLength / Dimensions;
        if (count > largest)
        {
            throw new InvalidOperationException(
                $"An index of {Dimensions}-dimensional vectors holds at most {largest} of them; split the collection.");
        }

        var capacity = (int)Math.Clamp(Math.Max((long)Capacity * 2, InitialCapacity), count, largest);
        Array.Resize(ref _values, capacity * Dimensions);
        Array.Resize(ref _ids, capacity);
    }
}
