using System.Globalization;
using System.Text;
using Rfm.Analytics;
using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Cli.Report;

/// <summary>What a report shows: the scored customers, the monthly KPIs and cohorts, and optionally a migration.</summary>
internal sealed record ReportData(
    string Input,
    string Description,
    RfmResult Result,
    IReadOnlyList<PeriodKpis> Kpis,
    CohortTable Cohorts,
    SegmentMigration? Migration,
    DateTime? MigrationFrom);

/// <summary>
/// One self-contained HTML page: inline CSS and SVG, no script, no font or image fetched, readable from a phone's width
/// up; numbers in the chosen culture.
/// </summary>
internal static class HtmlReport
{
    private const string Style = """
        :root { color-scheme: light; --ink: #0f172a; --muted: #475569; --line: #cbd5e1; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f8fafc; overflow-wrap: break-word; }
        main { max-width: 1180px; margin: 0 auto; padding: 20px 16px 48px; }
        h1 { font-size: 1.6rem; margin: 0 0 4px; } h2 { font-size: 1.2rem; margin: 0 0 6px; }
        p.lead { color: var(--muted); margin: 0 0 18px; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin-bottom: 18px; }
        .card, section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
        .card b { display: block; font-size: 1.35rem; }
        .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
        section { margin-bottom: 16px; min-width: 0; }
        section p { color: var(--muted); margin: 0 0 10px; }
        svg { width: 100%; height: auto; display: block; }
        svg text { font-size: 12px; fill: var(--ink); }
        svg text.on-dark { fill: #fff; } svg text.axis { fill: var(--muted); } svg text.axis-title { font-weight: 600; }
        svg .grid { stroke: var(--line); }
        .table, .chart { overflow-x: auto; }
        .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        .chart.heat svg { max-width: 900px; }
        table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
        th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        td.n, th.n { text-align: right; white-space: nowrap; }
        @media (max-width: 820px) { .grid { grid-template-columns: 1fr; } main { padding: 12px 8px 32px; } }
        """;

    public static string Render(ReportData data, CultureInfo culture)
    {
        var result = data.Result;
        var html = new StringBuilder();
        // The words are English whatever culture the numbers are written in.
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>RFM report: ").Append(Svg.Text(data.Input)).Append("</title><style>").Append(Style).Append("</style></head><body><main>");
        html.Append("<h1>RFM report</h1><p class=\"lead\">").Append(Svg.Text($"{data.Input}, as of {result.AsOf.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}; {data.Description}")).Append("</p>");

        var ingestion = result.Ingestion;
        html.Append("<div class=\"cards\">")
            .Append(Card("Customers", result.Customers.Length.ToString("N0", culture)))
            .Append(Card("Revenue", ingestion.AmountUsed.ToString("N2", culture)))
            .Append(Card("Rows used", $"{ingestion.RowsUsed.ToString("N0", culture)} of {ingestion.RowsRead.ToString("N0", culture)}"))
            .Append(Card("Rows excluded", ingestion.RowsExcluded.ToString("N0", culture)))
            .Append("</div>");

        html.Append(Section("Where the customers are", "Customers per recency and frequency score, their mean monetary value, and the segment most of them are in. Darker cells hold more customers.", RfGrid(result, culture)));
        html.Append("<div class=\"grid\">")
            .Append(Section("Segment sizes", "Share of customers in each segment.", SegmentBars(result, culture, revenue: false)))
            .Append(Section("Revenue by segment", "Share of revenue from each segment.", SegmentBars(result, culture, revenue: true)))
            .Append("</div>");
        html.Append("<div class=\"grid\">");
        foreach (var scoring in result.Scoring)
        {
            html.Append(Section($"{scoring.Metric} scores", $"Customers per {scoring.Metric.ToString().ToLowerInvariant()} score ({scoring.Strategy}), with the range of values behind each.", Distribution(scoring, result.Customers.Length, culture)));
        }

        html.Append("</div>");
        html.Append(Section("Segments and what to do", "Each segment's size, means and revenue, and the suggested action.", SegmentTable(result, culture)));
        html.Append("<div class=\"grid\">")
            .Append(Section("Active customers per month", "Customers with at least one order in the month.", Trend("kpi-active", "Active customers per month", data.Kpis, k => k.ActiveCustomers, k => k.ActiveCustomers.ToString("N0", culture), culture)))
            .Append(Section("Revenue per month", "The money of the orders used, per month.", Trend("kpi-revenue", "Revenue per month", data.Kpis, k => (double)k.Revenue, k => k.Revenue.ToString("N2", culture), culture)))
            .Append("</div>");
        html.Append(Section("Retention by acquisition month", "The share of each month's new customers who ordered again in each later month.", CohortGrid(data.Cohorts, culture)));
        if (data.Migration is { } migration)
        {
            html.Append(Section(
                "Where the customers moved",
                $"Customers by segment on {data.MigrationFrom!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} (rows) and on {result.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} (columns).",
                MigrationGrid(migration, culture)));
        }

        return html.Append("</main></body></html>\n").ToString();
    }

    /// <summary>The R x F grid in the layout of the classic segment grid: recency 1..N left to right, frequency N..1 top to bottom.</summary>
    public static string RfGrid(RfmResult result, CultureInfo culture)
    {
        var bins = result.Recency.Bins;
        var groups = result.Customers.GroupBy(c => (c.Score.R, c.Score.F)).ToDictionary(g => g.Key);
        var most = groups.Count == 0 ? 1 : groups.Values.Max(g => g.Count());
        var cells = new List<HeatCell>();
        for (var r = 1; r <= bins; r++)
        {
            for (var f = bins; f >= 1; f--)
            {
                var row = bins - f;
                if (!groups.TryGetValue((r, f), out var group))
                {
                    cells.Add(new HeatCell(r - 1, row, 0, ["-", "0 customers"], $"R{r} F{f}: no customers"));
                    continue;
                }

                var count = group.Count();
                var mean = group.Sum(c => c.Metrics.Monetary) / count;
                var segment = group.GroupBy(c => c.Segment.Name).OrderByDescending(s => s.Count()).ThenBy(s => s.Key, StringComparer.Ordinal).First().Key;
                cells.Add(new HeatCell(
                    r - 1,
                    row,
                    (double)count / most,
                    [segment, $"{count.ToString("N0", culture)} customers", $"mean {mean.ToString("N0", culture)}"],
                    $"R{r} F{f}: {segment}, {count.ToString("N0", culture)} customers, mean monetary {mean.ToString("N2", culture)}"));
            }
        }

        return Svg.Heatmap(
            "rf-grid",
            "Customers per recency and frequency score",
            $"A {bins} by {bins} grid; each cell gives the segment, the number of customers and their mean monetary value.",
            [.. Enumerable.Range(1, bins).Select(r => $"R {r}")],
            [.. Enumerable.Range(1, bins).Reverse().Select(f => $"F {f}")],
            cells,
            $"Recency score ({bins}: bought most recently)",
            "Frequency score",
            cellWidth: 136);
    }

    public static string SegmentBars(RfmResult result, CultureInfo culture, bool revenue)
    {
        var segments = result.Segments.Where(s => s.Customers > 0).ToList();
        var total = result.Segments.Sum(s => s.TotalMonetary);
        var bars = segments.Select(s =>
        {
            var share = revenue ? (total == 0m ? 0 : (double)(s.TotalMonetary / total)) : s.Share;
            var text = share.ToString("P1", culture);
            var tooltip = revenue
                ? $"{s.Segment.Name}: {s.TotalMonetary.ToString("N2", culture)} ({text})"
                : $"{s.Segment.Name}: {s.Customers.ToString("N0", culture)} customers ({text})";
            return new Bar(s.Segment.Name, share, text, tooltip);
        }).ToList();
        var most = bars.Count == 0 ? 1 : Math.Max(bars.Max(b => b.Fraction), 1e-9);
        bars = [.. bars.Select(b => b with { Fraction = b.Fraction / most })];
        var id = revenue ? "segment-revenue" : "segment-sizes";
        return Svg.Bars(id, revenue ? "Revenue share per segment" : "Customer share per segment", $"{bars.Count} segments, one bar each, the share written beside it.", bars);
    }

    public static string Distribution(MetricScoring scoring, int customers, CultureInfo culture)
    {
        var bands = scoring.Bands.ToDictionary(b => b.Score);
        var bars = Enumerable.Range(1, scoring.Bins).Select(score =>
        {
            var count = bands.TryGetValue(score, out var band) ? band.Customers : 0;
            var range = count == 0 ? "no customers" : $"{band.Min.ToString("N0", culture)} to {band.Max.ToString("N0", culture)}";
            return new Bar($"score {score}", customers == 0 ? 0 : (double)count / customers, $"{count.ToString("N0", culture)} ({range})", $"{scoring.Metric} score {score}: {count.ToString("N0", culture)} customers, {range}");
        }).ToList();
        var most = Math.Max(bars.Max(b => b.Fraction), 1e-9);
        var id = scoring.Metric.ToString().ToLowerInvariant() + "-scores";
        return Svg.Bars(id, $"Customers per {scoring.Metric.ToString().ToLowerInvariant()} score", $"{scoring.Bins} bars, one per score.", [.. bars.Select(b => b with { Fraction = b.Fraction / most })]);
    }

    public static string Trend(string id, string title, IReadOnlyList<PeriodKpis> kpis, Func<PeriodKpis, double> value, Func<PeriodKpis, string> text, CultureInfo culture)
    {
        var most = kpis.Count == 0 ? 1 : Math.Max(kpis.Max(value), 1e-9);
        var points = kpis.Select(k => new Point(
            k.Start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            value(k) / most,
            $"{k.Start.ToString("yyyy-MM", CultureInfo.InvariantCulture)}: {text(k)}{(k.Complete ? string.Empty : " (partial month)")}")).ToList();
        var top = kpis.Count == 0 ? "0" : text(kpis.MaxBy(value)!);
        var svg = Svg.Line(id, title, $"{points.Count} months, one point each; the highest is {top}.", points, $"highest: {top}");

        // The values for screen readers, which read a chart's title and description but not its tooltips.
        var table = new StringBuilder("<table class=\"sr-only\"><caption>").Append(Svg.Text(title)).Append("</caption><tbody>");
        foreach (var k in kpis)
        {
            table.Append("<tr><th>").Append(k.Start.ToString("yyyy-MM", CultureInfo.InvariantCulture)).Append("</th><td>").Append(Svg.Text(text(k))).Append("</td></tr>");
        }

        return svg + table.Append("</tbody></table>");
    }

    public static string CohortGrid(CohortTable table, CultureInfo culture)
    {
        var cohorts = table.Cohorts;
        var periods = cohorts.Length == 0 ? 0 : cohorts.Max(c => c.Cells.Length);
        var cells = new List<HeatCell>();
        for (var row = 0; row < cohorts.Length; row++)
        {
            foreach (var cell in cohorts[row].Cells)
            {
                var share = cell.RetentionShare.ToString("P0", culture);
                cells.Add(new HeatCell(
                    cell.PeriodsSinceAcquisition,
                    row,
                    cell.PeriodsSinceAcquisition == 0 ? 0.15 : cell.RetentionShare,
                    [share],
                    $"{cohorts[row].Start.ToString("yyyy-MM", CultureInfo.InvariantCulture)} cohort ({cell.CohortSize.ToString("N0", culture)} customers), month {cell.PeriodsSinceAcquisition}: {cell.ActiveCustomers.ToString("N0", culture)} active ({share})"));
            }
        }

        return Svg.Heatmap(
            "cohorts",
            "Retention by acquisition month",
            $"{cohorts.Length} cohorts by {periods} months since acquisition; each cell gives the share of the cohort active that month.",
            [.. Enumerable.Range(0, periods).Select(p => p.ToString(culture))],
            [.. cohorts.Select(c => c.Start.ToString("yyyy-MM", CultureInfo.InvariantCulture))],
            cells,
            "Months since acquisition",
            "Cohort",
            cellWidth: 56);
    }

    public static string MigrationGrid(SegmentMigration migration, CultureInfo culture)
    {
        var from = migration.Segments.Select(s => (Segment?)s).Append(null).ToList();
        var to = migration.Segments.Select(s => (Segment?)s).Append(null).ToList();
        var most = Math.Max(1, migration.Cells.Max(c => c.Customers));
        var cells = migration.Cells.Select(c =>
        {
            var fromName = c.From?.Name ?? "new";
            var toName = c.To?.Name ?? "gone";
            return new HeatCell(
                to.IndexOf(c.To),
                from.IndexOf(c.From),
                (double)c.Customers / most,
                [c.Customers.ToString("N0", culture), c.ShareOfFrom.ToString("P0", culture)],
                $"{fromName} to {toName}: {c.Customers.ToString("N0", culture)} customers ({c.ShareOfFrom.ToString("P1", culture)} of {fromName})");
        }).ToList();
        return Svg.Heatmap(
            "migration",
            "Segment migration",
            $"{from.Count} rows (segments before, and new customers) by {to.Count} columns (segments after, and customers gone); each cell gives the customers who moved and their share of the row.",
            [.. to.Select(s => s?.Name ?? "gone")],
            [.. from.Select(s => s?.Name ?? "new")],
            cells,
            "Segment after",
            "Segment before",
            cellWidth: 128);
    }

    private static string SegmentTable(RfmResult result, CultureInfo culture)
    {
        var table = new StringBuilder("<div class=\"table\"><table><thead><tr><th>Segment</th><th class=\"n\">Customers</th><th class=\"n\">Share</th><th class=\"n\">Recency</th><th class=\"n\">Frequency</th><th class=\"n\">Monetary</th><th class=\"n\">Revenue</th><th>Suggested action</th></tr></thead><tbody>");
        foreach (var s in result.Segments.Where(s => s.Customers > 0))
        {
            table.Append("<tr><td>").Append(Svg.Text(s.Segment.Name))
                .Append("</td><td class=\"n\">").Append(s.Customers.ToString("N0", culture))
                .Append("</td><td class=\"n\">").Append(s.Share.ToString("P1", culture))
                .Append("</td><td class=\"n\">").Append(s.MeanRecency.ToString("N1", culture))
                .Append("</td><td class=\"n\">").Append(s.MeanFrequency.ToString("N1", culture))
                .Append("</td><td class=\"n\">").Append(s.MeanMonetary.ToString("N2", culture))
                .Append("</td><td class=\"n\">").Append(s.TotalMonetary.ToString("N2", culture))
                .Append("</td><td>").Append(Svg.Text(Output.SummaryTable.Playbook(s.Segment))).Append("</td></tr>");
        }

        return table.Append("</tbody></table></div>").ToString();
    }

    private static string Card(string label, string value) => $"<div class=\"card\">{Svg.Text(label)}<b>{Svg.Text(value)}</b></div>";

    // A chart scrolls sideways within its box on a narrow screen; a heatmap stops growing on a wide one.
    private static string Section(string title, string text, string body)
    {
        var content = !body.StartsWith("<svg", StringComparison.Ordinal) ? body
            : body.Contains("class=\"cell\"", StringComparison.Ordinal) ? "<div class=\"chart heat\">" + body + "</div>"
            : "<div class=\"chart\">" + body + "</div>";
        return $"<section><h2>{Svg.Text(title)}</h2><p>{Svg.Text(text)}</p>{content}</section>";
    }
}
