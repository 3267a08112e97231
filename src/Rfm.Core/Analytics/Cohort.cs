using System.Collections.Immutable;

namespace Rfm.Analytics;

/// <summary>The customers acquired in one period, followed through every period after it: one row of the cohort matrix.</summary>
public sealed class Cohort
{
    internal Cohort(DateTime start, int size, ImmutableArray<CohortCell> cells)
    {
        Start = start;
        Size = size;
        Cells = cells;
    }

    /// <summary>The start of the acquisition period.</summary>
    public DateTime Start { get; }

    /// <summary>The customers whose first order fell in it.</summary>
    public int Size { get; }

    /// <summary>One cell per period from the acquisition period to the last period, empty ones included: cell k is k periods after acquisition.</summary>
    public ImmutableArray<CohortCell> Cells { get; }
}
