namespace Rfm.Sql;

/// <summary>
/// What the ingestion statement returned: the rows and money per exclusion reason, and the latest purchase among the
/// rows used (from which a caller can take a default analysis date).
/// </summary>
public sealed class SqlIngestion
{
    private readonly long[] _rows = new long[Enum.GetValues<ExclusionReason>().Max(r => (int)r) + 1];
    private readonly decimal[] _amounts = new decimal[Enum.GetValues<ExclusionReason>().Max(r => (int)r) + 1];
    private long _rowsRead;
    private decimal _amountRead;

    internal SqlIngestion()
    {
    }

    /// <summary>The latest purchase among the rows used; null when no row is used.</summary>
    public DateTime? LatestUsed { get; private set; }

    /// <summary>The account of every row, once the number of customers is known (the customers statement gives it).</summary>
    /// <param name="customers">The number of customers.</param>
    /// <returns>The account.</returns>
    /// <exception cref="OverflowException">The money, taken together, exceeds what a decimal holds exactly.</exception>
    public IngestionSummary Summary(int customers) => IngestionSummary.Account(_rowsRead, _amountRead, _rows, _amounts, customers);

    internal void Add(int? code, long rows, decimal amount, DateTime? latest)
    {
        // Every sum is worked out before anything is written, so that an overflow leaves the account as it was.
        var amountRead = Rfm.Money.Add(_amountRead, amount);
        if (code is { } reason)
        {
            _amounts[reason] = Rfm.Money.Add(_amounts[reason], amount);
            _rows[reason] += rows;
        }
        else if (latest is { } date && (LatestUsed is null || date > LatestUsed))
        {
            LatestUsed = date;
        }

        _rowsRead += rows;
        _amountRead = amountRead;
    }
}
