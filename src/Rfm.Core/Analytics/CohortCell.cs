namespace Rfm.Analytics;

/// <summary>What one acquisition cohort did in one period: a cell of the cohort matrix, or a row of its tidy form.</summary>
public readonly record struct CohortCell
{
    internal CohortCell(DateTime cohort, int periodsSinceAcquisition, DateTime periodStart, bool complete, int cohortSize, int activeCustomers, long orders, decimal revenue)
    {
        Cohort = cohort;
        PeriodsSinceAcquisition = periodsSinceAcquisition;
        PeriodStart = periodStart;
        Complete = complete;
        CohortSize = cohortSize;
        ActiveCustomers = activeCustomers;
        Orders = orders;
        Revenue = revenue;
    }

    /// <summary>The start of the cohort's acquisition period.</summary>
    public DateTime Cohort { get; }

    /// <summary>0 for the acquisition period itself, 1 for the next, and so on.</summary>
    public int PeriodsSinceAcquisition { get; }

    /// <summary>The start of the period the cell counts.</summary>
    public DateTime PeriodStart { get; }

    /// <summary>Whether that period ended on or before the analysis date; a partial period's figures are not final.</summary>
    public bool Complete { get; }

    /// <summary>The customers acquired in the cohort's period.</summary>
    public int CohortSize { get; }

    /// <summary>Those of them with at least one order in the period; never more than <see cref="CohortSize"/>.</summary>
    public int ActiveCustomers { get; }

    /// <summary>Their orders in the period.</summary>
    public long Orders { get; }

    /// <summary>The exact money of those orders.</summary>
    public decimal Revenue { get; }

    /// <summary>The share of the cohort active in the period, from 0 to 1 (1 in the acquisition period).</summary>
    public double RetentionShare => (double)ActiveCustomers / CohortSize;
}
