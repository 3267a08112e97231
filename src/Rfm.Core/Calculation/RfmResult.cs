using System.Collections.Immutable;
using Rfm.Scoring;

namespace Rfm;

/// <summary>
/// The outcome of an RFM analysis: every customer's metrics, scores and segment, the thresholds behind the
/// scores, a summary per segment, and the account of every row read. Immutable.
/// </summary>
public sealed class RfmResult
{
    internal RfmResult(
        DateTime asOf,
        ImmutableArray<CustomerRfm> customers,
        ImmutableArray<MetricScoring> scoring,
        ImmutableArray<SegmentSummary> segments,
        IngestionSummary ingestion)
    {
        AsOf = asOf;
        Customers = customers;
        Scoring = scoring;
        Segments = segments;
        Ingestion = ingestion;
    }

    /// <summary>The analysis date.</summary>
    public DateTime AsOf { get; }

    /// <summary>One entry per customer, ordered by customer id (ordinal).</summary>
    public ImmutableArray<CustomerRfm> Customers { get; }

    /// <summary>How each metric was scored, in the order recency, frequency, monetary.</summary>
    public ImmutableArray<MetricScoring> Scoring { get; }

    /// <summary>How recency was scored.</summary>
    public MetricScoring Recency => Scoring[(int)RfmMetric.Recency];

    /// <summary>How frequency was scored.</summary>
    public MetricScoring Frequency => Scoring[(int)RfmMetric.Frequency];

    /// <summary>How monetary was scored.</summary>
    public MetricScoring Monetary => Scoring[(int)RfmMetric.Monetary];

    /// <summary>One entry per segment that holds customers, in the map's order (most valuable first).</summary>
    public ImmutableArray<SegmentSummary> Segments { get; }

    /// <summary>What happened to every row read.</summary>
    public IngestionSummary Ingestion { get; }

    /// <summary>Finds one customer by id (a binary search).</summary>
    /// <param name="customerId">The customer key.</param>
    /// <param name="customer">The customer, when found.</param>
    /// <returns><see langword="true"/> when the customer is in the result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customerId"/> is null.</exception>
    public bool TryGetCustomer(string customerId, out CustomerRfm customer)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        int low = 0, high = Customers.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var comparison = string.CompareOrdinal(Customers[middle].CustomerId, customerId);
            if (comparison == 0)
            {
                customer = Customers[middle];
                return true;
            }

            if (comparison < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        customer = default;
        return false;
    }
}
