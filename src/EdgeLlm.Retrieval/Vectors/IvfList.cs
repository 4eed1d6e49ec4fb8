namespace EdgeLlm.Retrieval.Vectors;

/// <summary>
/// One inverted list: the 8-bit codes of the vectors nearest one centroid, back to back so probing the list
/// is one sequential read, with each vector's scale and its slot in the <see cref="VectorStore"/>.
/// Removal moves the list's last entry into the gap.
/// </summary>
internal sealed class IvfList
{
    private readonly int _dimensions;
    private sbyte[] _codes;
    private float[] _scales;
    private int[] _slots;

    public IvfList(int dimensions, int capacity)
    {
        _dimensions = dimensions;
        _codes = new sbyte[capacity * dimensions];
        _scales = new float[capacity];
        _slots = new int[capacity];
    }

    public int Count { get; private set; }

    public ReadOnlySpan<sbyte> Codes => _codes.AsSpan(0, Count * _dimensions);

    public ReadOnlySpan<float> Scales => _scales.AsSpan(0, Count);

    public ReadOnlySpan<int> Slots => _slots.AsSpan(0, Count);

    /// <summary>Appends the unit vector stored in <paramref name="slot"/>; returns its position in the list.</summary>
    public int Add(int slot, ReadOnlySpan<float> unitVector)
    {
        if (Count == _slots.Length)
        {
            var capacity = Math.Max(4, Count * 2);
            Array.Resize(ref _codes, capacity * _dimensions);
            Array.Resize(ref _scales, capacity);
            Array.Resize(ref _slots, capacity);
        }

        _scales[Count] = Int8Codes.Encode(unitVector, _codes.AsSpan(Count * _dimensions, _dimensions));
        _slots[Count] = slot;
        return Count++;
    }

    /// <summary>Removes the entry at <paramref name="position"/>; returns the slot of the entry moved into it, or -1.</summary>
    public int RemoveAt(int position)
    {
        var last = --Count;
        if (position == last)
        {
            return -1;
        }

        _codes.AsSpan(last * _dimensions, _dimensions).CopyTo(_codes.AsSpan(position * _dimensions, _dimensions));
        _scales[position] = _scales[last];
        _slots[position] = _slots[last];
        return _slots[position];
    }

    /// <summary>Records that the vector at <paramref name="position"/> now lives in another store slot.</summary>
    public void MoveSlot(int position, int slot) => _slots[position] = slot;
}
