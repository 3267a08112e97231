using FsCheck;
using FsCheck.Fluent;
using Rfm.Analytics;

namespace Rfm.Tests.Analytics;

/// <summary>How periods are cut, but for the unit: the first day of a week and the time zone (by IANA id, or none).</summary>
public sealed record CalendarCase(DayOfWeek FirstDayOfWeek, string? ZoneId)
{
    public PeriodCalendar For(PeriodUnit unit) => new(unit)
    {
        FirstDayOfWeek = FirstDayOfWeek,
        TimeZone = ZoneId is null ? null : TimeZoneInfo.FindSystemTimeZoneById(ZoneId),
    };

    public override string ToString() => $"weeks from {FirstDayOfWeek}, zone {ZoneId ?? "none"}";
}

/// <summary>A log, a policy, a calendar, and the same rows in another order.</summary>
public sealed record AnalyticsCase(TransactionLog Log, PolicyCase Policy, CalendarCase Calendar, Transaction[] Shuffled)
{
    public override string ToString() => $"{Calendar}; {Policy}; {Log}";
}

/// <summary>A log split across accumulators and merged in a random order (see <see cref="SplitCase"/>), and a calendar.</summary>
public sealed record AnalyticsSplitCase(SplitCase Split, CalendarCase Calendar)
{
    public override string ToString() => $"{Calendar}; {Split}";
}

/// <summary>
/// Explicit generators for the analytics properties, on top of <see cref="Generators"/>' transaction logs (customers
/// from small pools, order ids shared and possibly missing, cancellations, non-positive amounts, rows after the
/// analysis date, timestamps over two years) and policies.
/// </summary>
public static class AnalyticsGenerators
{
    // No zone (timestamps as wall-clock times), zones with daylight saving time on either hemisphere, a half-hour
    // offset, and Lord Howe, whose daylight saving shift is half an hour.
    private static readonly string?[] Zones = [null, null, null, "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"];

    public static Gen<CalendarCase> Calendars { get; } =
        from first in Gen.Frequency((3, Gen.Constant(DayOfWeek.Monday)), (2, Gen.Elements(Enum.GetValues<DayOfWeek>())))
        from zone in Gen.Elements(Zones)
        select new CalendarCase(first, zone);

    public static Arbitrary<CalendarCase> CalendarCases() => Arb.From(Calendars);

    public static Arbitrary<AnalyticsCase> AnalyticsCases() =>
        Arb.From(
            from log in Generators.TransactionLogs().Generator
            from policy in Generators.Policies().Generator
            from calendar in Calendars
            from shuffled in Gen.Shuffle(log.Rows)
            select new AnalyticsCase(log, policy, calendar, shuffled),
            c => Enumerable.Range(0, c.Log.Rows.Length).Select(i => c with
            {
                Log = c.Log with { Rows = Without(c.Log.Rows, i) },
                Shuffled = Without(c.Shuffled, Array.IndexOf(c.Shuffled, c.Log.Rows[i])),
            }));

    public static Arbitrary<AnalyticsSplitCase> AnalyticsSplitCases() =>
        Arb.From(
            from split in Generators.SplitCases().Generator
            from calendar in Calendars
            select new AnalyticsSplitCase(split, calendar),
            c => Enumerable.Range(0, c.Split.Log.Rows.Length).Select(i => c with
            {
                Split = c.Split with
                {
                    Log = c.Split.Log with { Rows = Without(c.Split.Log.Rows, i) },
                    Assignment = Without(c.Split.Assignment, i),
                },
            }));

    private static T[] Without<T>(T[] items, int index) => [.. items[..index], .. items[(index + 1)..]];
}
