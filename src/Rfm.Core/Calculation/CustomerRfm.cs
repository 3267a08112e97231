using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm;

/// <summary>One customer's metrics, scores and segment.</summary>
/// <param name="Metrics">The metrics.</param>
/// <param name="Score">The R, F and M scores.</param>
/// <param name="Segment">The segment.</param>
public readonly record struct CustomerRfm(CustomerMetrics Metrics, RfmScore Score, Segment Segment)
{
    /// <summary>The customer key.</summary>
    public string CustomerId => Metrics.CustomerId;
}
