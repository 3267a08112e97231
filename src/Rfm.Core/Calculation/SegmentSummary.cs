using Rfm.Segmentation;

namespace Rfm;

/// <summary>The customers of one segment, in numbers.</summary>
/// <param name="Segment">The segment.</param>
/// <param name="Customers">How many customers it holds.</param>
/// <param name="Share">Its share of all customers, from 0 to 1.</param>
/// <param name="MeanRecency">The mean recency of its customers, in days.</param>
/// <param name="MeanFrequency">The mean frequency of its customers.</param>
/// <param name="MeanMonetary">The mean monetary value of its customers.</param>
/// <param name="TotalMonetary">The exact total monetary value of its customers.</param>
public sealed record SegmentSummary(
    Segment Segment,
    int Customers,
    double Share,
    double MeanRecency,
    double MeanFrequency,
    decimal MeanMonetary,
    decimal TotalMonetary);
