using System.Globalization;
using Rfm.Analytics;
using Rfm.Segmentation;

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
        writer.WriteLine($"{"segment",-21}{"customers",11}{"share",8}{"recency",9}{"frequency",10}{"monetary",12}{"revenue",16}  suggested action (channel)");
        foreach (var segment in result.Segments)
        {
            writer.WriteLine(string.Create(
                Invariant,
                $"{segment.Segment.Key,-21}{segment.Customers,11:N0}{segment.Share,8:P1}{segment.MeanRecency,9:N1}{segment.MeanFrequency,10:N1}{segment.MeanMonetary,12:N2}{segment.TotalMonetary,16:N2}  {Playbook(segment.Segment)}"));
        }

        writer.WriteLine();
        foreach (var metric in result.Scoring)
        {
            var bands = string.Join("  ", metric.Bands.Select(b => string.Create(Invariant, $"{b.Score}: {b.Min}..{b.Max} ({b.Customers:N0})")));
            var unused = metric.HasUnusedScores ? $"  ({metric.Bins - metric.DistinctScores} of {metric.Bins} scores unused)" : string.Empty;
            writer.WriteLine($"{metric.Metric.ToString().ToLowerInvariant(),-10}{metric.Strategy,-14}{bands}{unused}");
        }
    }

    /// <summary>The account of the rows: read, used, and each reason for excluding some, with their money.</summary>
    public static void WriteIngestion(IngestionSummary ingestion, TextWriter writer)
    {
        writer.WriteLine(string.Create(
            Invariant,
            $"rows read {ingestion.RowsRead:N0} ({ingestion.AmountRead:N2}), used {ingestion.RowsUsed:N0} ({ingestion.AmountUsed:N2}), customers {ingestion.Customers:N0}"));
        foreach (var exclusion in ingestion.Exclusions.Where(e => e.Rows > 0))
        {
            writer.WriteLine(string.Create(Invariant, $"  excluded {Words(exclusion.Reason),-28}{exclusion.Rows,12:N0} rows {exclusion.Amount,18:N2}"));
        }
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
            writer.WriteLine($"  {"segment",-21}{"R",-7}{"F",-7}{"M",-7}");
            foreach (var rule in rules.Rules)
            {
                writer.WriteLine($"  {rule.Segment.Key,-21}{Range(rule.Recency),-7}{Range(rule.Frequency),-7}{Range(rule.Monetary),-7}");
            }
        }

        // What the rules add up to: the R x F grid when monetary plays no part, and the cells of every segment.
        var coverage = SegmentMaps.Coverage(map, bins);
        var monetaryMatters = Enumerable.Range(1, bins).Any(r => Enumerable.Range(1, bins).Any(f =>
            Enumerable.Range(2, bins - 1).Any(m => map.Assign(new(r, f, m)) != map.Assign(new(r, f, 1)))));
        if (!monetaryMatters)
        {
            writer.WriteLine();
            writer.WriteLine($"  {"F \\ R",-6}" + string.Concat(Enumerable.Range(1, bins).Select(r => $"{r,-21}")));
            for (var f = bins; f >= 1; f--)
            {
                writer.WriteLine($"  {f,-6}" + string.Concat(Enumerable.Range(1, bins).Select(r => $"{map.Assign(new(r, f, 1)).Key,-21}")));
            }
        }

        writer.WriteLine();
        writer.WriteLine($"  {"segment",-21}{"cells",6}  of {bins * bins * bins} R/F/M combinations; name, suggested action");
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
            writer.WriteLine($"  {entry.Segment.Key,-21}{entry.Cells.Length,6}  {entry.Segment.Name}: {Playbook(entry.Segment)}{note}");
        }
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
