using System.Globalization;
using BenchmarkDotNet.Attributes;
using DuckDB.NET.Data;

namespace Rfm.Benchmarks;

/// <summary>
/// The whole job end to end, from a generated Online Retail II CSV file on disk to scored, segmented customers in
/// memory: DuckDB's <c>read_csv</c> and SQL (the baseline), a plain LINQ program over <see cref="File.ReadLines(string)"/>,
/// and rfm's engine. All three give the same customers, metrics, scores and segments.
/// </summary>
/// <remarks>
/// DuckDB uses every core and its memory is native, so the <c>Allocated</c> column shows only what the .NET side
/// allocates for it (the result rows). The file is written once per process and read by every invocation, so after
/// the first it comes from the page cache: this measures parsing and analysis, not the disk.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class CsvPipelineBenchmarks
{
    private const int Bins = 5;
    private static readonly double[] InnerQuantiles = [0.2, 0.4, 0.6, 0.8];

    private string _path = string.Empty;
    private DuckDBConnection? _duckDb;

    /// <summary>Rows in the file.</summary>
    [Params(1_000_000)]
    public int Rows { get; set; }

    /// <summary>The size of the customer pool.</summary>
    [Params(100_000)]
    public int Customers { get; set; }

    /// <summary>Writes the file to a temporary path and opens DuckDB.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"rfm-bench-{Environment.ProcessId}-{Rows}-{Customers}.csv");
        OnlineRetailCsv.Write(_path, Rows, Customers);
        _duckDb = DuckDbRfm.Open();
    }

    /// <summary>Deletes the file and closes DuckDB.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _duckDb?.Dispose();
        File.Delete(_path);
    }

    /// <summary>Baseline from outside .NET: the <c>duckdb-rfm</c> statement, with the rows read into memory instead of copied to a file.</summary>
    /// <returns>One row per customer, ordered by customer id.</returns>
    [Benchmark(Baseline = true, Description = "DuckDB read_csv + GROUP BY")]
    public List<RfmRow> DuckDb() => DuckDbRfm.Read(_duckDb!, _path);

    /// <summary>
    /// What one would write without a library or a CSV parser: split each line on commas (the quoted description may
    /// hold commas, so the columns after it are counted from the right), filter as the default policy does, group
    /// by customer with LINQ, then score by linear quantiles and segment with the classic grid.
    /// </summary>
    /// <returns>One row per customer, ordered by customer id.</returns>
    [Benchmark(Description = "LINQ over File.ReadLines")]
    public List<RfmRow> Linq()
    {
        var customers = File.ReadLines(_path)
            .Skip(1)
            .Select(line => line.Split(','))
            .Select(fields => (
                Invoice: fields[0],
                Quantity: decimal.Parse(fields[^5], CultureInfo.InvariantCulture),
                Date: DateTime.ParseExact(fields[^4], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Price: decimal.Parse(fields[^3], CultureInfo.InvariantCulture),
                Customer: fields[^2]))
            .Where(l => !string.IsNullOrWhiteSpace(l.Customer) && !l.Invoice.StartsWith('C') && l.Quantity > 0m && l.Price > 0m)
            .GroupBy(l => l.Customer, StringComparer.Ordinal)
            .Select(g => (
                Customer: g.Key,
                Last: g.Max(l => l.Date),
                Frequency: (long)g.Select(l => l.Invoice).Distinct(StringComparer.Ordinal).Count(),
                Monetary: g.Sum(l => l.Quantity * l.Price)))
            .OrderBy(c => c.Customer, StringComparer.Ordinal)
            .ToList();

        var asOf = customers.Max(c => c.Last).Date.AddDays(1);
        var recency = customers.Select(c => (int)((asOf - c.Last).Ticks / TimeSpan.TicksPerDay)).ToArray();
        var recencyEdges = InnerEdges(recency.Select(r => (double)r));
        var frequencyEdges = InnerEdges(customers.Select(c => (double)c.Frequency));
        var monetaryEdges = InnerEdges(customers.Select(c => (double)c.Monetary));
        return customers
            .Select((c, i) =>
            {
                var r = Bins + 1 - Score(recency[i], recencyEdges);
                var f = Score(c.Frequency, frequencyEdges);
                return new RfmRow(c.Customer, recency[i], c.Frequency, c.Monetary, r, f, Score((double)c.Monetary, monetaryEdges), Segment(r, f));
            })
            .ToList();
    }

    /// <summary>rfm's engine on one core.</summary>
    /// <returns>The result.</returns>
    [Benchmark(Description = "Rfm, 1 thread")]
    public RfmResult RfmOneThread() => RfmCsv.Analyze(_path, threads: 1);

    /// <summary>rfm's engine on every core: the same analysis as <c>rfm analyze FILE</c>.</summary>
    /// <returns>The result.</returns>
    [Benchmark(Description = "Rfm, all cores")]
    public RfmResult Rfm() => RfmCsv.Analyze(_path, Environment.ProcessorCount);

    // The linear (type 7) quantiles at 0.2, 0.4, 0.6 and 0.8.
    private static double[] InnerEdges(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return InnerQuantiles
            .Select(p =>
            {
                var index = (sorted.Length - 1) * p;
                var lower = (int)index;
                return lower + 1 < sorted.Length ? sorted[lower] + ((sorted[lower + 1] - sorted[lower]) * (index - lower)) : sorted[lower];
            })
            .ToArray();
    }

    // Bins closed on the right, the lowest value in bin 1.
    private static int Score(double value, double[] innerEdges) => 1 + innerEdges.Count(edge => edge < value);

    // The classic R x F grid.
    private static string Segment(int r, int f) => (r, f) switch
    {
        (5, >= 4) => "champions",
        (3 or 4, >= 4) => "loyal_customers",
        (>= 4, 2 or 3) => "potential_loyalists",
        (5, 1) => "new_customers",
        (4, 1) => "promising",
        (3, 3) => "need_attention",
        (3, _) => "about_to_sleep",
        (_, 3 or 4) => "at_risk",
        (_, 5) => "cant_lose",
        _ => "hibernating",
    };
}
