using System.Collections.Immutable;

namespace Rfm.Analytics;

/// <summary>Acquisition cohorts by period: as a matrix (<see cref="Cohorts"/>, one row per cohort) and as tidy rows (<see cref="Cells"/>).</summary>
public sealed class CohortTable
{
    internal CohortTable(PeriodCalendar calendar, ImmutableArray<Cohort> cohorts)
    {
        Calendar = calendar;
        Cohorts = cohorts;
        Cells = [.. cohorts.SelectMany(cohort => cohort.Cells)];
    }

    /// <summary>The periods counted in.</summary>
    public PeriodCalendar Calendar { get; }

    /// <summary>The cohorts in order of acquisition, periods without new customers left out: the matrix's rows, cell k of each being k periods after acquisition.</summary>
    public ImmutableArray<Cohort> Cohorts { get; }

    /// <summary>Every cell of the matrix as a tidy row, by cohort and then periods since acquisition.</summary>
    public ImmutableArray<CohortCell> Cells { get; }
}
