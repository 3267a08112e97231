using System.Collections.Immutable;

namespace Rfm;

/// <summary>
/// What happened to every row read: how many were used, how many were excluded and why, and the money on
/// both sides. It always reconciles: <c>RowsRead == RowsUsed + RowsExcluded</c> and
/// <c>AmountRead == AmountUsed + AmountExcluded</c>.
/// </summary>
public sealed record IngestionSummary
{
    internal IngestionSummary(long rowsRead, decimal amountRead, long rowsExcluded, decimal amountExcluded, decimal amountUsed, int customers, ImmutableArray<ExclusionCount> exclusions)
    {
        RowsRead = rowsRead;
        AmountRead = amountRead;
        RowsExcluded = rowsExcluded;
        AmountExcluded = amountExcluded;
        RowsUsed = rowsRead - rowsExcluded;
        AmountUsed = amountUsed;
        Customers = customers;
        Exclusions = exclusions;
    }

    /// <summary>One slot per reason number, as the spans of <see cref="Account"/> are indexed.</summary>
    internal static readonly int ReasonSlots = (int)Enum.GetValues<ExclusionReason>().Max() + 1;

    /// <summary>
    /// The account of the rows read: one entry per reason from the rows and money excluded for it (indexed by the
    /// reason's number), and the rows and money used as what is left. For rows counted elsewhere (by a database, say),
    /// accounted for as this library accounts for its own.
    /// </summary>
    /// <param name="rowsRead">Every row seen.</param>
    /// <param name="amountRead">The exact sum of the money of every row seen.</param>
    /// <param name="excludedRows">The rows excluded for each reason, at the reason's number; at least one entry per reason.</param>
    /// <param name="excludedAmount">The money of those rows, likewise.</param>
    /// <param name="customers">The customers left.</param>
    /// <returns>The account.</returns>
    /// <exception cref="ArgumentException">A span has fewer entries than there are reasons.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or more rows are excluded than were read.</exception>
    /// <exception cref="OverflowException">The excluded or the used money, taken together, exceeds what a decimal holds exactly.</exception>
    public static IngestionSummary Account(long rowsRead, decimal amountRead, ReadOnlySpan<long> excludedRows, ReadOnlySpan<decimal> excludedAmount, int customers)
    {
        if (excludedRows.Length < ReasonSlots || excludedAmount.Length < ReasonSlots)
        {
            throw new ArgumentException(
                $"The excluded rows and money need an entry at each reason's number, 0 to {ReasonSlots - 1}.",
                excludedRows.Length < ReasonSlots ? nameof(excludedRows) : nameof(excludedAmount));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(rowsRead);
        ArgumentOutOfRangeException.ThrowIfNegative(customers);

        var exclusions = ImmutableArray.CreateBuilder<ExclusionCount>();
        var rowsExcluded = 0L;
        var amountExcluded = 0m;
        decimal amountUsed;
        try
        {
            foreach (var reason in Enum.GetValues<ExclusionReason>())
            {
                var slot = (int)reason;
                ArgumentOutOfRangeException.ThrowIfNegative(excludedRows[slot], nameof(excludedRows));
                exclusions.Add(new ExclusionCount(reason, excludedRows[slot], excludedAmount[slot]));
                rowsExcluded += excludedRows[slot];
                amountExcluded = ExactDecimal.Sum(amountExcluded, excludedAmount[slot]);
            }

            amountUsed = ExactDecimal.Sum(amountRead, -amountExcluded);
        }
        catch (OverflowException ex)
        {
            // Each running sum fits, but the excluded or the used rows together hold more money than decimal can.
            throw new OverflowException("The money of the excluded or of the used rows, taken together, exceeds what a decimal holds exactly, so the ingestion summary cannot be made.", ex);
        }

        if (rowsExcluded > rowsRead)
        {
            throw new ArgumentOutOfRangeException(nameof(excludedRows), rowsExcluded, $"{rowsExcluded} rows are excluded, but only {rowsRead} were read.");
        }

        return new IngestionSummary(rowsRead, amountRead, rowsExcluded, amountExcluded, amountUsed, customers, exclusions.ToImmutable());
    }

    /// <summary>Rows seen.</summary>
    public long RowsRead { get; }

    /// <summary>The sum of the amounts of all rows seen.</summary>
    public decimal AmountRead { get; }

    /// <summary>Rows that count towards a customer's metrics.</summary>
    public long RowsUsed { get; }

    /// <summary>The sum of the amounts of the rows used.</summary>
    public decimal AmountUsed { get; }

    /// <summary>Customers with at least one row used.</summary>
    public int Customers { get; }

    /// <summary>One entry per <see cref="ExclusionReason"/>, in the enum's order, zeros included.</summary>
    public ImmutableArray<ExclusionCount> Exclusions { get; }

    /// <summary>Rows excluded for any reason: the sum over <see cref="Exclusions"/>.</summary>
    public long RowsExcluded { get; }

    /// <summary>The sum of the amounts of the rows excluded for any reason: the sum over <see cref="Exclusions"/>.</summary>
    public decimal AmountExcluded { get; }

    /// <summary>The rows and money excluded for one reason.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The count, zero when no row was excluded for it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reason"/> is not a defined reason.</exception>
    public ExclusionCount Excluded(ExclusionReason reason)
    {
        foreach (var exclusion in Exclusions)
        {
            if (exclusion.Reason == reason)
            {
                return exclusion;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a defined exclusion reason.");
    }
}
