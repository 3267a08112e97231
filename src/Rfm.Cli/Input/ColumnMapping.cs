using System.Data;

namespace Rfm.Cli.Input;

/// <summary>The column flags of the command line, and the known layouts they can start from.</summary>
internal sealed record ColumnFlags(string? Customer, string? Order, string? Date, string? Amount, string? Quantity, string? Price, string? DateFormat)
{
    /// <exception cref="UsageException">A flag is given with an empty value.</exception>
    public void CheckNotEmpty()
    {
        (string Option, string? Value)[] flags =
        [
            ("--customer", Customer), ("--order", Order), ("--date", Date), ("--amount", Amount),
            ("--quantity", Quantity), ("--price", Price), ("--date-format", DateFormat),
        ];
        foreach (var (option, value) in flags)
        {
            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                throw new UsageException($"{option}: the value is empty.");
            }
        }
    }

    public bool Any => Customer is not null || Order is not null || Date is not null || Amount is not null || Quantity is not null || Price is not null;
}

/// <summary>Chooses which columns hold what: a recognised export's layout, adjusted by the flags.</summary>
internal static class ColumnMapping
{
    private static readonly (string Name, TransactionColumns Columns)[] KnownLayouts =
    [
        ("UCI Online Retail", TransactionColumns.OnlineRetail),
        ("UCI Online Retail II", TransactionColumns.OnlineRetailII),
    ];

    /// <summary>The columns to read, and the name of the layout recognised, if any.</summary>
    /// <exception cref="UsageException">The header is not a known layout and the flags do not say enough.</exception>
    public static (TransactionColumns Columns, string? Layout) Choose(IDataReader reader, ColumnFlags flags) =>
        Choose([.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)], flags);

    /// <summary>The columns of a table with the UCI Online Retail names, adjusted by the flags (for SQL, where no header is read).</summary>
    /// <exception cref="UsageException">The flags contradict each other.</exception>
    public static TransactionColumns ChooseForTable(ColumnFlags flags)
    {
        var layout = TransactionColumns.OnlineRetail;
        List<string> header = [layout.Customer.Name!, layout.Order!.Value.Name!, layout.Timestamp.Name!, layout.Quantity!.Value.Name!, layout.UnitPrice!.Value.Name!];
        return Choose(header, flags).Columns;
    }

    private static (TransactionColumns Columns, string? Layout) Choose(List<string> header, ColumnFlags flags)
    {
        if (flags.Amount is not null && (flags.Quantity is not null || flags.Price is not null))
        {
            throw new UsageException("Give --amount, or --quantity and --price, not both.");
        }

        var (layout, known) = KnownLayouts.FirstOrDefault(k => Matches(header, k.Columns));

        if (known is null && (flags.Customer is null || flags.Date is null || (flags.Amount is null && (flags.Quantity is null || flags.Price is null))))
        {
            throw new UsageException(
                "The header is not one rfm knows (UCI Online Retail or Online Retail II); name the columns with --customer, --date, "
                + "--order (optional) and --amount, or --quantity and --price.");
        }

        var columns = known ?? new TransactionColumns { Customer = flags.Customer!, Timestamp = flags.Date! };
        columns = columns with
        {
            Customer = flags.Customer ?? columns.Customer,
            Order = flags.Order ?? columns.Order,
            Timestamp = flags.Date ?? columns.Timestamp,
            DateFormat = flags.DateFormat ?? columns.DateFormat,
        };

        if (flags.Amount is not null)
        {
            columns = columns with { Amount = flags.Amount, Quantity = null, UnitPrice = null };
        }
        else if (flags.Quantity is not null || flags.Price is not null)
        {
            columns = columns with
            {
                Amount = null,
                Quantity = flags.Quantity ?? columns.Quantity ?? throw new UsageException("--price needs --quantity (or --amount instead of both)."),
                UnitPrice = flags.Price ?? columns.UnitPrice ?? throw new UsageException("--quantity needs --price (or --amount instead of both)."),
            };
        }

        try
        {
            columns.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ErrorMessages.Plain(ex));
        }

        return (columns, flags.Any ? null : layout);
    }

    private static bool Matches(List<string> header, TransactionColumns columns)
    {
        ColumnRef?[] wanted = [columns.Customer, columns.Order, columns.Timestamp, columns.Amount, columns.Quantity, columns.UnitPrice];
        return wanted.All(c => c is not { Name: { } name } || header.Contains(name, StringComparer.OrdinalIgnoreCase));
    }
}
