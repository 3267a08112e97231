using System.CommandLine;
using System.Globalization;
using Rfm.Analytics;
using Rfm.Cli.Report;
using Rfm.Segmentation;

namespace Rfm.Cli.Commands;

/// <summary><c>rfm report</c>: one self-contained HTML page with the grid, segments, scores, KPIs, cohorts and migration.</summary>
internal static class ReportCommand
{
    private static readonly Option<string> Out = new("--out", "-o") { Description = "The HTML file to write (- for standard output).", Required = true };
    private static readonly Option<string?> AsOf = new("--as-of") { Description = "The analysis instant, as for analyze. Default: midnight after the last purchase used." };
    private static readonly Option<string?> CompareTo = new("--compare-to") { Description = "An earlier date: adds the segment migration matrix from that date to the analysis date." };
    private static readonly Option<string?> Culture = new("--culture") { Description = "How numbers and dates are written, e.g. de-DE or en-US. Default: invariant." };

    public static Command Create(CliConsole console)
    {
        var command = new Command("report", "Write one self-contained HTML report: the R x F grid, segment sizes and revenue, score distributions, the segment table with actions, monthly KPIs, cohort retention and, with --compare-to, segment migration.")
        {
            TransactionInput.Input, Out, AsOf, CompareTo, Culture,
        };
        TransactionInput.AddOptions(command);
        command.SetAction(parse => Run(parse, console));
        return command;
    }

    private static int Run(ParseResult parse, CliConsole console)
    {
        var culture = ParseCulture(parse.GetValue(Culture));
        var (calculator, presetName) = TransactionInput.ChooseCalculator(parse);
        var asOf = TransactionInput.ParseDate(parse.GetValue(AsOf), "--as-of");
        var compareTo = TransactionInput.ParseDate(parse.GetValue(CompareTo), "--compare-to");
        if (compareTo is not null && parse.GetValue(TransactionInput.Input) == "-")
        {
            throw new UsageException("--compare-to reads the input twice, which standard input cannot be; give a file.");
        }

        var read = TransactionInput.Read(parse, console, calculator, asOf, parse.GetValue(TransactionInput.Input)!, keepOrders: true);
        if (compareTo is { } earlier && earlier >= read.AsOf)
        {
            throw new UsageException($"--compare-to {earlier:yyyy-MM-dd}: give a date before the analysis date {read.AsOf:yyyy-MM-dd HH:mm}.");
        }

        var result = calculator.Score(read.Accumulator.Snapshot(read.AsOf));
        var history = read.Accumulator.History(read.AsOf);
        var months = new PeriodCalendar(PeriodUnit.Month);
        var migration = compareTo is { } from
            ? SegmentMigration.Between(TransactionInput.ReadAndScore(parse, console, calculator, from, parse.GetValue(TransactionInput.Input)!).Result, result, calculator.SegmentMap)
            : null;
        var data = new ReportData(
            read.DisplayName,
            $"preset '{presetName}', segments '{calculator.SegmentMap.Name}', {result.Recency.Bins} scores",
            result,
            history.Kpis(months),
            history.Cohorts(months),
            migration,
            compareTo);

        var html = HtmlReport.Render(data, culture);
        var path = parse.GetValue(Out)!;
        var summary = CommandOutput.WriteText(parse, path, console, writer => writer.Write(html));
        if (path != "-")
        {
            summary.WriteLine($"Wrote {path}: {result.Customers.Length.ToString("N0", CultureInfo.InvariantCulture)} customers, {data.Kpis.Count} months{(migration is null ? string.Empty : ", segment migration")}.");
        }

        return ExitCodes.Success;
    }

    private static CultureInfo ParseCulture(string? name)
    {
        if (name is null)
        {
            return CultureInfo.InvariantCulture;
        }

        try
        {
            return CultureInfo.GetCultureInfo(name, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            throw new UsageException($"--culture '{name}': not a culture this system knows; use a name such as en-US or de-DE.");
        }
    }
}
