namespace Rfm;

/// <summary>
/// Which columns of a data reader hold the customer, the order, the date and the money. Give either
/// <see cref="Amount"/>, or <see cref="Quantity"/> and <see cref="UnitPrice"/> (the amount is then their product).
/// </summary>
/// <remarks>
/// Typed columns (numbers, dates) are read as they are. Text is parsed with the invariant culture: numbers
/// like <c>1234.56</c> or <c>-1.5e3</c>; dates in ISO 8601 (<c>2011-12-09</c>, <c>2011-12-09 12:50:00</c>,
/// <c>2011-12-09T12:50:00.5+01:00</c>; an offset converts to UTC) or in <see cref="DateFormat"/>. Day-month forms such
/// as <c>01/02/2024</c> are never guessed: name their format. An empty value or
/// <see cref="DBNull"/> is a missing customer or order; in any other column it is an error.
/// </remarks>
public sealed record TransactionColumns
{
    /// <summary>The columns of the UCI Online Retail data set (2010-12 to 2011-12).</summary>
    public static TransactionColumns OnlineRetail { get; } = new()
    {
        Customer = "CustomerID",
        Order = "InvoiceNo",
        Timestamp = "InvoiceDate",
        Quantity = "Quantity",
        UnitPrice = "UnitPrice",
    };

    /// <summary>The columns of the UCI Online Retail II data set (2009-12 to 2011-12).</summary>
    public static TransactionColumns OnlineRetailII { get; } = new()
    {
        Customer = "Customer ID",
        Order = "Invoice",
        Timestamp = "InvoiceDate",
        Quantity = "Quantity",
        UnitPrice = "Price",
    };

    /// <summary>The customer id column.</summary>
    public required ColumnRef Customer { get; init; }

    /// <summary>The order (invoice) id column; <see langword="null"/> when each row is its own order.</summary>
    public ColumnRef? Order { get; init; }

    /// <summary>The purchase date column.</summary>
    public required ColumnRef Timestamp { get; init; }

    /// <summary>The column with each row's money; <see langword="null"/> when quantity and unit price are given.</summary>
    public ColumnRef? Amount { get; init; }

    /// <summary>The quantity column, used with <see cref="UnitPrice"/>.</summary>
    public ColumnRef? Quantity { get; init; }

    /// <summary>The unit price column, used with <see cref="Quantity"/>.</summary>
    public ColumnRef? UnitPrice { get; init; }

    /// <summary>
    /// The partition column (store, tenant, country), or <see langword="null"/> for none. Each partition is analysed on
    /// its own, as if its rows were a table of their own: a customer id is unique within a partition, and scores and
    /// segments are relative to the partition's customers. A partition value is read as ids are (text exactly as
    /// given; numbers in the invariant culture); a blank value (empty, white space or missing) is the partition named
    /// <c>""</c>. Read a mapping with a partition with <see cref="PartitionedAccumulator"/> or
    /// <see cref="RfmCalculator.CalculateByPartition"/>; the readers into one <see cref="RfmAccumulator"/> refuse it.
    /// </summary>
    /// <value>Default: <see langword="null"/>.</value>
    public ColumnRef? Partition { get; init; }

    /// <summary>
    /// The exact format of dates given as text (a .NET custom format such as <c>dd/MM/yyyy HH:mm</c>);
    /// <see langword="null"/> to accept ISO 8601 forms only.
    /// </summary>
    /// <value>Default: <see langword="null"/>.</value>
    public string? DateFormat { get; init; }

    /// <summary>Checks that the money is given one way (an amount, or a quantity and a unit price) and that the date format is valid.</summary>
    /// <exception cref="ArgumentException">Neither or both ways are given, only one of quantity and unit price, or <see cref="DateFormat"/> is not a valid format.</exception>
    public void Validate()
    {
        if (DateFormat is not null)
        {
            try
            {
                _ = new DateTime(2011, 12, 9, 12, 50, 0).ToString(DateFormat, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (FormatException ex)
            {
                throw new ArgumentException($"The date format '{DateFormat}' is not a valid .NET date format.", ex);
            }

            if (DateFormat.Length == 0)
            {
                throw new ArgumentException("The date format is empty.");
            }
        }

        var hasProduct = Quantity is not null || UnitPrice is not null;
        if (Amount is not null && hasProduct)
        {
            throw new ArgumentException("Give either an amount column, or quantity and unit price columns, not both.");
        }

        if (Amount is null && (Quantity is null || UnitPrice is null))
        {
            throw new ArgumentException("Give an amount column, or both a quantity and a unit price column.");
        }
    }
}
