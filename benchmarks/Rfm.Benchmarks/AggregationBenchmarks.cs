using System.Globalization;
using BenchmarkDotNet.Attributes;
using DuckDB.NET.Data;

namespace Rfm.Benchmarks;

/// <summary>
/// Per-customer metrics from Online-Retail-shaped rows in memory: a plain LINQ <c>GroupBy</c> (the baseline), the
/// accumulator's struct (span) and columnar paths on one core and the span path on all cores, and DuckDB's
/// <c>GROUP BY</c> over the same rows in an in-memory table, all with the default policy's exclusions.
/// </summary>
/// <remarks>
/// Every benchmark case runs in a process of its own, so each sets up only what it uses: the rows for all of
/// them, the columns for the columnar path, the DuckDB table for DuckDB (whose memory is native, so the
/// <c>Allocated</c> column does not show it).
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class AggregationBenchmarks
{
    private Transaction[] _rows = [];
    private OnlineRetailColumns _columns = new([]);
    private DuckDBConnection? _duckDb;
    private string _duckDbQuery = string.Empty;

    /// <summary>Rows in the log.</summary>
    [Params(1_000_000, 10_000_000)]
    public int Rows { get; set; }

    /// <summary>
    /// The size of the customer pool: 10K to 5M, up to the customer bases of large shops. The environment variable
    /// <c>RFM_BENCH_CUSTOMERS</c> (comma-separated counts) runs other or fewer pools, for a shorter run.
    /// </summary>
    [ParamsSource(nameof(CustomerCounts))]
    public int Customers { get; set; }

    /// <summary>The customer pools to run: <c>RFM_BENCH_CUSTOMERS</c> when set, else 10K, 100K, 1M and 5M.</summary>
    /// <returns>The pool sizes.</returns>
    public static IEnumerable<int> CustomerCounts()
    {
        var chosen = Environment.GetEnvironmentVariable("RFM_BENCH_CUSTOMERS");
        return string.IsNullOrWhiteSpace(chosen)
            ? [10_000, 100_000, 1_000_000, 5_000_000]
            : chosen.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(text => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture))
                .ToArray();
    }

    /// <summary>Generates the rows once per process.</summary>
    [GlobalSetup(Targets = [nameof(LinqGroupBy), nameof(StructSpan), nameof(AllCores)])]
    public void Setup() => _rows = OnlineRetailGenerator.Generate(Rows, Customers);

    /// <summary>The rows and their columnar copy.</summary>
    [GlobalSetup(Target = nameof(Columnar))]
    public void SetupColumns()
    {
        Setup();
        _columns = new OnlineRetailColumns(_rows);
    }

    /// <summary>The rows, loaded with DuckDB's appender into an in-memory table <c>t</c>.</summary>
    [GlobalSetup(Target = nameof(DuckDbGroupBy))]
    public void SetupDuckDb()
    {
        Setup();
        _duckDb = DuckDbRfm.Open();
        DuckDbRfm.Execute(_duckDb, "CREATE TABLE t (customer VARCHAR, invoice VARCHAR, purchased TIMESTAMP, amount DECIMAL(18,2))");
        using (var appender = _duckDb.CreateAppender("t"))
        {
            foreach (var row in _rows)
            {
                appender.CreateRow()
                    .AppendValue(row.CustomerId)
                    .AppendValue(row.OrderId)
                    .AppendValue(row.Timestamp)
                    .AppendValue(row.Amount)
                    .EndRow();
            }
        }

        // The same exclusions as the LINQ baseline, and ordered by customer id like the snapshot.
        var asOf = OnlineRetailGenerator.AsOf.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        _duckDbQuery = $"""
            SELECT customer, max(purchased), min(purchased), count(DISTINCT invoice), sum(amount)
            FROM t
            WHERE customer IS NOT NULL AND trim(customer) <> ''
              AND NOT starts_with(invoice, 'C')
              AND amount > 0
              AND purchased <= TIMESTAMP '{asOf}'
            GROUP BY customer
            ORDER BY customer
            """;

        // Only the rows' memory is freed: the table holds its own copy.
        _rows = [];
    }

    /// <summary>Closes the DuckDB database.</summary>
    [GlobalCleanup(Target = nameof(DuckDbGroupBy))]
    public void CleanupDuckDb() => _duckDb?.Dispose();

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

    /// <summary>
    /// The span path on every core: one accumulator per contiguous part of the rows, filled in parallel, merged
    /// into the first in part order, then a snapshot.
    /// </summary>
    /// <returns>The snapshot.</returns>
    [Benchmark(Description = "Accumulator all cores")]
    public MetricsSnapshot AllCores()
    {
        var rows = _rows;
        var parts = new RfmAccumulator[Environment.ProcessorCount];
        Parallel.For(0, parts.Length, part =>
        {
            var start = (int)((long)rows.Length * part / parts.Length);
            var end = (int)((long)rows.Length * (part + 1) / parts.Length);
            var accumulator = new RfmAccumulator(OnlineRetailGenerator.AsOf);
            accumulator.AddRange(new ReadOnlySpan<Transaction>(rows, start, end - start));
            parts[part] = accumulator;
        });

        for (var part = 1; part < parts.Length; part++)
        {
            parts[0].Merge(parts[part]);
        }

        return parts[0].Snapshot();
    }

    /// <summary>
    /// Baseline from outside .NET: DuckDB (every core) aggregating the same rows from its in-memory table with the
    /// same exclusions, every result row read into a list.
    /// </summary>
    /// <returns>The metrics per customer.</returns>
    [Benchmark(Description = "DuckDB GROUP BY")]
    public List<DuckDbMetrics> DuckDbGroupBy()
    {
        using var command = _duckDb!.CreateCommand();
        command.CommandText = _duckDbQuery;
        using var reader = command.ExecuteReader();
        var result = new List<DuckDbMetrics>();
        while (reader.Read())
        {
            result.Add(new DuckDbMetrics(reader.GetString(0), reader.GetDateTime(1), reader.GetDateTime(2), reader.GetInt64(3), reader.GetDecimal(4)));
        }

        return result;
    }
}

/// <summary>The baseline's result for one customer.</summary>
/// <param name="CustomerId">The customer id.</param>
/// <param name="Recency">Whole days from the last purchase to the analysis date.</param>
/// <param name="Frequency">Distinct invoices.</param>
/// <param name="Monetary">The sum of the line amounts.</param>
public readonly record struct BaselineMetrics(string CustomerId, int Recency, int Frequency, decimal Monetary);

/// <summary>DuckDB's result for one customer.</summary>
/// <param name="CustomerId">The customer id.</param>
/// <param name="LastPurchase">The latest purchase.</param>
/// <param name="FirstPurchase">The first purchase.</param>
/// <param name="Frequency">Distinct invoices.</param>
/// <param name="Monetary">The sum of the line amounts.</param>
public readonly record struct DuckDbMetrics(string CustomerId, DateTime LastPurchase, DateTime FirstPurchase, long Frequency, decimal Monetary);
