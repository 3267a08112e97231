namespace Rfm.Analytics;

/// <summary>
/// How purchases are grouped into calendar periods: the unit, the time zone whose calendar the periods follow, and the
/// first day of a week. Immutable; change a copy with a <see langword="with"/> expression.
/// </summary>
/// <remarks>
/// <para>
/// Without a <see cref="TimeZone"/>, timestamps are taken as wall-clock times already (as most exports write them), and a
/// period starts at their midnight. With one, timestamps are taken as UTC instants (as databases and text with an offset
/// give them) and converted into that zone first, daylight saving included, so that a purchase at 23:30 UTC on 31 March
/// falls in April in Berlin. The library never guesses from <see cref="DateTime.Kind"/>.
/// </para>
/// <para>Period starts and ends are wall-clock times in the calendar's zone.</para>
/// </remarks>
public sealed record PeriodCalendar
{
    /// <summary>Creates a calendar of periods of one unit, on the timestamps' own clock, with weeks starting on Monday.</summary>
    /// <param name="unit">The length of the periods.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="unit"/> is not a defined <see cref="PeriodUnit"/>.</exception>
    public PeriodCalendar(PeriodUnit unit)
    {
        if (!Enum.IsDefined(unit))
        {
            throw new ArgumentOutOfRangeException(nameof(unit), unit, "Use day, week, month, quarter or year.");
        }

        Unit = unit;
    }

    /// <summary>The length of the periods.</summary>
    public PeriodUnit Unit { get; }

    /// <summary>
    /// The time zone whose calendar the periods follow, with timestamps taken as UTC; or <see langword="null"/> to take
    /// timestamps as wall-clock times already.
    /// </summary>
    /// <value>Default: <see langword="null"/>.</value>
    public TimeZoneInfo? TimeZone { get; init; }

    /// <summary>The day a week starts on, for <see cref="PeriodUnit.Week"/>.</summary>
    /// <value>Default: <see cref="DayOfWeek.Monday"/> (ISO 8601).</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="DayOfWeek"/>.</exception>
    public DayOfWeek FirstDayOfWeek
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Not a day of the week.");
    } = DayOfWeek.Monday;

    /// <summary>The start of the period a purchase at <paramref name="timestamp"/> belongs to, as a wall-clock time in the calendar's zone.</summary>
    /// <param name="timestamp">A purchase time: UTC when the calendar has a <see cref="TimeZone"/>, else a wall-clock time.</param>
    /// <returns>The period's start. The week holding 0001-01-01 starts on that day when it would start earlier.</returns>
    public DateTime StartOf(DateTime timestamp) => Start(Ordinal(timestamp.Ticks));

    /// <summary>A purchase time as the calendar's wall clock shows it.</summary>
    /// <param name="timestamp">A purchase time: UTC when the calendar has a <see cref="TimeZone"/>, else a wall-clock time.</param>
    /// <returns>The wall-clock time in the calendar's zone.</returns>
    public DateTime WallClock(DateTime timestamp) => LocalTime(timestamp.Ticks);

    /// <summary>The number of the period a timestamp falls in: consecutive periods have consecutive numbers.</summary>
    internal int Ordinal(long ticks) => OrdinalOfLocal(LocalTime(ticks));

    /// <summary>The wall-clock start of the period numbered <paramref name="ordinal"/>.</summary>
    internal DateTime Start(int ordinal) => Unit switch
    {
        PeriodUnit.Day => new DateTime(ordinal * TimeSpan.TicksPerDay),
        // The first week of all is cut short at the start of time rather than start before it.
        PeriodUnit.Week => new DateTime(Math.Max(0, ((long)ordinal * 7) + WeekShift) * TimeSpan.TicksPerDay),
        PeriodUnit.Month => new DateTime(ordinal / 12, (ordinal % 12) + 1, 1),
        PeriodUnit.Quarter => new DateTime(ordinal / 4, ((ordinal % 4) * 3) + 1, 1),
        _ => new DateTime(ordinal, 1, 1),
    };

    /// <summary>The wall-clock end (exclusive) of the period numbered <paramref name="ordinal"/>: the next one's start, or the end of time.</summary>
    internal DateTime End(int ordinal) => ordinal >= OrdinalOfLocal(DateTime.MaxValue) ? DateTime.MaxValue : Start(ordinal + 1);

    /// <summary>A timestamp's wall-clock time in the calendar's zone.</summary>
    internal DateTime LocalTime(long ticks) => TimeZone is null
        ? new DateTime(ticks)
        : TimeZoneInfo.ConvertTimeFromUtc(new DateTime(ticks, DateTimeKind.Utc), TimeZone);

    /// <summary>The number of the period a wall-clock time in the calendar's zone falls in.</summary>
    internal int OrdinalOfLocal(DateTime local) => Unit switch
    {
        PeriodUnit.Day => (int)(local.Ticks / TimeSpan.TicksPerDay),
        PeriodUnit.Week => (int)Math.Floor(((local.Ticks / TimeSpan.TicksPerDay) - WeekShift) / 7.0),
        PeriodUnit.Month => (local.Year * 12) + local.Month - 1,
        PeriodUnit.Quarter => (local.Year * 4) + ((local.Month - 1) / 3),
        _ => local.Year,
    };

    // 0001-01-01 was a Monday: how many days after it the first week starts.
    private int WeekShift => ((int)FirstDayOfWeek - (int)DayOfWeek.Monday + 7) % 7;
}
