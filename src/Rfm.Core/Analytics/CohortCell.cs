namespace Rfm.Analytics;

/// <summary>What one acquisition cohort did in one period: a cell of the cohort matrix, or a row of its tidy form.</summary>
/// <param name="Cohort">The start of the cohort's acquisition period.</param>
/// <param name="PeriodsSinceAcquisition">0 for the acquisition period itself, 1 for the next, and so on.</param>
/// <param name="PeriodStart">The start of the period the cell counts.</param>
/// <param name="CohortSize">The customers acquired in the cohort's period.</param>
/// <param name="ActiveCustomers">Those of them with at least one order in the period; never more than <paramref name="CohortSize"/>.</param>
/// <param name="Orders">Their orders in the period.</param>
/// <param name="Revenue">The exact money of those orders.</param>
public sealed record CohortCell(DateTime Cohort, int PeriodsSinceAcquisition, DateTime PeriodStart, int CohortSize, int ActiveCustomers, long Orders, decimal Revenue)
{
    /// <summary>The share of the cohort active in the period, from 0 to 1 (1 in the acquisition period).</summary>
    public double RetentionShare => (double)ActiveCustomers / CohortSize;
}
