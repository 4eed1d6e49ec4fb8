using EdgeLlm.Inference.PrefixReuse;

namespace EdgeLlm.Inference.Tests.PrefixReuse;

/// <summary>A cell-level model of llama.cpp's unified KV memory: each cell has a position and the sequences that hold it.</summary>
internal sealed class FakeKvMemory : IKvMemory
{
    private readonly List<(int Position, HashSet<int> Sequences)> _cells = [];

    /// <summary>Cells any sequence holds.</summary>
    public int UsedCells => _cells.Count;

    /// <summary>The last <see cref="Copy"/>'s source sequence.</summary>
    public int? LastCopySource { get; private set; }

    /// <summary>The decode of <paramref name="count"/> more tokens of <paramref name="sequence"/>, at its next positions.</summary>
    public void Decode(int sequence, int count)
    {
        var next = Range(sequence).Max + 1;
        for (var i = 0; i < count; i++)
        {
            _cells.Add((next + i, [sequence]));
        }
    }

    public void Copy(int source, int destination, int length)
    {
        LastCopySource = source;
        foreach (var cell in _cells.Where(c => c.Sequences.Contains(source) && c.Position < length))
        {
            cell.Sequences.Add(destination);
        }
    }

    public void Trim(int sequence, int from)
    {
        foreach (var cell in _cells.Where(c => c.Position >= from))
        {
            cell.Sequences.Remove(sequence);
        }

        _cells.RemoveAll(c => c.Sequences.Count == 0);
    }

    /// <summary>The sequence's least and greatest positions and how many cells it holds; (-1, -1, 0) when it holds none.</summary>
    public (int Min, int Max, int Count) Range(int sequence)
    {
        var held = _cells.Where(c => c.Sequences.Contains(sequence)).Select(c => c.Position).ToList();
        return held.Count == 0 ? (-1, -1, 0) : (held.Min(), held.Max(), held.Count);
    }
}
