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

    /// <summary>The analysis date the metrics are measured from.</summary>
    public DateTime AsOf { get; }

    /// <summary>One entry per customer, ordered by customer id (ordinal).</summary>
    public ImmutableArray<CustomerMetrics> Customers { get; }

    /// <summary>What happened to every row read.</summary>
    public IngestionSummary Ingestion { get; }
}
