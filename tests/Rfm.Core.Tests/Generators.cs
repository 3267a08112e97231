using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Rfm.Scoring;

namespace Rfm.Tests;

/// <summary>
/// A column of metric values and a number of scores. The values are kept as the exact decimals they were made
/// from (0 to 4 decimal places, as money and day counts are) and as the doubles a strategy sees, converted the
/// way the calculator converts them.
/// </summary>
public sealed record ScoringCase(decimal[] Exact, int Bins)
{
    public double[] Values { get; } = Array.ConvertAll(Exact, Money.ToDouble);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"bins {Bins}, {Exact.Length} values [{string.Join(", ", Exact)}]");
}

/// <summary>A column and strictly increasing fixed thresholds for it (bins = thresholds + 1).</summary>
public sealed record FixedThresholdsCase(ScoringCase Column, decimal[] Bounds)
{
    public int Bins => Bounds.Length + 1;

    public IScoringStrategy Strategy => ScoringStrategies.FixedThresholds(Array.ConvertAll(Bounds, b => (double)b));

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"bounds [{string.Join(", ", Bounds)}], values [{string.Join(", ", Column.Exact)}]");
}

/// <summary>A power of two, 2^-30 to 2^30: multiplying by it is exact in binary floating point.</summary>
public readonly record struct PowerOfTwo(double Value);

/// <summary>A positive factor that is not a power of two: a small integer or a decimal constant.</summary>
public readonly record struct PositiveFactor(double Value);

/// <summary>Rows of a transaction log and the analysis date.</summary>
public sealed record TransactionLog(Transaction[] Rows, DateTime AsOf)
{
    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"asOf {AsOf:yyyy-MM-dd HH:mm:ss.fffffff}, {Rows.Length} rows: {string.Join("; ", Rows.Select(Format))}");

    internal static string Format(Transaction row) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"({Quote(row.CustomerId)}, {Quote(row.OrderId)}, {row.Timestamp:yyyy-MM-dd HH:mm:ss.fffffff}, {row.Amount})");

    private static string Quote(string? text) => text is null ? "null" : $"\"{text}\"";
}

/// <summary>How a policy recognises cancellations, restated for the tests' reference implementations.</summary>
public enum CancellationMode
{
    None,
    StartsWithC,
    ContainsC,
    CustomEndsWithC,
}

/// <summary>
/// A transaction policy together with a plain restatement of what it does, so that a reference can classify rows
/// without asking the library.
/// </summary>
public sealed record PolicyCase(CancellationMode Cancellations, bool ExcludeNonPositive, bool DropNonPositiveCustomers)
{
    public TransactionPolicy Policy { get; } = Build(Cancellations, ExcludeNonPositive, DropNonPositiveCustomers);

    public bool IsCancellation(string? orderId) =>
        !string.IsNullOrEmpty(orderId) && Cancellations switch
        {
            CancellationMode.StartsWithC => orderId.StartsWith('C'),
            CancellationMode.ContainsC => orderId.Contains('C', StringComparison.Ordinal),
            CancellationMode.CustomEndsWithC => orderId.EndsWith('C'),
            _ => false,
        };

    public override string ToString() =>
        $"policy (cancellations {Cancellations}, exclude non-positive {ExcludeNonPositive}, drop non-positive customers {DropNonPositiveCustomers})";

    private static TransactionPolicy Build(CancellationMode cancellations, bool excludeNonPositive, bool dropNonPositiveCustomers)
    {
        // The presets themselves when the combination is one of them, so that they are what is tested.
        var preset = (cancellations, excludeNonPositive) switch
        {
            (CancellationMode.StartsWithC, true) => TransactionPolicy.Default,
            (CancellationMode.ContainsC, false) => TransactionPolicy.Tutorial,
            _ => TransactionPolicy.Default with
            {
                ExcludeNonPositive = excludeNonPositive,
                Cancellations = cancellations switch
                {
                    CancellationMode.StartsWithC => CancellationRule.OrderIdStartsWith("C"),
                    CancellationMode.ContainsC => CancellationRule.OrderIdContains("C"),
                    CancellationMode.CustomEndsWithC => CancellationRule.Custom(o => o.EndsWith('C'), "ends with C"),
                    _ => CancellationRule.None,
                },
            },
        };
        return dropNonPositiveCustomers ? preset with { DropNonPositiveCustomers = true } : preset;
    }
}

/// <summary>A calculator to run, named for the counterexample.</summary>
public sealed record CalculatorCase(string Name, RfmCalculator Calculator)
{
    public override string ToString() => Name;
}

/// <summary>A log, the same rows in another order, and a calculator.</summary>
public sealed record ShuffledCase(TransactionLog Log, Transaction[] Shuffled, CalculatorCase Calculator);

/// <summary>
/// A log split across <see cref="Parts"/> accumulators: row i goes to accumulator <c>Assignment[i]</c>, where the
/// value <see cref="Parts"/> means "added to the merged accumulator after all merges". <see cref="MergePicks"/>
/// drive a random merge tree: each step merges one randomly picked accumulator into another.
/// </summary>
public sealed record SplitCase(TransactionLog Log, PolicyCase Policy, int Parts, int[] Assignment, int[] MergePicks)
{
    /// <summary>Feeds each part its rows, merges the parts along a random tree, then adds the late rows.</summary>
    public RfmAccumulator Merge(bool keepOrders = false)
    {
        var parts = Enumerable.Range(0, Parts).Select(_ => new RfmAccumulator(Log.AsOf, Policy.Policy, keepOrders)).ToList();
        var late = new List<Transaction>();
        for (var i = 0; i < Log.Rows.Length; i++)
        {
            if (Assignment[i] == Parts)
            {
                late.Add(Log.Rows[i]);
            }
            else
            {
                parts[Assignment[i]].Add(Log.Rows[i]);
            }
        }

        var pick = 0;
        while (parts.Count > 1)
        {
            var from = MergePicks[pick++] % parts.Count;
            var source = parts[from];
            parts.RemoveAt(from);
            parts[MergePicks[pick++] % parts.Count].Merge(source);
        }

        var merged = parts[0];
        foreach (var row in late)
        {
            merged.Add(row);
        }

        return merged;
    }

    public override string ToString() =>
        $"{Policy}; {Parts} parts, assignment [{string.Join(",", Assignment)}], merge picks [{string.Join(",", MergePicks)}]; {Log}";
}

/// <summary>A transaction log and the keys of the classic map's segments a campaign targets: one or more, each once, in a random order.</summary>
public sealed record TargetsCase(TransactionLog Log, string[] Keys)
{
    public override string ToString() => $"keys [{string.Join(",", Keys)}]; {Log}";
}

/// <summary>
/// Two sides of segment assignments, customer id to segment, each id at most once per side, in no particular order;
/// the segments mostly the classic map's, sometimes one outside it.
/// </summary>
public sealed record AssignmentsCase(KeyValuePair<string, Rfm.Segmentation.Segment>[] Before, KeyValuePair<string, Rfm.Segmentation.Segment>[] After)
{
    public override string ToString() => $"before [{Format(Before)}], after [{Format(After)}]";

    private static string Format(KeyValuePair<string, Rfm.Segmentation.Segment>[] side) => string.Join(", ", side.Select(p => $"{p.Key}: {p.Value.Key}"));
}

/// <summary>
/// Explicit FsCheck generators shared by the property tests. Registered with
/// <c>[Properties(Arbitrary = [typeof(Generators)])]</c>; every arbitrary here is for a test-only type, so that
/// FsCheck's defaults for built-in types are untouched.
/// </summary>
public static class Generators
{
    private static readonly string[] CustomerIds = ["a", "b", "c", "d", "A", "B", "a1", "a10", "a2", "z", "\u00e9", " a"];
    private static readonly string[] ManyCustomerIds = [.. Enumerable.Range(0, 40).Select(i => string.Create(CultureInfo.InvariantCulture, $"k{i}"))];
    private static readonly string?[] MissingCustomerIds = [null, string.Empty, " ", "\t"];

    // Plain orders; "C..." are cancellations under every policy that has them; "1C" contains but does not start
    // with C (a cancellation for the tutorial policy only, and for the custom "ends with C" rule); "c3" is
    // lower-case (never a cancellation); null and "" are rows without an order id.
    private static readonly string?[] OrderIds = ["1", "2", "3", "4", "5", "6", "7", "8", "c3"];
    private static readonly string?[] CancelledOrderIds = ["C1", "C2", "C9"];
    private static readonly string?[] ContainsCOrderIds = ["1C", "A-C-7"];
    private static readonly string?[] NoOrderIds = [null, string.Empty];

    private static readonly DateTime FirstAsOf = new(2023, 1, 1);

    /// <summary>Numbers of scores, 2 to 10.</summary>
    public static Gen<int> Bins { get; } = Gen.Choose(ScoringStrategies.MinBins, ScoringStrategies.MaxBins);

    /// <summary>Day counts, as recency and frequency are: whole numbers from 0 to 400.</summary>
    public static Gen<decimal> DayCounts { get; } = Gen.Choose(0, 400).Select(d => (decimal)d);

    /// <summary>Any decimal at all: 96-bit mantissa, sign and scale 0..28, so up to 29 significant digits.</summary>
    public static Gen<decimal> AnyDecimal { get; } =
        from low in Gen.Choose(int.MinValue, int.MaxValue)
        from middle in Gen.Elements(0, 1, 12345, int.MaxValue, -1)
        from high in Gen.Elements(0, 0, 0, 1, 54321, int.MaxValue, -1)
        from negative in Gen.Elements(false, true)
        from scale in Gen.Choose(0, 28)
        select new decimal(low, middle, high, negative, (byte)scale);

    /// <summary>Money: signed decimals with 0 to 4 decimal places, small, medium and large.</summary>
    public static Gen<decimal> Money { get; } =
        from scale in Gen.Choose(0, 4)
        from units in Gen.Frequency(
            (2, Gen.Choose(0, 50)),
            (5, Gen.Choose(-5_000, 1_000_000)),
            (1, Gen.Choose(-1_000_000_000, 1_000_000_000)))
        select Decimal(units, scale);

    /// <summary>Positive money, 0.0001 and up, 0 to 4 decimal places.</summary>
    public static Gen<decimal> PositiveMoney { get; } =
        from scale in Gen.Choose(0, 4)
        from units in Gen.Frequency((3, Gen.Choose(1, 100)), (5, Gen.Choose(1, 1_000_000)))
        select Decimal(units, scale);

    /// <summary>
    /// Columns of values: mostly few distinct values (heavy ties), sometimes all different, sometimes an arithmetic
    /// progression (whose quantiles land exactly on values); often shorter than the number of scores.
    /// </summary>
    public static Gen<decimal[]> Column { get; } =
        from kind in Gen.Elements(DayCounts, DayCounts, Money, Money, Money, Gen.Choose(-3, 3).Select(v => (decimal)v))
        from length in Gen.Frequency((3, Gen.Choose(0, 12)), (6, Gen.Choose(0, 80)), (1, Gen.Choose(81, 300)))
        from shape in Gen.Choose(0, 9)
        from values in shape switch
        {
            <= 5 => from distinct in Gen.Choose(1, 8)
                    from pool in kind.ArrayOf(distinct)
                    from picked in Gen.Elements(pool).ArrayOf(length)
                    select picked,
            <= 7 => kind.ArrayOf(length),
            _ => from start in kind
                 from step in PositiveMoney
                 from shuffled in Gen.Shuffle(Enumerable.Range(0, length).Select(i => start + (step * i)))
                 select shuffled,
        }
        select values;

    public static Arbitrary<ScoringCase> ScoringCases() =>
        Arb.From(
            from values in Column
            from bins in Bins
            select new ScoringCase(values, bins),
            c => WithoutOne(c.Exact).Select(values => new ScoringCase(values, c.Bins)));

    public static Arbitrary<FixedThresholdsCase> FixedThresholdsCases() =>
        Arb.From(
            from column in ScoringCases().Generator
            from count in Gen.Choose(ScoringStrategies.MinBins - 1, ScoringStrategies.MaxBins - 1)
            from candidates in (column.Exact.Length == 0
                    ? Money
                    : Gen.Frequency((1, Money), (2, Gen.Elements(column.Exact)))).ArrayOf(count)
            select new FixedThresholdsCase(column, Bounds(candidates)),
            c => WithoutOne(c.Column.Exact).Select(values => new FixedThresholdsCase(new ScoringCase(values, c.Column.Bins), c.Bounds)));

    public static Arbitrary<PowerOfTwo> PowersOfTwo() =>
        Arb.From(Gen.Choose(-30, 30).Select(e => new PowerOfTwo(Math.ScaleB(1.0, e))));

    public static Arbitrary<PositiveFactor> PositiveFactors() =>
        Arb.From(Gen.OneOf(
            Gen.Elements(3.0, 5.0, 6.0, 7.0, 10.0, 12.0, 100.0, 1000.0),
            Gen.Elements(0.1, 0.01, 0.3, 1.1, 1.23, 2.5, 7.31, 0.0007, 123.4567),
            from units in Gen.Choose(1, 1_000_000)
            from scale in Gen.Choose(0, 4)
            select (double)Decimal(units, scale)).Select(f => new PositiveFactor(f)));

    /// <summary>
    /// Transaction logs: a small pool of customer ids (some rows without a customer), a small pool of order ids
    /// shared between customers (cancellations, ids containing but not starting with C, rows without an order id),
    /// dates within two years before the analysis date with some after it and some exactly on a day boundary,
    /// and amounts with 0 to 4 decimal places, some zero or negative.
    /// </summary>
    public static Arbitrary<TransactionLog> TransactionLogs() =>
        Arb.From(
            from asOf in AsOfDates
            from pool in Gen.Frequency((3, Gen.Shuffle(CustomerIds)), (1, Gen.Shuffle(ManyCustomerIds)))
            from poolSize in Gen.Frequency((3, Gen.Choose(1, 6)), (2, Gen.Choose(1, pool.Length)))
            from count in Gen.Frequency((1, Gen.Choose(0, 3)), (6, Gen.Choose(4, 40)), (1, Gen.Choose(41, 150)))
            from rows in Row(asOf, pool[..poolSize]).ArrayOf(count)
            select new TransactionLog(rows, asOf),
            log => WithoutOne(log.Rows).Select(rows => log with { Rows = rows }));

    public static Arbitrary<PolicyCase> Policies() =>
        Arb.From(
            from cancellations in Gen.Elements(Enum.GetValues<CancellationMode>())
            from excludeNonPositive in Gen.Elements(true, false)
            from drop in Gen.Elements(false, true)
            select new PolicyCase(cancellations, excludeNonPositive, drop));

    /// <summary>The two presets, and calculators with random bins and a random strategy per metric.</summary>
    public static Arbitrary<CalculatorCase> Calculators() =>
        Arb.From(Gen.Frequency(
            (1, Gen.Constant(new CalculatorCase("Default", RfmCalculator.Default))),
            (1, Gen.Constant(new CalculatorCase("Tutorial", RfmCalculator.Tutorial))),
            (2, from bins in Bins
                from r in Strategy(bins, DayCounts)
                from f in Strategy(bins, Gen.Choose(1, 12).Select(v => (decimal)v))
                from m in Strategy(bins, Money)
                from policy in Policies().Generator
                select new CalculatorCase(
                    $"bins {bins}, R {r.Name}, F {f.Name}, M {m.Name}, {policy}",
                    new RfmCalculator(policy.Policy, new RfmScoring(r.Strategy, f.Strategy, m.Strategy, bins), MapFor(bins))))));

    private static readonly Rfm.Segmentation.Segment High = new("high", "High"), Middle = new("middle", "Middle"), Low = new("low", "Low");

    // The classic grid is made for 5 scores; other sizes get a grid of the same spirit: high R + F is better.
    private static Rfm.Segmentation.ISegmentMap MapFor(int bins) =>
        bins == 5
            ? Rfm.Segmentation.SegmentMaps.Classic
            : Rfm.Segmentation.SegmentMaps.FromGrid($"grid-{bins}", bins, (r, f) => (r + f) * 3 > bins * 4 ? High : (r + f) * 3 > bins * 2 ? Middle : Low);

    public static Arbitrary<ShuffledCase> ShuffledCases() =>
        Arb.From(
            from log in TransactionLogs().Generator
            from shuffled in Gen.Shuffle(log.Rows)
            from calculator in Calculators().Generator
            select new ShuffledCase(log, shuffled, calculator),
            c => Enumerable.Range(0, c.Log.Rows.Length).Select(i => c with
            {
                Log = c.Log with { Rows = Without(c.Log.Rows, i) },
                Shuffled = Without(c.Shuffled, Array.IndexOf(c.Shuffled, c.Log.Rows[i])),
            }));

    public static Arbitrary<SplitCase> SplitCases() =>
        Arb.From(
            from log in TransactionLogs().Generator
            from policy in Policies().Generator
            from parts in Gen.Choose(1, 5)
            from assignment in Gen.Frequency((6, Gen.Choose(0, parts - 1)), (1, Gen.Constant(parts))).ArrayOf(log.Rows.Length)
            from picks in Gen.Choose(0, 1_000).ArrayOf(2 * parts)
            select new SplitCase(log, policy, parts, assignment, picks),
            c => Enumerable.Range(0, c.Log.Rows.Length).Select(i => c with
            {
                Log = c.Log with { Rows = Without(c.Log.Rows, i) },
                Assignment = Without(c.Assignment, i),
            }));

    public static Arbitrary<AssignmentsCase> AssignmentsCases() =>
        Arb.From(
            from pool in Gen.Frequency((3, Gen.Shuffle(CustomerIds)), (1, Gen.Shuffle(ManyCustomerIds)))
            from before in Assignments(pool)
            from after in Assignments(pool)
            select new AssignmentsCase(before, after),
            c => WithoutOne(c.Before).Select(before => c with { Before = before }).Concat(WithoutOne(c.After).Select(after => c with { After = after })));

    public static Arbitrary<TargetsCase> TargetsCases() =>
        Arb.From(
            from log in TransactionLogs().Generator
            from keys in Gen.Shuffle(Rfm.Segmentation.SegmentMaps.Classic.Segments.Select(segment => segment.Key))
            from count in Gen.Choose(1, keys.Length)
            select new TargetsCase(log, keys[..count]),
            c => WithoutOne(c.Log.Rows).Select(rows => c with { Log = c.Log with { Rows = rows } }));

    private static readonly Rfm.Segmentation.Segment Outside = new("outside", "Outside the map");

    // Some of the pool's ids, each once, in a random order, each with a segment.
    private static Gen<KeyValuePair<string, Rfm.Segmentation.Segment>[]> Assignments(string[] pool) =>
        from ids in Gen.Shuffle(pool)
        from count in Gen.Choose(0, pool.Length)
        from segments in Gen.Frequency(
            (12, Gen.Elements<Rfm.Segmentation.Segment>(Rfm.Segmentation.SegmentMaps.Classic.Segments)),
            (1, Gen.Constant(Outside))).ArrayOf(count)
        select ids[..count].Zip(segments, KeyValuePair.Create).ToArray();

    private static Gen<DateTime> AsOfDates { get; } =
        from day in Gen.Choose(0, 730)
        from midnight in Gen.Elements(true, false)
        from second in Gen.Choose(0, 86_399)
        select FirstAsOf.AddDays(day).AddSeconds(midnight ? 0 : second);

    private static Gen<Transaction> Row(DateTime asOf, string[] customers) =>
        from customer in Gen.Frequency((17, Gen.Elements<string?>(customers)), (3, Gen.Elements(MissingCustomerIds)))
        from order in Gen.Frequency(
            (12, Gen.Elements(OrderIds)),
            (2, Gen.Elements(CancelledOrderIds)),
            (1, Gen.Elements(ContainsCOrderIds)),
            (3, Gen.Elements(NoOrderIds)))
        from daysBefore in Gen.Frequency((10, Gen.Choose(0, 730)), (1, Gen.Choose(-30, -1)))
        from ticks in Gen.Frequency(
            (3, Gen.Constant(0L)),
            (1, Gen.Elements(-1L, 1L)),
            (4, Gen.Choose(-86_399, 86_399).Select(s => s * TimeSpan.TicksPerSecond)))
        from amount in Gen.Frequency(
            (16, PositiveMoney),
            (2, Gen.Elements(0m, 0.00m, -0.00m)),
            (2, PositiveMoney.Select(m => -m)))
        select new Transaction(customer, order, asOf.AddDays(-daysBefore).AddTicks(ticks), amount);

    private static Gen<(string Name, IScoringStrategy Strategy)> Strategy(int bins, Gen<decimal> values) =>
        Gen.Frequency(
            (2, Gen.Constant(("quantile", ScoringStrategies.Quantile))),
            (2, Gen.Constant(("rank-quantile", ScoringStrategies.RankQuantile))),
            (1, from candidates in values.ArrayOf(bins * 3)
                let bounds = Bounds(candidates)
                where bounds.Length >= bins - 1
                let chosen = Array.ConvertAll(bounds[..(bins - 1)], b => (double)b)
                select ($"fixed [{string.Join(", ", chosen)}]", ScoringStrategies.FixedThresholds(chosen))));

    private static decimal Decimal(int units, int scale) =>
        new(Math.Abs(units), 0, 0, units < 0, (byte)scale);

    /// <summary>Distinct candidates in ascending order, at most 9: strictly increasing thresholds.</summary>
    private static decimal[] Bounds(decimal[] candidates) =>
        [.. candidates.Distinct().Order().Take(ScoringStrategies.MaxBins - 1)];

    /// <summary>The shrinks of an array: the array without one of its elements.</summary>
    private static IEnumerable<T[]> WithoutOne<T>(T[] items) => Enumerable.Range(0, items.Length).Select(i => Without(items, i));

    private static T[] Without<T>(T[] items, int index) => [.. items[..index], .. items[(index + 1)..]];
}
