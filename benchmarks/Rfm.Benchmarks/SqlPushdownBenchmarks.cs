using BenchmarkDotNet.Attributes;
using DuckDB.NET.Data;
using Rfm.Sql;

namespace Rfm.Benchmarks;

/// <summary>
/// The pipeline pushed down to DuckDB with <see cref="RfmSqlGenerator"/>, against the in-memory engine, on a generated
/// 10M-row Online Retail II file: from the file, and from a table that already lives in the database (the warehouse
/// case), where the alternative to pushdown is reading every row out into the application.
/// </summary>
/// <remarks>
/// All four give the same customers, metrics, scores and segments (the pushdown result is checked against the
/// in-memory scoring as it is read). DuckDB uses every core and its memory is native, so <c>Allocated</c> shows only
/// what .NET allocates.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class SqlPushdownBenchmarks
{
    private static readonly SqlTableName Table = new("transactions");

    private string _path = string.Empty;
    private DuckDBConnection? _loaded;
    private DateTime _asOf;

    /// <summary>Rows in the file.</summary>
    [Params(10_000_000)]
    public int Rows { get; set; }

    /// <summary>The size of the customer pool.</summary>
    [Params(100_000)]
    public int Customers { get; set; }

    /// <summary>Writes the file, and loads it once into a DuckDB table for the in-database cases.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"rfm-bench-{Environment.ProcessId}-{Rows}-{Customers}.csv");
        OnlineRetailCsv.Write(_path, Rows, Customers);
        _asOf = RfmCsv.Analyze(_path, Environment.ProcessorCount).AsOf;
        _loaded = DuckDbRfm.Open();
        Load(_loaded, _path);
    }

    /// <summary>Deletes the file and closes DuckDB.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _loaded?.Dispose();
        File.Delete(_path);
    }

    /// <summary>Baseline: <c>rfm analyze FILE</c>'s in-memory engine on every core.</summary>
    /// <returns>The result.</returns>
    [Benchmark(Baseline = true, Description = "file: in memory, all cores")]
    public RfmResult InMemoryFromFile() => RfmCsv.Analyze(_path, Environment.ProcessorCount);

    /// <summary>Load the file into a DuckDB table with exact types, then run the generated SQL there.</summary>
    /// <returns>The result.</returns>
    [Benchmark(Description = "file: DuckDB load + Rfm.Sql pushdown")]
    public RfmResult PushdownFromFile()
    {
        using var connection = DuckDbRfm.Open();
        Load(connection, _path);
        return Pushdown(connection);
    }

    /// <summary>The rows already in the database: only the per-customer result crosses to .NET.</summary>
    /// <returns>The result.</returns>
    [Benchmark(Description = "table: Rfm.Sql pushdown")]
    public RfmResult PushdownFromTable() => Pushdown(_loaded!);

    /// <summary>The rows already in the database, every one read out through a data reader into the in-memory engine.</summary>
    /// <returns>The result.</returns>
    [Benchmark(Description = "table: every row read into memory")]
    public RfmResult ReadOutFromTable()
    {
        using var command = _loaded!.CreateCommand();
        command.CommandText = "SELECT * FROM transactions";
        using var reader = command.ExecuteReader();
        return RfmCalculator.Default.Calculate(reader, TransactionColumns.OnlineRetailII, _asOf);
    }

    private RfmResult Pushdown(DuckDBConnection connection) =>
        new RfmSqlGenerator(SqlDialect.DuckDb).Query(Table, TransactionColumns.OnlineRetailII, _asOf).CalculateAsync(connection).GetAwaiter().GetResult();

    // The file's columns with exact types, as a data engineer would load it.
    private static void Load(DuckDBConnection connection, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $$"""
            CREATE TABLE transactions AS
            SELECT * FROM read_csv('{{path.Replace("'", "''", StringComparison.Ordinal)}}', header = true, delim = ',', quote = '"', escape = '"', auto_detect = false,
                timestampformat = '%Y-%m-%d %H:%M:%S',
                columns = {
                    'Invoice': 'VARCHAR', 'StockCode': 'VARCHAR', 'Description': 'VARCHAR', 'Quantity': 'BIGINT',
                    'InvoiceDate': 'TIMESTAMP', 'Price': 'DECIMAL(18,2)', 'Customer ID': 'VARCHAR', 'Country': 'VARCHAR'
                })
            """;
        command.ExecuteNonQuery();
    }
}
