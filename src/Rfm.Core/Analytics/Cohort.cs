using System.Collections.Immutable;

namespace Rfm.Analytics;

/// <summary>The customers acquired in one period, followed through every period after it: one row of the cohort matrix.</summary>
/// <param name="Start">The start of the acquisition period.</param>
/// <param name="Size">The customers whose first order fell in it.</param>
/// <param name="Cells">One cell per period from the acquisition period to the last period of the data, empty ones included.</param>
public sealed record Cohort(DateTime Start, int Size, ImmutableArray<CohortCell> Cells);
