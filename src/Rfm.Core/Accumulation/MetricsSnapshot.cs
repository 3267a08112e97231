using System.Collections.Immutable;

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
    /// A snapshot of metrics worked out elsewhere (by a database, say), to score with
    /// <see cref="RfmCalculator.Score(MetricsSnapshot)"/> exactly as this library scores its own.
    /// </summary>
    /// <param name="asOf">The analysis date the metrics are measured from.</param>
    /// <param name="customers">One entry per customer, ordered by customer id (ordinal), without a blank id.</param>
    /// <param name="ingestion">The account of the rows that made them, with as many customers.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ingestion"/> is null.</exception>
    /// <exception cref="ArgumentException">The customers are not in ordinal order of distinct, non-blank ids, their
    /// number differs from the account's, or a purchase is after <paramref name="asOf"/>.</exception>
    public static MetricsSnapshot Create(DateTime asOf, ImmutableArray<CustomerMetrics> customers, IngestionSummary ingestion)
    {
        ArgumentNullException.ThrowIfNull(ingestion);
        customers = customers.IsDefault ? [] : customers;
        if (customers.Length != ingestion.Customers)
        {
            throw new ArgumentException($"There are {customers.Length} customers, but the account counts {ingestion.Customers}.", nameof(customers));
        }

        for (var i = 0; i < customers.Length; i++)
        {
            var customer = customers[i];
            if (RowContract.IsBlankId(customer.CustomerId) || (i > 0 && string.CompareOrdinal(customers[i - 1].CustomerId, customer.CustomerId) >= 0))
            {
                throw new ArgumentException($"Customer '{customer.CustomerId}' at {i} is blank, or not after the one before it in ordinal order.", nameof(customers));
            }

            if (customer.LastPurchase > asOf || customer.FirstPurchase > customer.LastPurchase)
            {
                throw new ArgumentException($"Customer '{customer.CustomerId}' has a purchase after the analysis date or a first purchase after the last.", nameof(customers));
            }
        }

        return new MetricsSnapshot(asOf, customers, ingestion);
    }

    /// <summary>The analysis date the metrics are measured from.</summary>
    public DateTime AsOf { get; }

    /// <summary>One entry per customer, ordered by customer id (ordinal).</summary>
    public ImmutableArray<CustomerMetrics> Customers { get; }

    /// <summary>What happened to every row read.</summary>
    public IngestionSummary Ingestion { get; }
}
