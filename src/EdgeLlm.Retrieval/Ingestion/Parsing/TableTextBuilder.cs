using System.Text;

namespace EdgeLlm.Retrieval.Ingestion.Parsing;

/// <summary>
/// A table as text: one line per row, cells joined by " | ", empty rows dropped. Tables nested in a cell
/// are flattened into that cell, rows joined by "; ".
/// </summary>
internal sealed class TableTextBuilder
{
    private readonly List<string> _rows = [];
    private List<string>? _cells;

    /// <summary>The text of the cell being read, or null between cells.</summary>
    public StringBuilder? Cell { get; private set; }

    public void StartRow()
    {
        EndRow();
        _cells = [];
    }

    public void StartCell()
    {
        EndCell();
        _cells ??= [];
        Cell = new StringBuilder();
    }

    public void EndCell()
    {
        if (Cell is not null)
        {
            _cells!.Add(TextNormalizer.SingleLine(Cell.ToString()));
            Cell = null;
        }
    }

    /// <summary>The rows as lines, for a top-level table.</summary>
    public string ToLines() => string.Join('\n', Finish());

    /// <summary>The rows on one line, for a table nested in another's cell.</summary>
    public string ToInline() => string.Join("; ", Finish());

    private List<string> Finish()
    {
        EndRow();
        return _rows;
    }

    private void EndRow()
    {
        EndCell();
        if (_cells is not null && _cells.Any(c => c.Length > 0))
        {
            _rows.Add(string.Join(" | ", _cells));
        }

        _cells = null;
    }
}
