namespace Rfm.Analytics;

/// <summary>The length of the calendar periods KPIs and cohorts are counted in.</summary>
public enum PeriodUnit
{
    /// <summary>Calendar days, from midnight to midnight.</summary>
    Day = 0,

    /// <summary>Calendar weeks, from midnight of <see cref="PeriodCalendar.FirstDayOfWeek"/> (Monday by default, as in ISO 8601).</summary>
    Week = 1,

    /// <summary>Calendar months.</summary>
    Month = 2,

    /// <summary>Calendar quarters, starting on 1 January, 1 April, 1 July and 1 October.</summary>
    Quarter = 3,

    /// <summary>Calendar years.</summary>
    Year = 4,
}
