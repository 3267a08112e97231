using System.Globalization;
using System.Text;

namespace Rfm.Cli.Tests.Parity;

/// <summary>What a column of a parity case holds.</summary>
public enum Role
{
    Customer,
    Order,
    Date,
    Amount,
    Quantity,
    Price,
    Note,
}

/// <summary>A column of a parity case: its role and its name as the header writes it (perhaps in another case).</summary>
public sealed record ParityColumn(Role Role, string Header);

/// <summary>
/// A small set of rows written as CSV text: the columns in file order, one text per column and row, the analysis date
/// and the preset, and what makes the file itself odd (a duplicated header, trailing fields, ragged rows, blank
/// lines), which only the engines that read files see.
/// </summary>
public sealed record ParityCase(
    IReadOnlyList<ParityColumn> Columns,
    IReadOnlyList<IReadOnlyList<string>> Rows,
    DateTime AsOf,
    bool Tutorial)
{
    /// <summary>A header added after the columns, with a name some column already has (in any case).</summary>
    public string? DuplicateHeader { get; init; }

    /// <summary>Rows written with one field more than the header has.</summary>
    public IReadOnlySet<int> TrailingField { get; init; } = new HashSet<int>();

    /// <summary>Rows written with their last field left out.</summary>
    public IReadOnlySet<int> Ragged { get; init; } = new HashSet<int>();

    /// <summary>Rows followed by a blank line (-1: a blank line before the first row).</summary>
    public IReadOnlySet<int> BlankLineAfter { get; init; } = new HashSet<int>();

    /// <summary>Line breaks written as CR LF.</summary>
    public bool CrLf { get; init; }

    /// <summary>The name each role is given to every engine: the canonical column names, whatever case the header uses.</summary>
    public static string Name(Role role) => role switch
    {
        Role.Customer => "customer_id",
        Role.Order => "invoice",
        Role.Date => "purchased_at",
        Role.Amount => "amount",
        Role.Quantity => "quantity",
        Role.Price => "unit_price",
        _ => "note",
    };

    public bool HasOrder => Columns.Any(c => c.Role == Role.Order);

    public bool AmountLayout => Columns.Any(c => c.Role == Role.Amount);

    /// <summary>Whether the file has anything only the engines that read files see.</summary>
    public bool IsStructural => DuplicateHeader is not null || TrailingField.Count > 0 || Ragged.Count > 0 || BlankLineAfter.Count > 0;

    public RfmCalculator Calculator => Tutorial ? RfmCalculator.Presets["tutorial"] : RfmCalculator.Presets["default"];

    public TransactionPolicy Policy => Calculator.Policy;

    public TransactionColumns TransactionColumns => AmountLayout
        ? new() { Customer = Name(Role.Customer), Order = HasOrder ? (ColumnRef?)Name(Role.Order) : null, Timestamp = Name(Role.Date), Amount = Name(Role.Amount) }
        : new() { Customer = Name(Role.Customer), Order = HasOrder ? (ColumnRef?)Name(Role.Order) : null, Timestamp = Name(Role.Date), Quantity = Name(Role.Quantity), UnitPrice = Name(Role.Price) };

    /// <summary>The text of a role in a row, or null when the case has no such column.</summary>
    public string? Text(int row, Role role)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i].Role == role)
            {
                return Rows[row][i];
            }
        }

        return null;
    }

    public string AsOfText => AsOf.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The header as written, duplicate included.</summary>
    public IReadOnlyList<string> Header => [.. Columns.Select(c => c.Header), .. DuplicateHeader is null ? [] : new[] { DuplicateHeader }];

    /// <summary>The file: header, rows, and the case's odd lines.</summary>
    public string ToCsv()
    {
        var newline = CrLf ? "\r\n" : "\n";
        var csv = new StringBuilder();
        csv.Append(string.Join(',', Header.Select(Field))).Append(newline);
        if (BlankLineAfter.Contains(-1))
        {
            csv.Append(newline);
        }

        for (var r = 0; r < Rows.Count; r++)
        {
            var fields = Rows[r].Select(Field).ToList();
            if (DuplicateHeader is not null)
            {
                fields.Add(string.Empty);
            }

            if (TrailingField.Contains(r))
            {
                fields.Add("extra");
            }

            if (Ragged.Contains(r))
            {
                fields.RemoveAt(fields.Count - 1);
            }

            csv.Append(string.Join(',', fields)).Append(newline);
            if (BlankLineAfter.Contains(r))
            {
                csv.Append(newline);
            }
        }

        return csv.ToString();
    }

    // RFC 4180: a field with a separator, a quote or a line break is quoted, its quotes doubled.
    private static string Field(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"preset {(Tutorial ? "tutorial" : "default")}, --as-of {AsOfText}");
        if (IsStructural)
        {
            text.Append(CultureInfo.InvariantCulture, $", structural (duplicate header {DuplicateHeader ?? "none"}, trailing {string.Join(' ', TrailingField)}, ragged {string.Join(' ', Ragged)}, blank after {string.Join(' ', BlankLineAfter)})");
        }

        text.Append('\n').Append(Escape(ToCsv()));
        return text.ToString();
    }

    /// <summary>The text with control characters and non-ASCII white space made visible.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder();
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\n' => "\n",
                _ when char.IsControl(c) || (c > '~' && char.IsWhiteSpace(c)) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }
}
