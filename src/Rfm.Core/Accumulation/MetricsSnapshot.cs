using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Rfm;

/// <summary>Every customer's metrics as of one analysis date, with the account of the rows that made them.</summary>
public sealed class MetricsSnapshot
{
    internal MetricsSnapshot(DateTime asOf, ImmutableArray<CustomerMetrics> customers, IngestionSummary ingestion)
    {
        AsOf = asOf;
        Customers = customers;
        Ingestion = ingestion;
    }

    /// <summary>
    /// A snapshot of metrics worked out elsewhere (in a CRM, by a database), to score with
    /// <see cref="RfmCalculator.Score(MetricsSnapshot)"/> exactly as this library scores its own.
    /// </summary>
    /// <param name="asOf">The analysis date the metrics are measured from.</param>
    /// <param name="customers">One entry per customer, in any order, each with a non-blank id of its own.</param>
    /// <param name="ingestion">
    /// The account of the rows that made them, with as many customers; <see langword="null"/> for an account of the
    /// customers' own lines and money, with nothing excluded.
    /// </param>
    /// <returns>The snapshot, its customers ordered by id (ordinal).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customers"/> is null.</exception>
    /// <exception cref="ArgumentException">A customer's id is blank or given twice, a purchase is after
    /// <paramref name="asOf"/> or a first purchase after the last, or the account counts another number of customers;
    /// the message names the customer.</exception>
    /// <exception cref="OverflowException">Without an account, the customers' money exceeds what a decimal holds exactly.</exception>
    public static MetricsSnapshot Create(DateTime asOf, IEnumerable<CustomerMetrics> customers, IngestionSummary? ingestion = null)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var ordered = customers.ToArray();
        Comparison<CustomerMetrics> byId = static (a, b) => string.CompareOrdinal(a.CustomerId, b.CustomerId);
        if (!IsOrdered(ordered, byId))
        {
            Array.Sort(ordered, byId);
        }

        for (var i = 0; i < ordered.Length; i++)
        {
            var customer = ordered[i];
            if (RowContract.IsBlankId(customer.CustomerId))
            {
                throw new ArgumentException($"Customer {i} of the ordered list has a blank id.", nameof(customers));
            }

            if (i > 0 && string.Equals(ordered[i - 1].CustomerId, customer.CustomerId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Customer '{customer.CustomerId}' is given twice.", nameof(customers));
            }

            if (customer.LastPurchase > asOf || customer.FirstPurchase > customer.LastPurchase)
            {
                throw new ArgumentException(
                    $"Customer '{customer.CustomerId}' has a purchase after the analysis date {asOf:O} or a first purchase after the last.", nameof(customers));
            }
        }

        ingestion ??= OwnAccount(ordered);
        if (ordered.Length != ingestion.Customers)
        {
            throw new ArgumentException($"There are {ordered.Length} customers, but the account counts {ingestion.Customers}.", nameof(ingestion));
        }

        return new MetricsSnapshot(asOf, ImmutableCollectionsMarshal.AsImmutableArray(ordered), ingestion);
    }

    // A database's rows usually come ordered already: one pass tells, and spares the sort.
    private static bool IsOrdered(CustomerMetrics[] customers, Comparison<CustomerMetrics> byId)
    {
        for (var i = 1; i < customers.Length; i++)
        {
            if (byId(customers[i - 1], customers[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    // Every line counted and used, nothing excluded.
    private static IngestionSummary OwnAccount(CustomerMetrics[] customers)
    {
        var lines = 0L;
        var money = 0m;
        foreach (var customer in customers)
        {
            lines += customer.Lines;
            money = Money.Add(money, customer.Monetary);
        }

        return IngestionSummary.Account(lines, money, new long[IngestionSummary.ReasonSlots], new decimal[IngestionSummary.ReasonSlots], customers.Length);
    }

    /// <summary>The analysis date the metrics are measured from.</summary>
    public DateTime AsOf { get; }

    /// <summary>One entry per customer, ordered by customer id (ordinal).</summary>
    public ImmutableArray<CustomerMetrics> Customers { get; }

    /// <summary>What happened to every row read.</summary>
    public IngestionSummary Ingestion { get; }
}
