namespace Rfm;

/// <summary>The three RFM metrics.</summary>
public enum RfmMetric
{
    /// <summary>Whole days since the last purchase; smaller is better.</summary>
    Recency = 0,

    /// <summary>Number of distinct orders; larger is better.</summary>
    Frequency = 1,

    /// <summary>Total money spent; larger is better.</summary>
    Monetary = 2,
}
