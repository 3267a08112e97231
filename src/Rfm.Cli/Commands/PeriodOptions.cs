using System.CommandLine;
using Rfm.Analytics;

namespace Rfm.Cli.Commands;

/// <summary>What the commands that count per period share: the period, its calendar, the analysis date and where rows go.</summary>
internal static class PeriodOptions
{
    public static readonly Option<string> Period = new("--period") { Description = "day, week, month, quarter or year: calendar periods.", DefaultValueFactory = _ => "month" };
    public static readonly Option<string?> TimeZone = new("--time-zone") { Description = "Take timestamps as UTC and cut periods at midnight in this zone (e.g. Europe/London). Default: timestamps are local times already." };
    public static readonly Option<string?> WeekStart = new("--week-start") { Description = "The first day of a week, e.g. sunday. Default: monday (ISO 8601)." };
    public static readonly Option<string?> AsOf = new("--as-of") { Description = "The analysis instant: later rows are excluded, and periods ending by it are complete. Default: midnight after the last purchase used." };
    public static readonly Option<string?> Out = new("--out", "-o") { Description = "Write the rows to this file (- for standard output) as CSV or JSON, and show the table on standard output." };

    /// <summary>Adds these options and the shared input options to a command.</summary>
    public static void AddTo(Command command)
    {
        command.Arguments.Add(TransactionInput.Input);
        Option[] options = [Period, TimeZone, WeekStart, AsOf, Out, CommandOutput.Format];
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        TransactionInput.AddOptions(command);
    }

    /// <summary>The calendar --period, --time-zone and --week-start describe.</summary>
    /// <exception cref="UsageException">One of them is not understood.</exception>
    public static PeriodCalendar Calendar(ParseResult parse)
    {
        var text = parse.GetValue(Period)!;
        if (!Enum.TryParse<PeriodUnit>(text, ignoreCase: true, out var unit) || !Enum.IsDefined(unit) || char.IsDigit(text[0]))
        {
            throw new UsageException($"--period '{text}': use day, week, month, quarter or year.");
        }

        var calendar = new PeriodCalendar(unit);
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
            if (!Enum.TryParse<DayOfWeek>(day, ignoreCase: true, out var first) || !Enum.IsDefined(first) || char.IsDigit(day[0]))
            {
                throw new UsageException($"--week-start '{day}': use a day of the week, e.g. monday or sunday.");
            }

            calendar = calendar with { FirstDayOfWeek = first };
        }

        return calendar;
    }

    /// <summary>Reads the input with every order kept, as of --as-of or midnight after the last purchase.</summary>
    public static (OrderHistory History, ReadInput Read) ReadHistory(ParseResult parse, CliConsole console)
    {
        var (calculator, _) = TransactionInput.ChooseCalculator(parse);
        var asOf = TransactionInput.ParseDate(parse.GetValue(AsOf), "--as-of");
        var read = TransactionInput.Read(parse, console, calculator, asOf, parse.GetValue(TransactionInput.Input)!, keepOrders: true);
        return (read.Accumulator.History(read.AsOf), read);
    }

    /// <summary>
    /// Where the rows go and in which format: to --out; else, with --format, to standard output instead of the table;
    /// else nowhere (null format), and the table alone is shown.
    /// </summary>
    public static (string? Path, string? Format) Output(ParseResult parse)
    {
        if (parse.GetValue(Out) is null && parse.GetValue(CommandOutput.Format) is null)
        {
            return (null, null);
        }

        var (path, format) = CommandOutput.Choose(parse, Out);
        return (path ?? "-", format);
    }

    /// <summary>The calendar in words, for the table's first line.</summary>
    public static string Describe(PeriodCalendar calendar) =>
        $"per {calendar.Unit.ToString().ToLowerInvariant()}"
        + (calendar.Unit == PeriodUnit.Week ? $" (from {calendar.FirstDayOfWeek})" : string.Empty)
        + (calendar.TimeZone is { } zone ? $", UTC timestamps in {zone.Id}" : string.Empty);
}
