using System.CommandLine;
using System.Globalization;
using System.Collections.Immutable;
using Rfm.Analytics;
using Rfm.Cli.Output;

namespace Rfm.Cli.Commands;

/// <summary><c>rfm kpi</c>: CRM KPIs per calendar period.</summary>
internal static class KpiCommand
{
    private static readonly Option<string?> Leads = new("--leads") { Description = "A CSV file of prospects or leads per period (columns period,leads; period = the period's first day, yyyy-MM-dd) for the conversion rate." };

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static Command Create(CliConsole console)
    {
        var command = new Command("kpi", "CRM KPIs per calendar period: active, new, retained and churned customers, retention, churn, acquisition, repeat-purchase and growth rates, orders, revenue, average order value.");
        PeriodOptions.AddTo(command);
        command.Options.Add(Leads);
        command.SetAction(parse => Run(parse, console));
        return command;
    }

    private static int Run(ParseResult parse, CliConsole console)
    {
        var calendar = PeriodOptions.Calendar(parse);
        var (path, format) = PeriodOptions.Output(parse);
        var leads = parse.GetValue(Leads) is { } leadsPath ? ReadLeads(leadsPath) : null;
        var (history, read) = PeriodOptions.ReadHistory(parse, console);
        ImmutableArray<PeriodKpis> kpis;
        try
        {
            kpis = history.Kpis(calendar, leads);
        }
        catch (ArgumentException ex) when (ex.ParamName == "leads")
        {
            throw new UsageException($"--leads: {Errors.Plain(ex)}");
        }

        var table = format is null
            ? console.Out
            : CommandOutput.WriteText(path, [read.FullPath, parse.GetValue(Leads)], console, writer => WriteRows(kpis, format, writer));

        WriteTable(kpis, history, read.DisplayName, calendar, leads is not null, table);
        return ExitCodes.Success;
    }

    private static readonly string[] Columns =
    [
        "period_start", "period_end", "complete", "active_customers", "new_customers", "returning_customers", "customers_at_start",
        "retained_customers", "reactivated_customers", "churned_customers", "retention_rate", "churn_rate", "acquisition_rate",
        "repeat_purchase_rate", "orders", "revenue", "average_order_value", "purchase_frequency", "revenue_growth_rate",
        "customer_growth_rate", "leads", "conversion_rate",
    ];

    // The values in the order of Columns; null is an empty field (CSV) or null (JSON).
    private static object?[] Values(PeriodKpis k) =>
    [
        Day(k.Start), Day(k.End), k.Complete, k.ActiveCustomers, k.NewCustomers, k.ReturningCustomers, k.CustomersAtStart,
        k.RetainedCustomers, k.ReactivatedCustomers, k.ChurnedCustomers, k.RetentionRate, k.ChurnRate, k.AcquisitionRate,
        k.RepeatPurchaseRate, k.Orders, k.Revenue, k.AverageOrderValue, k.PurchaseFrequency, k.RevenueGrowthRate,
        k.CustomerGrowthRate, k.Leads, k.ConversionRate,
    ];

    private static void WriteRows(ImmutableArray<PeriodKpis> kpis, string format, TextWriter writer)
    {
        if (format == "json")
        {
            CommandOutput.Json(writer, stream => TidyRows.WriteJson(stream, Columns, kpis.Select(Values)));
            return;
        }

        TidyRows.WriteCsv(writer, Columns, kpis.Select(Values));
    }

    private static void WriteTable(ImmutableArray<PeriodKpis> kpis, OrderHistory history, string input, PeriodCalendar calendar, bool withLeads, TextWriter writer)
    {
        writer.WriteLine(string.Create(
            Invariant,
            $"{input}: KPIs {PeriodOptions.Describe(calendar)}, as of {history.AsOf:yyyy-MM-dd HH:mm}: {history.Metrics.Customers.Length:N0} customers, {history.Orders:N0} orders"));
        writer.WriteLine();
        var conversion = withLeads ? $"{"leads",9}{"conv.",8}" : string.Empty;
        writer.WriteLine($"{"period",-12}{"active",8}{"new",7}{"retained",9}{"react.",7}{"churned",8}{"retention",10}{"churn",7}{"acquis.",8}{"repeat",7}{"orders",8}{"revenue",15}{"AOV",10}{"freq.",6}{"rev. growth",12}{"cust. growth",13}{conversion}");
        foreach (var k in kpis)
        {
            var leads = withLeads ? string.Create(Invariant, $"{Count(k.Leads),9}{Percent(k.ConversionRate),8}") : string.Empty;
            writer.WriteLine(string.Create(
                Invariant,
                $"{Day(k.Start) + (k.Complete ? string.Empty : "*"),-12}{k.ActiveCustomers,8:N0}{k.NewCustomers,7:N0}{Count(k.RetainedCustomers),9}{Count(k.ReactivatedCustomers),7}{Count(k.ChurnedCustomers),8}{Percent(k.RetentionRate),10}{Percent(k.ChurnRate),7}{Percent(k.AcquisitionRate),8}{Percent(k.RepeatPurchaseRate),7}{k.Orders,8:N0}{k.Revenue,15:N2}{Money(k.AverageOrderValue),10}{Number(k.PurchaseFrequency),6}{Percent(k.RevenueGrowthRate),12}{Percent(k.CustomerGrowthRate),13}{leads}"));
        }

        if (kpis.Any(k => !k.Complete))
        {
            writer.WriteLine();
            writer.WriteLine("* the period ends after the analysis date: partial.");
        }
    }

    private static Dictionary<DateTime, long> ReadLeads(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"--leads {path}: {ex.Message}", ex);
        }

        if (lines.Length == 0 || lines[0].Trim().TrimStart('\uFEFF') is not "period,leads")
        {
            throw new InputException($"{path}: line 1: expected the header period,leads.");
        }

        var leads = new Dictionary<DateTime, long>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var fields = lines[i].Split(',');
            if (fields.Length != 2
                || !DateTime.TryParseExact(fields[0].Trim(), "yyyy-MM-dd", Invariant, DateTimeStyles.None, out var start)
                || !long.TryParse(fields[1].Trim(), NumberStyles.None, Invariant, out var count))
            {
                throw new InputException($"{path}: line {i + 1}: expected a date (yyyy-MM-dd) and a whole number of leads, got '{lines[i]}'.");
            }

            if (!leads.TryAdd(start, count))
            {
                throw new InputException($"{path}: line {i + 1}: period {fields[0].Trim()} is given twice.");
            }
        }

        return leads;
    }

    private static string Day(DateTime date) => date.ToString("yyyy-MM-dd", Invariant);

    private static string Count(long? value) => value?.ToString("N0", Invariant) ?? "-";

    private static string Percent(double? value) => value?.ToString("P1", Invariant).Replace(" ", string.Empty, StringComparison.Ordinal) ?? "-";

    private static string Number(double? value) => value?.ToString("N2", Invariant) ?? "-";

    private static string Money(decimal? value) => value?.ToString("N2", Invariant) ?? "-";
}
