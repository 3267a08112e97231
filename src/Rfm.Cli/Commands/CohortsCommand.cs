using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Rfm.Analytics;
using Rfm.Cli.Output;

namespace Rfm.Cli.Commands;

/// <summary><c>rfm cohorts</c>: acquisition cohorts by period, followed through the periods after.</summary>
internal static class CohortsCommand
{
    private static readonly Option<string> Measure = new("--measure") { Description = "What the table shows per cell: retention (share of the cohort active), active, orders or revenue.", DefaultValueFactory = _ => "retention" };

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly string[] Columns = ["cohort", "periods_since_acquisition", "period_start", "complete", "cohort_size", "active_customers", "retention_share", "orders", "revenue"];

    public static Command Create(CliConsole console)
    {
        var command = new Command("cohorts", "Acquisition cohorts: the customers whose first order fell in each period, followed through every period after it (CSV: tidy rows; JSON: one object per cohort).");
        PeriodOptions.AddTo(command);
        command.Options.Add(Measure);
        command.SetAction(parse => Run(parse, console));
        return command;
    }

    private static int Run(ParseResult parse, CliConsole console)
    {
        var calendar = PeriodOptions.Calendar(parse);
        var measure = parse.GetValue(Measure)!.ToLowerInvariant();
        Func<CohortCell, string> cellText = measure switch
        {
            "retention" => cell => PeriodOptions.Percent(cell.RetentionShare),
            "active" => cell => cell.ActiveCustomers.ToString("N0", Invariant),
            "orders" => cell => cell.Orders.ToString("N0", Invariant),
            "revenue" => cell => cell.Revenue.ToString("N0", Invariant),
            _ => throw new UsageException($"--measure '{measure}': use retention, active, orders or revenue."),
        };

        var (path, format) = CommandOutput.Choose(parse, PeriodOptions.Out);
        var (history, read) = PeriodOptions.ReadHistory(parse, console, calendar);
        var table = history.Cohorts(calendar);

        var writer = path is null
            ? console.Summary
            : CommandOutput.WriteText(parse, path, console, text => WriteRows(table, format, text));

        WriteMatrix(table, history, read.DisplayName, measure, cellText, writer);
        return ExitCodes.Success;
    }

    private static object?[] Values(CohortCell c) =>
        [PeriodOptions.Day(c.Cohort), c.PeriodsSinceAcquisition, PeriodOptions.Day(c.PeriodStart), c.Complete, c.CohortSize, c.ActiveCustomers, c.RetentionShare, c.Orders, c.Revenue];

    private static void WriteRows(CohortTable table, string format, TextWriter writer)
    {
        if (format == "json")
        {
            CommandOutput.Json(writer, stream => WriteJson(table, stream));
            return;
        }

        TidyRows.WriteCsv(writer, Columns, table.Cells.Select(Values));
    }

    // The matrix: one object per cohort with its cells in order of periods since acquisition.
    private static void WriteJson(CohortTable table, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        foreach (var cohort in table.Cohorts)
        {
            json.WriteStartObject();
            json.WriteString("cohort", PeriodOptions.Day(cohort.Start));
            json.WriteNumber("cohort_size", cohort.Size);
            json.WriteStartArray("cells");
            foreach (var cell in cohort.Cells)
            {
                json.WriteStartObject();
                json.WriteNumber("periods_since_acquisition", cell.PeriodsSinceAcquisition);
                json.WriteString("period_start", PeriodOptions.Day(cell.PeriodStart));
                json.WriteBoolean("complete", cell.Complete);
                json.WriteNumber("active_customers", cell.ActiveCustomers);
                json.WriteNumber("retention_share", cell.RetentionShare);
                json.WriteNumber("orders", cell.Orders);
                json.WriteNumber("revenue", cell.Revenue);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteMatrix(CohortTable table, OrderHistory history, string input, string measure, Func<CohortCell, string> cellText, TextWriter writer)
    {
        writer.WriteLine(PeriodOptions.Title(input, "acquisition cohorts", table.Calendar, history));
        writer.WriteLine($"{measure} per cohort and periods since acquisition; * marks a period that ends after the analysis date (partial)");
        writer.WriteLine();
        string Cell(CohortCell cell) => cellText(cell) + (cell.Complete ? string.Empty : "*");
        var width = Math.Max(8, table.Cells.Select(Cell).Select(text => text.Length + 1).DefaultIfEmpty(0).Max());
        var periods = table.Cohorts.IsEmpty ? 0 : table.Cohorts[0].Cells.Length;
        writer.WriteLine($"{"cohort",-12}{"size",8}" + string.Concat(Enumerable.Range(0, periods).Select(k => k.ToString(Invariant).PadLeft(width))));
        foreach (var cohort in table.Cohorts)
        {
            writer.WriteLine(string.Create(Invariant, $"{PeriodOptions.Day(cohort.Start),-12}{cohort.Size,8:N0}") + string.Concat(cohort.Cells.Select(cell => Cell(cell).PadLeft(width))));
        }
    }
}
