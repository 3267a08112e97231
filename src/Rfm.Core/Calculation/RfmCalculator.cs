using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Data;
using System.Data.Common;
using System.Runtime.InteropServices;
using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm;

/// <summary>
/// Turns transactions into an <see cref="RfmResult"/>: metrics per customer, 1..N scores and a segment each.
/// Immutable and thread-safe: build one and use it from any number of threads.
/// </summary>
/// <remarks>
/// Each stage can be replaced on its own: which rows count (<see cref="TransactionPolicy"/>), how each metric is
/// scored (<see cref="RfmScoring"/>) and how scores become segments (<see cref="ISegmentMap"/>). The result does
/// not depend on the order of the rows.
/// </remarks>
public sealed class RfmCalculator
{
    // Below this many customers, starting threads costs more than scoring the metrics one after another.
    private const int ParallelScoringFrom = 10_000;

    /// <summary>Creates a calculator; every stage left null takes its default.</summary>
    /// <param name="policy">Which rows count; default <see cref="TransactionPolicy.Default"/>.</param>
    /// <param name="scoring">How metrics are scored; default <see cref="RfmScoring.Default"/> (quantiles, 5 scores).</param>
    /// <param name="segmentMap">How scores become segments; default <see cref="SegmentMaps.Classic"/>.</param>
    /// <exception cref="ArgumentException">The segment map is made for another number of scores than the scoring gives.</exception>
    public RfmCalculator(TransactionPolicy? policy = null, RfmScoring? scoring = null, ISegmentMap? segmentMap = null)
    {
        Policy = policy ?? TransactionPolicy.Default;
        Scoring = scoring ?? RfmScoring.Default;
        SegmentMap = segmentMap ?? SegmentMaps.Classic;
        if (SegmentMap.Bins is { } mapBins && mapBins != Scoring.Bins)
        {
            throw new ArgumentException(
                $"The segment map '{SegmentMap.Name}' is made for {mapBins} scores, but the scoring gives {Scoring.Bins}; choose a map for {Scoring.Bins} scores.",
                nameof(segmentMap));
        }
    }

    /// <summary>
    /// The default preset: cancellations (order ids starting with <c>C</c>) and non-positive quantities, prices
    /// and amounts excluded; all three metrics scored by quantile into 5 scores, so equal values share a score;
    /// segments from the classic R x F grid.
    /// </summary>
    public static RfmCalculator Default { get; } = new();

    /// <summary>
    /// The tutorial preset: reproduces the classic pandas RFM pipeline row for row. Order ids containing
    /// <c>C</c> are cancellations and nothing else is excluded; recency and monetary are scored by quantile,
    /// frequency by rank quantile, into 5 scores; segments from the classic R x F grid.
    /// </summary>
    public static RfmCalculator Tutorial { get; } = new(TransactionPolicy.Tutorial, RfmScoring.Tutorial, SegmentMaps.Classic);

    /// <summary>The presets by name: <c>default</c> and <c>tutorial</c>.</summary>
    public static IReadOnlyDictionary<string, RfmCalculator> Presets { get; } = new Dictionary<string, RfmCalculator>
    {
        ["default"] = Default,
        ["tutorial"] = Tutorial,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Which rows count.</summary>
    public TransactionPolicy Policy { get; }

    /// <summary>How metrics are scored.</summary>
    public RfmScoring Scoring { get; }

    /// <summary>How scores become segments.</summary>
    public ISegmentMap SegmentMap { get; }

    /// <summary>An empty accumulator with this calculator's policy, for incremental or partitioned input.</summary>
    /// <param name="cutoff">
    /// The cut-off: rows dated after it are excluded, and <see cref="Calculate(RfmAccumulator)"/> measures to it;
    /// <see langword="null"/> for none (then give the analysis date to <see cref="Calculate(RfmAccumulator, DateTime)"/>).
    /// </param>
    /// <param name="keepOrders">Whether the accumulator also keeps every order, for <see cref="RfmAccumulator.History(DateTime)"/> (KPIs per period, cohorts).</param>
    /// <returns>The accumulator; finish with <see cref="Calculate(RfmAccumulator, DateTime)"/> or <see cref="Calculate(RfmAccumulator)"/>.</returns>
    public RfmAccumulator CreateAccumulator(DateTime? cutoff = null, bool keepOrders = false) => new(cutoff, Policy, keepOrders);

    /// <summary>Analyses a sequence of transactions.</summary>
    /// <typeparam name="T">The row type; a struct is read without boxing.</typeparam>
    /// <param name="transactions">The rows.</param>
    /// <param name="asOf">The analysis date: recency is measured to it, later rows are excluded.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transactions"/> is null.</exception>
    /// <exception cref="OverflowException">A sum of money exceeds what a <see cref="decimal"/> holds exactly.</exception>
    /// <exception cref="InvalidOperationException">A custom strategy gave a score outside 1..N.</exception>
    public RfmResult Calculate<T>(IEnumerable<T> transactions, DateTime asOf)
        where T : ITransaction
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var accumulator = CreateAccumulator(asOf);
        accumulator.AddRange(transactions);
        return Calculate(accumulator);
    }

    /// <summary>Analyses a span of transactions, reading each in place.</summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="transactions">The rows.</param>
    /// <param name="asOf">The analysis date: recency is measured to it, later rows are excluded.</param>
    /// <returns>The result.</returns>
    /// <exception cref="OverflowException">A sum of money exceeds what a <see cref="decimal"/> holds exactly.</exception>
    /// <exception cref="InvalidOperationException">A custom strategy gave a score outside 1..N.</exception>
    public RfmResult Calculate<T>(ReadOnlySpan<T> transactions, DateTime asOf)
        where T : ITransaction
    {
        var accumulator = CreateAccumulator(asOf);
        accumulator.AddRange(transactions);
        return Calculate(accumulator);
    }

    /// <summary>Analyses every remaining row of a data reader.</summary>
    /// <param name="reader">The reader, positioned before its first row.</param>
    /// <param name="columns">Which columns hold what.</param>
    /// <param name="asOf">The analysis date.</param>
    /// <param name="progress">Told the number of rows read so far, every 16,384 rows and at the end; may be null.</param>
    /// <param name="cancellationToken">Stops the read between rows.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> gives the money neither or both ways, or names a partition column (read it by partition).</exception>
    /// <exception cref="TransactionDataException">A column is missing or a value cannot be read; the message names the row, column and value.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public RfmResult Calculate(IDataReader reader, TransactionColumns columns, DateTime asOf, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var accumulator = CreateAccumulator(asOf);
        accumulator.Add(reader, columns, progress, cancellationToken);
        return Calculate(accumulator);
    }

    /// <summary>
    /// Analyses every remaining row of a data reader asynchronously (<see cref="DbDataReader.ReadAsync(CancellationToken)"/>);
    /// the result is the one <see cref="Calculate(IDataReader, TransactionColumns, DateTime, IProgress{long}?, CancellationToken)"/> gives.
    /// </summary>
    /// <param name="reader">The reader, positioned before its first row.</param>
    /// <param name="columns">Which columns hold what.</param>
    /// <param name="asOf">The analysis date.</param>
    /// <param name="progress">Told the number of rows read so far, every 16,384 rows and at the end; may be null.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> gives the money neither or both ways, or names a partition column (read it by partition).</exception>
    /// <exception cref="TransactionDataException">A column is missing or a value cannot be read; the message names the row, column and value.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the type of the rows, so no call can match more than one.")]
    public Task<RfmResult> CalculateAsync(DbDataReader reader, TransactionColumns columns, DateTime asOf, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(columns);
        var accumulator = CreateAccumulator(asOf);
        return Finish(accumulator, accumulator.AddAsync(reader, columns, progress, cancellationToken));
    }

    /// <summary>Analyses an asynchronous sequence of transactions; the result is the one <see cref="Calculate{T}(IEnumerable{T}, DateTime)"/> gives.</summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="transactions">The rows.</param>
    /// <param name="asOf">The analysis date: recency is measured to it, later rows are excluded.</param>
    /// <param name="progress">Told the number of rows read so far, every 16,384 rows and at the end; may be null.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transactions"/> is null.</exception>
    /// <exception cref="OverflowException">A sum of money exceeds what a <see cref="decimal"/> holds exactly.</exception>
    /// <exception cref="InvalidOperationException">A custom strategy gave a score outside 1..N.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the type of the rows, so no call can match more than one.")]
    public Task<RfmResult> CalculateAsync<T>(IAsyncEnumerable<T> transactions, DateTime asOf, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
        where T : ITransaction
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var accumulator = CreateAccumulator(asOf);
        return Finish(accumulator, accumulator.AddAsync(transactions, progress, cancellationToken));
    }

    /// <summary>An empty partitioned accumulator with this calculator's policy, for input analysed per partition (store, tenant, country).</summary>
    /// <param name="cutoff">
    /// The cut-off of every partition: rows dated after it are excluded, and <see cref="Calculate(PartitionedAccumulator)"/>
    /// measures to it; <see langword="null"/> for none (then give the analysis date to <see cref="Calculate(PartitionedAccumulator, DateTime)"/>).
    /// </param>
    /// <returns>The accumulator.</returns>
    public PartitionedAccumulator CreatePartitionedAccumulator(DateTime? cutoff = null) => new(cutoff, Policy);

    /// <summary>
    /// Analyses every remaining row of a data reader per partition, the value of the mapping's
    /// <see cref="TransactionColumns.Partition"/> column: each partition's result is what <see cref="Calculate(IDataReader, TransactionColumns, DateTime, IProgress{long}?, CancellationToken)"/>
    /// gives for that partition's rows alone.
    /// </summary>
    /// <param name="reader">The reader, positioned before its first row.</param>
    /// <param name="columns">Which columns hold what, with a partition column.</param>
    /// <param name="asOf">The analysis date of every partition.</param>
    /// <param name="progress">Told the number of rows read so far, every 16,384 rows and at the end; may be null.</param>
    /// <param name="cancellationToken">Stops the read between rows.</param>
    /// <returns>One result per partition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> gives the money neither or both ways, or names no partition column.</exception>
    /// <exception cref="TransactionDataException">A column is missing or a value cannot be read; the message names the row, column and value.</exception>
    /// <exception cref="OverflowException">A sum of money exceeds what a <see cref="decimal"/> holds exactly.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">A custom strategy gave a score outside 1..N.</exception>
    public PartitionedResult CalculateByPartition(IDataReader reader, TransactionColumns columns, DateTime asOf, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var partitions = CreatePartitionedAccumulator(asOf);
        partitions.Add(reader, columns, progress, cancellationToken);
        return Calculate(partitions, asOf);
    }

    /// <summary>
    /// Analyses every remaining row of a data reader per partition, asynchronously (<see cref="DbDataReader.ReadAsync(CancellationToken)"/>);
    /// the result is the one <see cref="CalculateByPartition(IDataReader, TransactionColumns, DateTime, IProgress{long}?, CancellationToken)"/> gives.
    /// </summary>
    /// <param name="reader">The reader, positioned before its first row.</param>
    /// <param name="columns">Which columns hold what, with a partition column.</param>
    /// <param name="asOf">The analysis date of every partition.</param>
    /// <param name="progress">Told the number of rows read so far, every 16,384 rows and at the end; may be null.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>One result per partition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> gives the money neither or both ways, or names no partition column.</exception>
    /// <exception cref="TransactionDataException">A column is missing or a value cannot be read; the message names the row, column and value.</exception>
    /// <exception cref="OverflowException">A sum of money exceeds what a <see cref="decimal"/> holds exactly.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">A custom strategy gave a score outside 1..N.</exception>
    public Task<PartitionedResult> CalculateByPartitionAsync(DbDataReader reader, TransactionColumns columns, DateTime asOf, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(columns);
        var partitions = CreatePartitionedAccumulator(asOf);
        return Finish(partitions, asOf, partitions.AddAsync(reader, columns, progress, cancellationToken));
    }

    /// <summary>Scores and segments each partition of a partitioned accumulator, as of its cut-off.</summary>
    /// <param name="partitions">The accumulator, with a cut-off; it stays usable.</param>
    /// <returns>One result per partition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="partitions"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The accumulator has no cut-off (give the analysis date with <see cref="Calculate(PartitionedAccumulator, DateTime)"/>), or a custom strategy gave a score outside 1..N.</exception>
    public PartitionedResult Calculate(PartitionedAccumulator partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var asOf = partitions.Cutoff ?? throw new InvalidOperationException(
            "This accumulator has no cut-off, so there is no date to measure recency to: give the analysis date, as in Calculate(partitions, asOf).");
        return Calculate(partitions, asOf);
    }

    /// <summary>Scores and segments each partition of a partitioned accumulator, as of an analysis date.</summary>
    /// <param name="partitions">The accumulator; it stays usable.</param>
    /// <param name="asOf">The analysis date of every partition. It may not be before the latest purchase used in any partition, nor after the cut-off.</param>
    /// <returns>One result per partition, each what <see cref="Calculate(RfmAccumulator, DateTime)"/> gives for that partition's accumulator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="partitions"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="asOf"/> is before a partition's <see cref="RfmAccumulator.LatestPurchase"/> or after the cut-off.</exception>
    /// <exception cref="InvalidOperationException">A custom strategy gave a score outside 1..N.</exception>
    public PartitionedResult Calculate(PartitionedAccumulator partitions, DateTime asOf)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var results = new List<RfmPartition>(partitions.Count);
        foreach (var name in partitions.Partitions)
        {
            _ = partitions.TryGet(name, out var accumulator);
            results.Add(new RfmPartition(name, Score(accumulator!.Snapshot(asOf))));
        }

        return PartitionedResult.Create(asOf, results);
    }

    /// <summary>Scores and segments what an accumulator holds, as of its cut-off.</summary>
    /// <param name="accumulator">The accumulator, with a cut-off; it stays usable.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="accumulator"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The accumulator has no cut-off (give the analysis date with <see cref="Calculate(RfmAccumulator, DateTime)"/>), or a custom strategy gave a score outside 1..N.</exception>
    public RfmResult Calculate(RfmAccumulator accumulator)
    {
        ArgumentNullException.ThrowIfNull(accumulator);
        return Score(accumulator.Snapshot());
    }

    /// <summary>Scores and segments what an accumulator holds, as of an analysis date.</summary>
    /// <param name="accumulator">The accumulator; it stays usable.</param>
    /// <param name="asOf">The analysis date: recency is measured to it. It may not be before the latest purchase used, nor after the accumulator's cut-off.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="accumulator"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="asOf"/> is before <see cref="RfmAccumulator.LatestPurchase"/> or after <see cref="RfmAccumulator.Cutoff"/>.</exception>
    /// <exception cref="InvalidOperationException">A custom strategy gave a score outside 1..N.</exception>
    public RfmResult Calculate(RfmAccumulator accumulator, DateTime asOf)
    {
        ArgumentNullException.ThrowIfNull(accumulator);
        return Score(accumulator.Snapshot(asOf));
    }

    /// <summary>Scores and segments a metrics snapshot.</summary>
    /// <param name="snapshot">The metrics.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A custom strategy gave a score outside 1..N.</exception>
    public RfmResult Score(MetricsSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var customers = snapshot.Customers;
        var bins = Scoring.Bins;

        // The three metrics are independent, and strategies are thread-safe: with many customers they are scored at
        // once. A failure is reported for the first metric that failed, whatever the threads did.
        var scores = new int[3][];
        var scoring = new MetricScoring[3];
        var failures = new Exception?[3];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = customers.Length >= ParallelScoringFrom ? 3 : 1 };
        Parallel.For(0, 3, parallel, m =>
        {
            try
            {
                (scoring[m], scores[m]) = ScoreMetric(customers, (RfmMetric)m, bins);
            }
            catch (Exception ex)
            {
                failures[m] = ex;
            }
        });

        if (Array.Find(failures, f => f is not null) is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        var rows = ImmutableArray.CreateBuilder<CustomerRfm>(customers.Length);
        for (var i = 0; i < customers.Length; i++)
        {
            var score = new RfmScore(scores[0][i], scores[1][i], scores[2][i]);
            rows.Add(new CustomerRfm(customers[i], score, SegmentMap.Assign(score, bins)));
        }

        var result = rows.MoveToImmutable();
        return new RfmResult(snapshot.AsOf, result, [.. scoring], Summarise(result), snapshot.Ingestion);
    }

    private async Task<RfmResult> Finish(RfmAccumulator accumulator, Task reading)
    {
        await reading.ConfigureAwait(false);
        return Calculate(accumulator);
    }

    private async Task<PartitionedResult> Finish(PartitionedAccumulator partitions, DateTime asOf, Task reading)
    {
        await reading.ConfigureAwait(false);
        return Calculate(partitions, asOf);
    }

    // One metric's scores, with the edges and the value range behind each score.
    private (MetricScoring Scoring, int[] Scores) ScoreMetric(ImmutableArray<CustomerMetrics> customers, RfmMetric metric, int bins)
    {
        var values = new double[customers.Length];
        for (var i = 0; i < customers.Length; i++)
        {
            values[i] = Money.ToDouble(ValueOf(customers[i], metric));
        }

        var strategy = Scoring.For(metric);
        var metricScores = new int[customers.Length];
        var edges = strategy.Score(values, bins, metricScores);
        for (var i = 0; i < metricScores.Length; i++)
        {
            if (metricScores[i] < 1 || metricScores[i] > bins)
            {
                throw new InvalidOperationException(
                    $"The {strategy.Name} strategy scored {metric} {values[i]} (customer '{customers[i].CustomerId}') as {metricScores[i]}, outside 1..{bins}.");
            }
        }

        // Recency is the one metric where smaller is better.
        if (metric == RfmMetric.Recency)
        {
            for (var i = 0; i < metricScores.Length; i++)
            {
                metricScores[i] = bins + 1 - metricScores[i];
            }
        }

        return (new MetricScoring(metric, strategy.Name, strategy.Description, bins, edges, Bands(customers, metric, metricScores, bins)), metricScores);
    }

    private static decimal ValueOf(in CustomerMetrics customer, RfmMetric metric) => metric switch
    {
        RfmMetric.Recency => customer.Recency,
        RfmMetric.Frequency => customer.Frequency,
        _ => customer.Monetary,
    };

    // The value range behind each score customers received.
    private static ImmutableArray<ScoreBand> Bands(ImmutableArray<CustomerMetrics> customers, RfmMetric metric, int[] scores, int bins)
    {
        var counts = new int[bins + 1];
        var min = new decimal[bins + 1];
        var max = new decimal[bins + 1];
        for (var i = 0; i < scores.Length; i++)
        {
            var score = scores[i];
            var value = ValueOf(customers[i], metric);
            if (counts[score]++ == 0)
            {
                min[score] = max[score] = value;
            }
            else
            {
                min[score] = Math.Min(min[score], value);
                max[score] = Math.Max(max[score], value);
            }
        }

        var bands = ImmutableArray.CreateBuilder<ScoreBand>();
        for (var score = 1; score <= bins; score++)
        {
            if (counts[score] > 0)
            {
                bands.Add(new ScoreBand(score, counts[score], min[score], max[score]));
            }
        }

        return bands.ToImmutable();
    }

    private ImmutableArray<SegmentSummary> Summarise(ImmutableArray<CustomerRfm> customers)
    {
        // Grouped by instance first (a map hands out the same few objects), then by value, which hashes strings.
        var byInstance = new Dictionary<Segment, (int Count, long Recency, long Frequency, decimal Monetary)>(ReferenceEqualityComparer.Instance);
        foreach (ref readonly var customer in customers.AsSpan())
        {
            ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(byInstance, customer.Segment, out _);
            group = (
                group.Count + 1,
                group.Recency + customer.Metrics.Recency,
                group.Frequency + customer.Metrics.Frequency,
                ExactDecimal.Sum(group.Monetary, customer.Metrics.Monetary));
        }

        var groups = new Dictionary<Segment, (int Count, long Recency, long Frequency, decimal Monetary)>();
        foreach (var (segment, part) in byInstance)
        {
            ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, segment, out _);
            group = (group.Count + part.Count, group.Recency + part.Recency, group.Frequency + part.Frequency, ExactDecimal.Sum(group.Monetary, part.Monetary));
        }

        var summaries = ImmutableArray.CreateBuilder<SegmentSummary>(groups.Count);
        foreach (var segment in SegmentMap.Segments)
        {
            if (groups.Remove(segment, out var group))
            {
                summaries.Add(Summary(segment, group, customers.Length));
            }
        }

        // A custom map may assign segments it does not list; they follow in key order.
        foreach (var (segment, group) in groups.OrderBy(g => g.Key.Key, StringComparer.Ordinal))
        {
            summaries.Add(Summary(segment, group, customers.Length));
        }

        return summaries.MoveToImmutable();
    }

    private static SegmentSummary Summary(Segment segment, (int Count, long Recency, long Frequency, decimal Monetary) group, int total) =>
        new(
            segment,
            group.Count,
            (double)group.Count / total,
            (double)group.Recency / group.Count,
            (double)group.Frequency / group.Count,
            group.Monetary / group.Count,
            group.Monetary);
}
