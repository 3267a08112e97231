using BenchmarkDotNet.Attributes;

namespace Rfm.Benchmarks;

/// <summary>
/// Per-customer metrics from one million Online-Retail-shaped rows: a plain LINQ <c>GroupBy</c> against the
/// accumulator's struct (span) and columnar paths, all with the default policy's exclusions.
/// </summary>
[MemoryDiagnoser]
public class AggregationBenchmarks
{
    private Transaction[] _rows = [];
    private OnlineRetailColumns _columns = new([]);

    /// <summary>Rows in the log.</summary>
    [Params(1_000_000)]
    public int Rows { get; set; }

    /// <summary>The size of the customer pool.</summary>
    [Params(10_000, 100_000)]
    public int Customers { get; set; }

    /// <summary>Generates the rows and their columnar copy once per process.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _rows = OnlineRetailGenerator.Generate(Rows, Customers);
        _columns = new OnlineRetailColumns(_rows);
    }

    /// <summary>
    /// What one would write without the library: filter as <see cref="TransactionPolicy.Default"/> does, group by
    /// customer, take recency, distinct orders and the decimal sum, order by customer id like the snapshot.
    /// </summary>
    /// <returns>The metrics per customer.</returns>
    [Benchmark(Baseline = true, Description = "LINQ GroupBy")]
    public List<BaselineMetrics> LinqGroupBy()
    {
        var asOf = OnlineRetailGenerator.AsOf;
        return _rows
            .Where(t => !string.IsNullOrWhiteSpace(t.CustomerId)
                && !(t.OrderId is { } order && order.StartsWith('C'))
                && t.Amount > 0m
                && t.Timestamp <= asOf)
            .GroupBy(t => t.CustomerId!, StringComparer.Ordinal)
            .Select(g => new BaselineMetrics(
                g.Key,
                Recency: (int)((asOf - g.Max(t => t.Timestamp)).Ticks / TimeSpan.TicksPerDay),
                Frequency: g.Select(t => t.OrderId).Distinct(StringComparer.Ordinal).Count(),
                Monetary: g.Sum(t => t.Amount)))
            .OrderBy(m => m.CustomerId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The struct path: <see cref="RfmAccumulator.AddRange{T}(ReadOnlySpan{T})"/>, then a snapshot.</summary>
    /// <returns>The snapshot.</returns>
    [Benchmark(Description = "Accumulator AddRange(span)")]
    public MetricsSnapshot StructSpan()
    {
        var accumulator = new RfmAccumulator(OnlineRetailGenerator.AsOf);
        accumulator.AddRange(new ReadOnlySpan<Transaction>(_rows));
        return accumulator.Snapshot();
    }

    /// <summary>The columnar path: <see cref="RfmAccumulator.AddColumns"/>, then a snapshot.</summary>
    /// <returns>The snapshot.</returns>
    [Benchmark(Description = "Accumulator AddColumns")]
    public MetricsSnapshot Columnar()
    {
        var accumulator = new RfmAccumulator(OnlineRetailGenerator.AsOf);
        accumulator.AddColumns(_columns.CustomerIds, _columns.OrderIds, _columns.Timestamps, _columns.Amounts);
        return accumulator.Snapshot();
    }
}

/// <summary>The baseline's result for one customer.</summary>
/// <param name="CustomerId">The customer id.</param>
/// <param name="Recency">Whole days from the last purchase to the analysis date.</param>
/// <param name="Frequency">Distinct invoices.</param>
/// <param name="Monetary">The sum of the line amounts.</param>
public readonly record struct BaselineMetrics(string CustomerId, int Recency, int Frequency, decimal Monetary);
