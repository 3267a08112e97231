namespace Rfm.Cli.Output;

/// <summary>
/// A plain-text table for the summaries: each column keeps its usual width and widens for a longer value, so that no
/// value, however large, runs into its neighbour.
/// </summary>
internal sealed class TextTable
{
    private readonly Column[] _columns;
    private readonly List<string[]> _rows = [];

    /// <summary>A table of these columns; the last, when left-aligned, is free text and not padded.</summary>
    public TextTable(params Column[] columns) => _columns = columns;

    /// <summary>Adds a row (the header too), one text per column.</summary>
    public TextTable Add(params string[] cells)
    {
        if (cells.Length != _columns.Length)
        {
            throw new ArgumentException($"A row of {cells.Length} cells for a table of {_columns.Length} columns.", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    /// <summary>Writes the rows, each line after <paramref name="indent"/>.</summary>
    public void Write(TextWriter writer, string indent = "")
    {
        // One space more than the longest cell keeps a gap either side of every column.
        var widths = _columns.Select((column, i) => Math.Max(column.Width, _rows.Count == 0 ? 0 : _rows.Max(row => row[i].Length) + 1)).ToArray();
        foreach (var row in _rows)
        {
            writer.Write(indent);
            for (var i = 0; i < row.Length; i++)
            {
                var (column, cell) = (_columns[i], row[i]);
                writer.Write(!column.Left ? cell.PadLeft(widths[i]) : i == row.Length - 1 ? cell : cell.PadRight(widths[i]));
            }

            writer.WriteLine();
        }
    }

    /// <summary>A column: its usual width, and whether its text is aligned left (else right, as numbers are).</summary>
    internal readonly record struct Column(int Width, bool Left = false)
    {
        public static Column LeftOf(int width) => new(width, Left: true);
    }
}
