using System.Globalization;
using Rfm.Analytics;
using Rfm.Segmentation;
using Column = Rfm.Cli.Output.TextTable.Column;

namespace Rfm.Cli.Output;

/// <summary>The human-readable summary: what was read, the segments, and the value range behind each score.</summary>
internal static class SummaryTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write(RfmResult result, string input, string description, TextWriter writer)
    {
        writer.WriteLine($"{input}: {description}, as of {result.AsOf.ToString("yyyy-MM-dd HH:mm", Invariant)}");
        WriteIngestion(result.Ingestion, writer);
        writer.WriteLine();
        var segments = new TextTable(Column.LeftOf(21), new(11), new(8), new(9), new(10), new(12), new(16), Column.LeftOf(0))
            .Add("segment", "customers", "share", "recency", "frequency", "monetary", "revenue", "  suggested action (channel)");
        foreach (var segment in result.Segments)
        {
            segments.Add(
                segment.Segment.Key,
                segment.Customers.ToString("N0", Invariant),
                segment.Share.ToString("P1", Invariant),
                segment.MeanRecency.ToString("N1", Invariant),
                segment.MeanFrequency.ToString("N1", Invariant),
                segment.MeanMonetary.ToString("N2", Invariant),
                segment.TotalMonetary.ToString("N2", Invariant),
                "  " + Playbook(segment.Segment));
        }

        segments.Write(writer);
        writer.WriteLine();
        var scoring = new TextTable(Column.LeftOf(10), Column.LeftOf(14), Column.LeftOf(0));
        foreach (var metric in result.Scoring)
        {
            var bands = string.Join("  ", metric.Bands.Select(b => string.Create(Invariant, $"{b.Score}: {b.Min}..{b.Max} ({b.Customers:N0})")));
            var unused = metric.HasUnusedScores ? $"  ({metric.Bins - metric.DistinctScores} of {metric.Bins} scores unused)" : string.Empty;
            scoring.Add(metric.Metric.ToString().ToLowerInvariant(), metric.Strategy, bands + unused);
        }

        scoring.Write(writer);
    }

    /// <summary>The account of the rows: read, used, and each reason for excluding some, with their money.</summary>
    public static void WriteIngestion(IngestionSummary ingestion, TextWriter writer)
    {
        writer.WriteLine(string.Create(
            Invariant,
            $"rows read {ingestion.RowsRead:N0} ({ingestion.AmountRead:N2}), used {ingestion.RowsUsed:N0} ({ingestion.AmountUsed:N2}), customers {ingestion.Customers:N0}"));
        var exclusions = new TextTable(Column.LeftOf(28), new(12), Column.LeftOf(0), new(18));
        foreach (var exclusion in ingestion.Exclusions.Where(e => e.Rows > 0))
        {
            exclusions.Add(Words(exclusion.Reason), exclusion.Rows.ToString("N0", Invariant), " rows", exclusion.Amount.ToString("N2", Invariant));
        }

        exclusions.Write(writer, "  excluded ");
    }

    /// <summary>The simple lifetime value's figures: margin, churn rate, the average customer's value and the quartiles.</summary>
    public static void WriteClv(SimpleClv clv, TextWriter writer)
    {
        var total = clv.Customers.Sum(customer => customer.Clv);
        writer.WriteLine();
        writer.WriteLine(string.Create(
            Invariant,
            $"simple CLV, margin {clv.Margin:0.###}: churn rate {clv.ChurnRate:P1} ({clv.Customers.Length - clv.RepeatCustomers:N0} one-time customers); the values add up to the average customer's, {total:N2}"));
        var edges = clv.QuartileEdges;
        writer.WriteLine(string.Create(Invariant, $"  quartiles: D {edges[0]:N2}..{edges[1]:N2}  C ..{edges[2]:N2}  B ..{edges[3]:N2}  A ..{edges[4]:N2}"));
    }

    /// <summary>A segment's suggested action, with its channel in brackets when it has one.</summary>
    public static string Playbook(Segment segment) =>
        segment.SuggestedChannel.Length == 0 ? segment.SuggestedAction : $"{segment.SuggestedAction} ({segment.SuggestedChannel.TrimEnd('.')})";

    public static void WriteMap(ISegmentMap map, int bins, TextWriter writer)
    {
        writer.WriteLine($"{map.Name}");
        if (map is RuleSegmentMap rules)
        {
            var table = new TextTable(Column.LeftOf(21), Column.LeftOf(7), Column.LeftOf(7), Column.LeftOf(7)).Add("segment", "R", "F", "M");
            foreach (var rule in rules.Rules)
            {
                table.Add(rule.Segment.Key, Range(rule.Recency), Range(rule.Frequency), Range(rule.Monetary));
            }

            table.Write(writer, "  ");
        }

        // What the rules add up to: the R x F grid when monetary plays no part, and the cells of every segment.
        var coverage = SegmentMaps.Coverage(map, bins);
        var monetaryMatters = Enumerable.Range(1, bins).Any(r => Enumerable.Range(1, bins).Any(f =>
            Enumerable.Range(2, bins - 1).Any(m => map.Assign(new(r, f, m), bins) != map.Assign(new(r, f, 1), bins))));
        if (!monetaryMatters)
        {
            writer.WriteLine();
            var grid = new TextTable([Column.LeftOf(6), .. Enumerable.Repeat(Column.LeftOf(21), bins)]);
            grid.Add(["F \\ R", .. Enumerable.Range(1, bins).Select(r => r.ToString(Invariant))]);
            for (var f = bins; f >= 1; f--)
            {
                grid.Add([f.ToString(Invariant), .. Enumerable.Range(1, bins).Select(r => map.Assign(new(r, f, 1), bins).Key)]);
            }

            grid.Write(writer, "  ");
        }

        writer.WriteLine();
        var cells = new TextTable(Column.LeftOf(21), new(6), Column.LeftOf(0))
            .Add("segment", "cells", $"  of {bins * bins * bins} R/F/M combinations; name, suggested action");
        foreach (var entry in coverage)
        {
            var isFallback = entry.Segment == map.Segments[^1];
            var note = (entry.Cells.IsEmpty, isFallback) switch
            {
                (true, true) => "  (no gaps: every combination has a rule)",
                (true, false) => "  (never assigned: shadowed by earlier rules)",
                (false, true) => "  (the combinations no rule covers)",
                _ => string.Empty,
            };
            cells.Add(entry.Segment.Key, entry.Cells.Length.ToString(Invariant), $"  {entry.Segment.Name}: {Playbook(entry.Segment)}{note}");
        }

        cells.Write(writer, "  ");
    }

    private static string Range(ScoreRange range) => range == ScoreRange.Any ? "any" : range.ToString();

    public static string Words(ExclusionReason reason) => reason switch
    {
        ExclusionReason.EmptyRow => "empty row",
        ExclusionReason.MissingCustomer => "missing customer",
        ExclusionReason.Cancellation => "cancellation",
        ExclusionReason.NonPositiveQuantity => "non-positive quantity",
        ExclusionReason.NonPositivePrice => "non-positive price",
        ExclusionReason.NonPositiveAmount => "non-positive amount",
        ExclusionReason.AfterAsOf => "after the as-of date",
        ExclusionReason.NonPositiveCustomerTotal => "customer total not positive",
        _ => reason.ToString(),
    };
}
