namespace Rfm;

/// <summary>
/// The account of every row an accumulator has read: how many and their money, and of them, how many were excluded
/// and their money by reason. Every sum that can overflow is worked out before anything is written.
/// </summary>
internal sealed class ExclusionAccount
{
    private readonly long[] _excludedRows = new long[IngestionSummary.ReasonSlots];
    private readonly decimal[] _excludedAmount = new decimal[IngestionSummary.ReasonSlots];
    private decimal _amountRead;

    /// <summary>Rows read, used or not.</summary>
    public long RowsRead { get; private set; }

    /// <summary>The money of the rows read, used or not.</summary>
    public decimal AmountRead => _amountRead;

    /// <summary>The rows excluded, at each reason's number.</summary>
    public ReadOnlySpan<long> ExcludedRows => _excludedRows;

    /// <summary>The money of the rows excluded, at each reason's number.</summary>
    public ReadOnlySpan<decimal> ExcludedAmount => _excludedAmount;

    /// <summary>Sets the counts of an empty account, as a saved state gives them.</summary>
    public void Restore(long rowsRead, decimal amountRead, ReadOnlySpan<long> excludedRows, ReadOnlySpan<decimal> excludedAmount)
    {
        RowsRead = rowsRead;
        _amountRead = amountRead;
        excludedRows.CopyTo(_excludedRows);
        excludedAmount.CopyTo(_excludedAmount);
    }

    /// <summary>The total money read with one more row, worked out before anything is written.</summary>
    /// <exception cref="OverflowException">The total exceeds what a <see cref="decimal"/> holds exactly.</exception>
    public decimal AmountReadWith(decimal amount)
    {
        try
        {
            return ExactDecimal.Sum(_amountRead, amount);
        }
        catch (OverflowException ex)
        {
            throw AddingOverflows(amount, "the total money of the rows read", ex);
        }
    }

    /// <summary>Counts a row read, whose money makes the total <paramref name="amountRead"/> (<see cref="AmountReadWith"/>).</summary>
    public void CountRead(decimal amountRead)
    {
        _amountRead = amountRead;
        RowsRead++;
    }

    /// <summary>Counts an excluded row.</summary>
    /// <exception cref="OverflowException">A total exceeds what a <see cref="decimal"/> holds exactly; nothing is counted.</exception>
    public void CountExcluded(ExclusionReason reason, decimal amount)
    {
        var amountRead = AmountReadWith(amount);
        try
        {
            _excludedAmount[(int)reason] = ExactDecimal.Sum(_excludedAmount[(int)reason], amount);
        }
        catch (OverflowException ex)
        {
            throw AddingOverflows(amount, $"the money of the rows excluded as {reason}", ex);
        }

        _excludedRows[(int)reason]++;
        CountRead(amountRead);
    }

    /// <summary>Counts rows read and excluded in bulk, for readers that hand over their counts now and then.</summary>
    public void AddTotals(long rows, decimal amount, ReadOnlySpan<long> excludedRows, ReadOnlySpan<decimal> excludedAmount)
    {
        RowsRead += rows;
        _amountRead = ExactDecimal.Sum(_amountRead, amount);
        for (var reason = 0; reason < _excludedRows.Length; reason++)
        {
            _excludedRows[reason] += excludedRows[reason];
            _excludedAmount[reason] = ExactDecimal.Sum(_excludedAmount[reason], excludedAmount[reason]);
        }
    }

    /// <summary>Adds another account's counts.</summary>
    public void Add(ExclusionAccount other) => AddTotals(other.RowsRead, other._amountRead, other._excludedRows, other._excludedAmount);

    /// <summary>Tries every sum <see cref="Add"/> would make, changing nothing.</summary>
    /// <exception cref="OverflowException">A sum exceeds what a <see cref="decimal"/> holds exactly.</exception>
    public void CheckAdd(ExclusionAccount other)
    {
        try
        {
            _ = ExactDecimal.Sum(_amountRead, other._amountRead);
            for (var reason = 0; reason < _excludedAmount.Length; reason++)
            {
                _ = ExactDecimal.Sum(_excludedAmount[reason], other._excludedAmount[reason]);
            }
        }
        catch (OverflowException ex)
        {
            throw new OverflowException("Merging overflows the total money of the rows read: it exceeds what a decimal holds exactly (its range, or 28 to 29 significant digits).", ex);
        }
    }

    /// <summary>
    /// The summary of the rows read, with the lines and money of the customers a snapshot drops for a non-positive total
    /// counted as excluded for that reason; the account itself does not change.
    /// </summary>
    public IngestionSummary Summary(long droppedLines, decimal droppedMoney, int customers)
    {
        var excludedRows = (long[])_excludedRows.Clone();
        var excludedAmount = (decimal[])_excludedAmount.Clone();
        const int Dropped = (int)ExclusionReason.NonPositiveCustomerTotal;
        excludedRows[Dropped] += droppedLines;
        excludedAmount[Dropped] = MoneyOfDropped(excludedAmount[Dropped], droppedMoney);
        return IngestionSummary.Account(RowsRead, _amountRead, excludedRows, excludedAmount, customers);
    }

    /// <summary>The money of the customers dropped for a non-positive total, with one more.</summary>
    /// <exception cref="OverflowException">The sum exceeds what a <see cref="decimal"/> holds exactly.</exception>
    public static decimal MoneyOfDropped(decimal total, decimal customer)
    {
        try
        {
            return ExactDecimal.Sum(total, customer);
        }
        catch (OverflowException ex)
        {
            throw new OverflowException("The money of the customers dropped for a non-positive total exceeds what a decimal holds exactly.", ex);
        }
    }

    /// <summary>The error for an amount that overflows a total.</summary>
    public static OverflowException AddingOverflows(decimal amount, string total, OverflowException inner) =>
        new($"Adding {amount} overflows {total}: it exceeds what a decimal holds exactly (its range, or 28 to 29 significant digits).", inner);
}
