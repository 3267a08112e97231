using System.CommandLine;
using System.Globalization;
using Rfm.Analytics;

namespace Rfm.Cli.Commands;

/// <summary>What the commands that count per period share: the period, its calendar, the analysis date and where rows go.</summary>
internal static class PeriodOptions
{
    public static readonly Option<string> Period = new("--period") { Description = "day, week, month, quarter or year: calendar periods.", DefaultValueFactory = _ => "month" };
    public static readonly Option<string?> TimeZone = new("--time-zone") { Description = "Take timestamps as UTC and count in this zone's calendar (e.g. Europe/London); --as-of is then a time in this zone. Default: timestamps are local times already." };
    public static readonly Option<string?> WeekStart = new("--week-start") { Description = "With --period week, the first day of a week, e.g. sunday. Default: monday (ISO 8601)." };
    public static readonly Option<string?> AsOf = new("--as-of") { Description = "The analysis instant: later rows are excluded, the periods run up to it, and those ending by it are complete. Default: midnight after the last purchase used." };
    public static readonly Option<string?> Out = new("--out", "-o") { Description = "Write the rows to this file (- for standard output, the table then going to standard error) as CSV or JSON." };

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Adds these options, the input argument and the input options to a command.</summary>
    public static void AddTo(Command command)
    {
        command.Arguments.Add(TransactionInput.Input);
        Option[] options = [Period, TimeZone, WeekStart, AsOf, Out, CommandOutput.Format];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        TransactionInput.AddInputOptions(command);
    }

    /// <summary>The calendar --period, --time-zone and --week-start describe.</summary>
    /// <exception cref="UsageException">One of them is not understood, or --week-start is given without weeks.</exception>
    public static PeriodCalendar Calendar(ParseResult parse)
    {
        var text = parse.GetValue(Period)!;
        var calendar = new PeriodCalendar(CliText.ExactName<PeriodUnit>(text) ?? throw new UsageException($"--period '{text}': use day, week, month, quarter or year."));
        if (parse.GetValue(TimeZone) is { } zone)
        {
            try
            {
                calendar = calendar with { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(zone) };
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                throw new UsageException($"--time-zone '{zone}': not a time zone this machine knows; use an IANA name such as Europe/London or UTC.");
            }
        }

        if (parse.GetValue(WeekStart) is { } day)
        {
            if (calendar.Unit != PeriodUnit.Week)
            {
                throw new UsageException($"--week-start applies to weeks only: add --period week, or leave it out.");
            }

            calendar = calendar with { FirstDayOfWeek = CliText.ExactName<DayOfWeek>(day) ?? throw new UsageException($"--week-start '{day}': use a day of the week, e.g. monday or sunday.") };
        }

        return calendar;
    }

    /// <summary>
    /// Reads the input with every order kept, as of --as-of (a time on the calendar's clock) or the midnight after the last
    /// purchase on that clock.
    /// </summary>
    public static (OrderHistory History, ReadInput Read) ReadHistory(ParseResult parse, CliConsole console, PeriodCalendar calendar)
    {
        var calculator = TransactionInput.ChoosePresetCalculator(parse);
        var asOf = TransactionInput.ParseDate(parse.GetValue(AsOf), "--as-of") is { } local ? Instant(local, calendar) : (DateTime?)null;
        var read = TransactionInput.Read(parse, console, calculator, asOf, parse.GetValue(TransactionInput.Input)!, keepOrders: true, purchase => NextMidnight(purchase, calendar));
        return (read.Accumulator.History(read.AsOf), read);
    }

    /// <summary>The table's first line: the input, what is counted, and the analysis date on the calendar's clock.</summary>
    public static string Title(string input, string what, PeriodCalendar calendar, OrderHistory history)
    {
        var unit = calendar.Unit.ToString().ToLowerInvariant();
        var week = calendar.Unit == PeriodUnit.Week ? $" from {calendar.FirstDayOfWeek}" : string.Empty;
        var asOf = calendar.WallClock(history.AsOf);
        var zone = calendar.TimeZone is { } z ? $" {z.Id} (timestamps read as UTC)" : string.Empty;
        return string.Create(Invariant, $"{input}: {what} per {unit}{week}, as of {asOf:yyyy-MM-dd HH:mm}{zone}: {Count(history.Metrics.Customers.Length, "customer")}, {Count(history.Orders, "order")}");
    }

    /// <summary>A period's first day, as every table and file writes it.</summary>
    public static string Day(DateTime date) => date.ToString("yyyy-MM-dd", Invariant);

    /// <summary>A rate as a percentage with one decimal, or - when it is not defined.</summary>
    public static string Percent(double? value) => value is { } rate ? (rate * 100).ToString("0.0", Invariant) + "%" : "-";

    private static string Count(long count, string noun) => string.Create(Invariant, $"{count:N0} {noun}{(count == 1 ? string.Empty : "s")}");

    // An enum member by its name alone, any case: no numbers, no combinations.
    // A wall-clock time in the calendar's zone as the UTC instant the timestamps are compared with.
    private static DateTime Instant(DateTime local, PeriodCalendar calendar)
    {
        if (calendar.TimeZone is not { } zone)
        {
            return local;
        }

        if (zone.IsInvalidTime(local) || zone.IsAmbiguousTime(local))
        {
            throw new UsageException(string.Create(Invariant, $"--as-of {local:yyyy-MM-dd HH:mm:ss} does not name one instant in {zone.Id} (a daylight-saving change): give another time."));
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    // The midnight after a purchase on the calendar's clock, as an instant on the timestamps' clock.
    private static DateTime NextMidnight(DateTime purchase, PeriodCalendar calendar)
    {
        var local = calendar.WallClock(purchase);
        if (local.Date == DateTime.MaxValue.Date)
        {
            throw TransactionInput.NoMidnightAfter(local);
        }

        var midnight = local.Date.AddDays(1);
        if (calendar.TimeZone is not { } zone)
        {
            return midnight;
        }

        // Where a daylight-saving change skips midnight, the day starts at the first time that exists.
        while (zone.IsInvalidTime(midnight))
        {
            midnight = midnight.AddMinutes(15);
        }

        return TimeZoneInfo.ConvertTimeToUtc(midnight, zone);
    }
}
