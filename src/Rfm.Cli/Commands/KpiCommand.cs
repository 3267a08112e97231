using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using Rfm.Analytics;
using Rfm.Cli.Input;
using Rfm.Cli.Output;

namespace Rfm.Cli.Commands;

/// <summary><c>rfm kpi</c>: CRM KPIs per calendar period.</summary>
internal static class KpiCommand
{
    private static readonly Option<string?> Leads = new("--leads") { Description = "A CSV file of prospects or leads per period (columns period,leads; period = the period's first day, yyyy-MM-dd) for the conversion rate." };

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly string[] Columns =
    [
        "period_start", "period_end", "complete", "active_customers", "new_customers", "returning_customers", "customers_at_start",
        "retained_customers", "reactivated_customers", "churned_customers", "retention_rate", "churn_rate", "acquisition_rate",
        "repeat_purchase_rate", "orders", "revenue", "average_order_value", "purchase_frequency", "revenue_growth_rate",
        "customer_growth_rate", "leads", "conversion_rate",
    ];

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
        var (path, format) = CommandOutput.Choose(parse, PeriodOptions.Out);
        var leadsPath = parse.GetValue(Leads);
        var leads = leadsPath is null ? null : ReadLeads(leadsPath);
        var (history, read) = PeriodOptions.ReadHistory(parse, console, calendar);
        ImmutableArray<PeriodKpis> kpis;
        try
        {
            kpis = history.Kpis(calendar, leads);
        }
        catch (ArgumentException ex) when (ex.ParamName == "leads")
        {
            throw new InputException($"{leadsPath}: {Errors.Plain(ex)}", ex);
        }

        var table = path is null
            ? console.Summary
            : CommandOutput.WriteText(parse, path, console, writer => WriteRows(kpis, format, writer));

        WriteTable(kpis, history, read.DisplayName, calendar, leads is not null, table);
        return ExitCodes.Success;
    }

    // The values in the order of Columns; null is an empty field (CSV) or null (JSON).
    private static object?[] Values(PeriodKpis k) =>
    [
        PeriodOptions.Day(k.Start), PeriodOptions.Day(k.End), k.Complete, k.ActiveCustomers, k.NewCustomers, k.ReturningCustomers, k.CustomersAtStart,
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
        writer.WriteLine(PeriodOptions.Title(input, "KPIs", calendar, history));
        writer.WriteLine();
        var conversion = withLeads ? $"{"leads",9}{"conv.",8}" : string.Empty;
        writer.WriteLine($"{"period",-12}{"active",8}{"new",7}{"retained",9}{"react.",7}{"churned",8}{"retention",10}{"churn",7}{"acquis.",8}{"repeat",7}{"orders",8}{"revenue",15}{"AOV",10}{"freq.",6}{"rev. growth",12}{"cust. growth",13}{conversion}");
        foreach (var k in kpis)
        {
            var leads = withLeads ? string.Create(Invariant, $"{Count(k.Leads),9}{PeriodOptions.Percent(k.ConversionRate),8}") : string.Empty;
            writer.WriteLine(string.Create(
                Invariant,
                $"{PeriodOptions.Day(k.Start) + (k.Complete ? string.Empty : "*"),-12}{k.ActiveCustomers,8:N0}{k.NewCustomers,7:N0}{Count(k.RetainedCustomers),9}{Count(k.ReactivatedCustomers),7}{Count(k.ChurnedCustomers),8}{PeriodOptions.Percent(k.RetentionRate),10}{PeriodOptions.Percent(k.ChurnRate),7}{PeriodOptions.Percent(k.AcquisitionRate),8}{PeriodOptions.Percent(k.RepeatPurchaseRate),7}{k.Orders,8:N0}{k.Revenue,15:N2}{Money(k.AverageOrderValue),10}{Number(k.PurchaseFrequency),6}{PeriodOptions.Percent(k.RevenueGrowthRate),12}{PeriodOptions.Percent(k.CustomerGrowthRate),13}{leads}"));
        }

        if (kpis.Any(k => !k.Complete))
        {
            writer.WriteLine();
            writer.WriteLine("* the period ends after the analysis date: partial.");
        }
    }

    // period,leads: one row per period, read as any CSV input is (encoding, quoting, line ends), named columns any case.
    private static Dictionary<DateTime, long> ReadLeads(string path)
    {
        InputFile.MustExist(path);
        using var input = InputFile.Open(path, sheet: null, delimiter: null, InputFile.EncodingNamed(null), Stream.Null);
        var reader = input.Reader;
        var header = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        int Column(string name) =>
            header.FindIndex(column => string.Equals(column.Trim(), name, StringComparison.OrdinalIgnoreCase)) is var index and >= 0
                ? index
                : throw new InputException($"{input.DisplayName}: {input.Locate(0)}: no column '{name}' in the header ({string.Join(",", header)}); a leads file has the header period,leads.");
        var (periodColumn, leadsColumn) = (Column("period"), Column("leads"));

        var leads = new Dictionary<DateTime, long>();
        long row = 0;
        try
        {
            while (reader.Read())
            {
                row++;
                var (period, count) = (Field(reader, periodColumn), Field(reader, leadsColumn));
                if (period.Length == 0 && count.Length == 0)
                {
                    continue;
                }

                if (!DateTime.TryParseExact(period, "yyyy-MM-dd", Invariant, DateTimeStyles.None, out var start))
                {
                    throw new InputException($"{input.DisplayName}: {input.Locate(row)}, column 'period': expected a period's first day such as 2011-01-01 (value '{period}').");
                }

                if (!long.TryParse(count, NumberStyles.None, Invariant, out var number))
                {
                    throw new InputException($"{input.DisplayName}: {input.Locate(row)}, column 'leads': expected a whole number of leads, 0 or more (value '{count}').");
                }

                if (!leads.TryAdd(start, number))
                {
                    throw new InputException($"{input.DisplayName}: {input.Locate(row)}, column 'period': {period} is given twice.");
                }
            }
        }
        catch (Exception ex) when (input.IsReadFailure(ex))
        {
            throw new InputException($"{input.DisplayName}: {input.Locate(row + 1)}: {InputFile.Describe(ex)}.", ex);
        }

        return leads;
    }

    private static string Field(System.Data.IDataRecord record, int column) =>
        (Convert.ToString(record.GetValue(column), Invariant) ?? string.Empty).Trim();

    private static string Count(long? value) => value?.ToString("N0", Invariant) ?? "-";

    private static string Number(double? value) => value?.ToString("N2", Invariant) ?? "-";

    private static string Money(decimal? value) => value?.ToString("N2", Invariant) ?? "-";
}
