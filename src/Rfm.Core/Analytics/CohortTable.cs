using System.Collections.Immutable;

namespace Rfm.Analytics;

/// <summary>Acquisition cohorts by period: as a matrix (<see cref="Cohorts"/>, one row per cohort) and as tidy rows (<see cref="Cells"/>).</summary>
public sealed class CohortTable
{
    private ImmutableArray<CohortCell> _cells;

    internal CohortTable(PeriodCalendar calendar, ImmutableArray<Cohort> cohorts)
    {
        Calendar = calendar;
        Cohorts = cohorts;
    }

    /// <summary>The periods counted in.</summary>
    public PeriodCalendar Calendar { get; }

    /// <summary>The cohorts in order of acquisition, periods without new customers left out: the matrix's rows.</summary>
    public ImmutableArray<Cohort> Cohorts { get; }

    /// <summary>Every cell of the matrix as a tidy row, by cohort and then periods since acquisition (made on first use).</summary>
    public ImmutableArray<CohortCell> Cells
    {
        get
        {
            // One reference: a race only makes the same array twice.
            if (_cells.IsDefault)
            {
                _cells = [.. Cohorts.SelectMany(cohort => cohort.Cells)];
            }

            return _cells;
        }
    }
}
