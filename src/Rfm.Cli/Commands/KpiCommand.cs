using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using Rfm.Analytics;
using Rfm.Cli.Input;
using Rfm.Cli.Output;
using Column = Rfm.Cli.Output.TextTable.Column;

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
            throw new InputException($"{leadsPath}: {ErrorMessages.Plain(ex)}", ex);
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
        Column[] columns =
        [
            Column.LeftOf(12), new(8), new(7), new(9), new(7), new(8), new(10), new(7), new(8), new(7), new(8), new(15), new(10), new(6), new(12), new(13),
            .. withLeads ? [new(9), new Column(8)] : Array.Empty<Column>(),
        ];
        var table = new TextTable(columns).Add(
        [
            "period", "active", "new", "retained", "react.", "churned", "retention", "churn", "acquis.", "repeat", "orders", "revenue", "AOV", "freq.", "rev. growth", "cust. growth",
            .. withLeads ? ["leads", "conv."] : Array.Empty<string>(),
        ]);
        foreach (var k in kpis)
        {
            table.Add(
            [
                PeriodOptions.Day(k.Start) + (k.Complete ? string.Empty : "*"), k.ActiveCustomers.ToString("N0", Invariant), k.NewCustomers.ToString("N0", Invariant),
                Count(k.RetainedCustomers), Count(k.ReactivatedCustomers), Count(k.ChurnedCustomers), PeriodOptions.Percent(k.RetentionRate), PeriodOptions.Percent(k.ChurnRate),
                PeriodOptions.Percent(k.AcquisitionRate), PeriodOptions.Percent(k.RepeatPurchaseRate), k.Orders.ToString("N0", Invariant), k.Revenue.ToString("N2", Invariant),
                Money(k.AverageOrderValue), Number(k.PurchaseFrequency), PeriodOptions.Percent(k.RevenueGrowthRate), PeriodOptions.Percent(k.CustomerGrowthRate),
                .. withLeads ? [Count(k.Leads), PeriodOptions.Percent(k.ConversionRate)] : Array.Empty<string>(),
            ]);
        }

        table.Write(writer);

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
