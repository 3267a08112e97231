using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Rfm.Scoring;
using Rfm.Segmentation;
using Rfm.Sql.Tests.Engines;

namespace Rfm.Sql.Tests;

/// <summary>
/// Rows, an analysis date and a pipeline: what a differential test runs in memory and in each engine; the date column's
/// type, and the session's time zone and (on PostgreSQL) DateStyle, which must not change the result.
/// </summary>
public sealed record SqlCase(TestRow[] Rows, DateTime AsOf, CalculatorCase Pipeline, bool AmountColumn, SqlDateType DateType, string Zone, string DateStyle)
{
    public override string ToString() =>
        $"{Pipeline}; as of {AsOf:O}; {(AmountColumn ? "amount column" : "quantity and price columns")}; date column {DateType}; zone {Zone}, DateStyle {DateStyle}; {Rows.Length} rows:\n"
        + string.Join("\n", Rows.Select(r => $"  [{r.Customer}] [{r.Order}] {r.Timestamp:O} \"{SqlStatement.Escape(r.DateText ?? string.Empty)}\" {r.Quantity} x {r.UnitPrice}"));
}

/// <summary>A calculator with a readable description of how it was built.</summary>
public sealed record CalculatorCase(RfmCalculator Calculator, string Description)
{
    public override string ToString() => Description;
}

/// <summary>
/// Random transaction tables for the differential tests: keys from small pools (blank, quoted, accented, numeric
/// look-alikes such as 7 and 007), cancellations, non-positive quantities and prices, empty rows, timestamps to the
/// microsecond, and every built-in policy, strategy and kind of segment map.
/// </summary>
public static class SqlGenerators
{
    private static readonly DateTime Start = new(2010, 12, 1);

    private static readonly string?[] Customers =
        ["a", "b", "c", "d", "e", "f", "g", "h", "7", "007", "é", "Zoë", "O'Brien", "x; y", "Ω", "a\"b", " ", "", "\t", "\u00A0", null];

    private static readonly string?[] Orders =
        ["1", "2", "3", "4", "10", "11", "C1", "C2", "1C", "c3", "X'9", " ", "", null];

    private static readonly Gen<decimal> Quantities = Gen.Frequency(
        (8, Gen.Choose(1, 12).Select(q => (decimal)q)),
        (1, Gen.Choose(-3, 0).Select(q => (decimal)q)),
        (1, Gen.Choose(1, 4000).Select(q => q / 1000m)));

    private static readonly Gen<decimal> Prices = Gen.Frequency(
        (8, Gen.Choose(1, 50_000).Select(p => p / 100m)),
        (1, Gen.Choose(1, 99_999).Select(p => p / 10_000m)),
        (1, Gen.Choose(-500, 0).Select(p => p / 100m)));

    // Minutes over 14 months, sometimes with seconds and microseconds.
    private static readonly Gen<DateTime> Timestamps =
        from minutes in Gen.Choose(0, 14 * 31 * 24 * 60)
        from micros in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(0, 59_999_999)))
        select Start.AddMinutes(minutes).AddTicks(micros * TimeSpan.TicksPerMicrosecond);

    private static readonly string[] Spaces = [" ", "\t", "\u00A0", "\u3000", "\u2028", "\r\n"];

    // The text a text column holds for a date: the same instant written in any ISO form the row contract reads (T or
    // space, trailing zeros, Z, an offset with the local time it implies, white space around), or, rarely, a hostile text.
    private static Gen<string?> TextOf(DateTime timestamp) => Gen.Frequency(
        (400, from separator in Gen.Elements(" ", "T")
              from zeros in Gen.Elements(string.Empty, "000")
              from zone in Gen.Frequency((3, Gen.Constant<int?>(null)), (1, Gen.Constant<int?>(0)), (2, Gen.Choose(-(23 * 60) - 59, (23 * 60) + 59).Select(m => (int?)m)))
              from before in Gen.Frequency((4, Gen.Constant(string.Empty)), (1, Gen.Elements(Spaces)))
              from after in Gen.Frequency((4, Gen.Constant(string.Empty)), (1, Gen.Elements(Spaces)))
              let local = timestamp.AddMinutes(zone ?? 0)
              let micros = local.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond
              let fraction = micros == 0 && zeros.Length == 0 ? string.Empty : "." + micros.ToString("000000", CultureInfo.InvariantCulture) + zeros
              let offset = zone switch
              {
                  null => string.Empty,
                  0 => "Z",
                  var m => (m < 0 ? "-" : "+") + (Math.Abs(m.Value) / 60).ToString("00", CultureInfo.InvariantCulture) + ":" + (Math.Abs(m.Value) % 60).ToString("00", CultureInfo.InvariantCulture),
              }
              let body = local.TimeOfDay == TimeSpan.Zero && zone is null && separator == " "
                  ? local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                  : local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + separator + local.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + fraction + offset
              select (string?)(before + body + after)),
        (1, Gen.Elements(TextDateTests.HostileTexts.Where(t => !t.Contains('\0', StringComparison.Ordinal)).ToArray()).Select(t => (string?)t)));

    private static readonly Gen<TestRow> Rows = Gen.Frequency(
        (40, from customer in Gen.Elements(Customers)
             from order in Gen.Elements(Orders)
             from timestamp in Timestamps
             from text in TextOf(timestamp)
             from quantity in Quantities
             from price in Prices
             select new TestRow(customer, order, timestamp, quantity, price, text)),
        (1, Gen.Constant(new TestRow(null, null, null, null, null))));

    private static readonly Gen<DateTime> AsOfDates = Gen.Frequency(
        (3, Gen.Choose(30, 440).Select(days => Start.AddDays(days))),
        (1, Timestamps));

    public static Gen<CalculatorCase> Pipelines { get; } =
        from policy in Gen.Elements(
            (TransactionPolicy.Default, "default policy"),
            (TransactionPolicy.Tutorial, "tutorial policy"),
            (TransactionPolicy.Default with { DropNonPositiveCustomers = true }, "default policy dropping non-positive customers"),
            (TransactionPolicy.Default with { Cancellations = CancellationRule.None, ExcludeNonPositive = false }, "nothing excluded"),
            (TransactionPolicy.Default with { Cancellations = CancellationRule.OrderIdContains("1") }, "orders containing 1 cancelled"))
        from bins in Gen.Frequency((3, Gen.Constant(5)), (2, Gen.Choose(ScoringStrategies.MinBins, ScoringStrategies.MaxBins)))
        from strategies in Gen.ArrayOf(Strategy(bins), 3)
        from map in Maps(bins)
        select new CalculatorCase(
            new RfmCalculator(policy.Item1, new RfmScoring(strategies[0].Strategy, strategies[1].Strategy, strategies[2].Strategy, bins), map),
            $"{policy.Item2}; {bins} scores: R {strategies[0].Name}, F {strategies[1].Name}, M {strategies[2].Name}; map {map.Name}");

    public static Arbitrary<SqlCase> SqlCases() =>
        Arb.From(
            from rows in Gen.Sized(size => Gen.Choose(0, Math.Max(1, size * 3)).SelectMany(n => Gen.ArrayOf(Rows, n)))
            from asOf in AsOfDates
            from pipeline in Pipelines
            from amountColumn in Gen.Elements(false, true)
            from dateType in Gen.Elements(SqlDateType.Timestamp, SqlDateType.TimestampWithTimeZone, SqlDateType.Text)
            from zone in Gen.Elements("UTC", "America/New_York", "Asia/Kathmandu")
            from dateStyle in Gen.Elements("ISO, MDY", "SQL, DMY", "German, DMY")
            select new SqlCase(rows, asOf, pipeline, amountColumn, dateType, zone, dateStyle),
            c => Enumerable.Range(0, c.Rows.Length).Select(i => c with { Rows = [.. c.Rows[..i], .. c.Rows[(i + 1)..]] }));

    private static Gen<(IScoringStrategy Strategy, string Name)> Strategy(int bins) => Gen.Frequency(
        (3, Gen.Constant((ScoringStrategies.Quantile, "quantile"))),
        (2, Gen.Constant((ScoringStrategies.RankQuantile, "rank-quantile"))),
        (1, from bounds in Gen.ArrayOf(Gen.Choose(0, 400), bins - 1)
            let sorted = bounds.Distinct().Order().ToArray()
            where sorted.Length == bins - 1
            let thresholds = sorted.Select(b => b * 1.5).ToArray()
            select (ScoringStrategies.FixedThresholds(thresholds), "fixed " + string.Join('/', thresholds))));

    private static Gen<ISegmentMap> Maps(int bins) => bins == 5
        ? Gen.Elements<ISegmentMap>(SegmentMaps.Classic, SegmentMaps.ElevenSegments, new SumMap())
        : Gen.Elements<ISegmentMap>(
            SegmentMaps.FromGrid("grid", bins, (r, f) => new Segment(r > f ? "recent" : r == f ? "even" : "frequent", "Grid cell")),
            new SumMap());

    /// <summary>A map that is not a rule map, so that the SQL looks every score up in a table.</summary>
    private sealed class SumMap : ISegmentMap
    {
        private static readonly Segment[] All = [new("low", "Low"), new("middle", "Middle"), new("highest", "High's")];

        public string Name => "sum of scores";

        public IReadOnlyList<Segment> Segments => All;

        public Segment Assign(RfmScore score) => All[(score.R + score.F + score.M) % 3];
    }
}
