using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using DuckDB.NET.Data;

namespace Rfm.Tests.Ingestion;

/// <summary>
/// The asynchronous reads give what the synchronous ones give, over real data readers (a CSV reader, DuckDB's, a
/// <see cref="DataTable"/>'s), into one accumulator or per partition, and asynchronous sequences, and honour progress
/// and cancellation.
/// </summary>
public sealed class AsyncIngestionTests
{
    private static readonly DateTime RetailAsOf = new(2011, 12, 10);
    private static readonly DateTime AsOf = new(2024, 2, 1);
    private static readonly TransactionColumns Columns = new() { Customer = "customer", Order = "order", Timestamp = "date", Amount = "amount" };
    private static readonly TransactionColumns PartitionColumns = Columns with { Partition = "store" };

    [Fact]
    public async Task CalculateAsync_OnlineRetailCsvReader_EqualsCalculate()
    {
        RfmResult expected;
        using (var reader = TestData.OpenOnlineRetail())
        {
            expected = RfmCalculator.Default.Calculate(reader, TransactionColumns.OnlineRetail, RetailAsOf);
        }

        var progress = new Reports();
        await using var asyncReader = TestData.OpenOnlineRetail();
        var actual = await RfmCalculator.Default.CalculateAsync(asyncReader, TransactionColumns.OnlineRetail, RetailAsOf, progress);

        AssertSame(expected, actual);
        Assert.Equal(expected.Ingestion.RowsRead, progress.Values[^1]);
        Assert.Equal(Enumerable.Range(1, (int)(expected.Ingestion.RowsRead / 16_384)).Select(i => i * 16_384L), progress.Values[..^1]);
    }

    [Fact]
    public async Task CalculateAsync_DuckDbReader_EqualsCalculate()
    {
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                CREATE TABLE sales AS
                SELECT
                    CAST(i % 997 AS BIGINT) AS customer,
                    CASE WHEN i % 13 = 0 THEN 'C' || CAST(i / 3 AS VARCHAR) ELSE CAST(i / 3 AS VARCHAR) END AS "order",
                    TIMESTAMP '2023-01-01 00:00:00' + INTERVAL (i % 420) DAY + INTERVAL (i % 86400) SECOND AS date,
                    CAST((i % 50) - 3 AS DECIMAL(12, 2)) / 4 AS amount
                FROM range(40000) t(i)
                """;
            await create.ExecuteNonQueryAsync();
        }

        RfmResult expected;
        using (var command = Query(connection))
        using (var reader = command.ExecuteReader())
        {
            expected = RfmCalculator.Default.Calculate(reader, Columns, AsOf);
        }

        await using var asyncCommand = Query(connection);
        await using var asyncReader = await asyncCommand.ExecuteReaderAsync();
        var actual = await RfmCalculator.Default.CalculateAsync(asyncReader, Columns, AsOf);

        AssertSame(expected, actual);
        Assert.Equal(40_000, actual.Ingestion.RowsRead);
        Assert.True(actual.Ingestion.Excluded(ExclusionReason.Cancellation).Rows > 0);
        Assert.True(actual.Ingestion.Excluded(ExclusionReason.AfterAsOf).Rows > 0);
    }

    [Fact]
    public async Task AddAsync_DataTableReader_EqualsAdd_AndAnUnreadableValueNamesTheSameRow()
    {
        using var table = Table(100);
        var sync = RfmCalculator.Default.CreateAccumulator(AsOf);
        using (var reader = table.CreateDataReader())
        {
            sync.Add(reader, Columns);
        }

        var async = RfmCalculator.Default.CreateAccumulator(AsOf);
        await using (var reader = table.CreateDataReader())
        {
            await async.AddAsync(reader, Columns);
        }

        AssertSame(RfmCalculator.Default.Calculate(sync), RfmCalculator.Default.Calculate(async));

        table.Rows[41]["amount"] = "12,5";
        using var badSync = table.CreateDataReader();
        var syncError = Assert.Throws<TransactionDataException>(() => RfmCalculator.Default.Calculate(badSync, Columns, AsOf));
        await using var badAsync = table.CreateDataReader();
        var asyncError = await Assert.ThrowsAsync<TransactionDataException>(() => RfmCalculator.Default.CalculateAsync(badAsync, Columns, AsOf));
        Assert.Equal(42, asyncError.Row);
        Assert.Equal("amount", asyncError.Column);
        Assert.Equal(syncError.Message, asyncError.Message);
    }

    [Fact]
    public async Task AddAsync_CancelledDuringTheRead_StopsAtTheNextRow()
    {
        using var table = Table(50_000);
        using var cancellation = new CancellationTokenSource();
        var progress = new Reports(_ => cancellation.Cancel());
        var accumulator = RfmCalculator.Default.CreateAccumulator(AsOf);
        await using var reader = table.CreateDataReader();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accumulator.AddAsync(reader, Columns, progress, cancellation.Token));

        Assert.Equal([16_384L], progress.Values);
        Assert.Equal(16_384, accumulator.RowsRead);
    }

    [Fact]
    public async Task AddAsync_AlreadyCancelled_ReadsNothing()
    {
        using var table = Table(10);
        var accumulator = RfmCalculator.Default.CreateAccumulator(AsOf);
        await using var reader = table.CreateDataReader();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accumulator.AddAsync(reader, Columns, cancellationToken: new CancellationToken(canceled: true)));

        Assert.Equal(0, accumulator.RowsRead);
    }

    [Fact]
    public async Task CalculateAsync_AsyncSequence_EqualsCalculate_AndReportsProgress()
    {
        var rows = Rows(40_000).ToList();
        var progress = new Reports();

        var actual = await RfmCalculator.Default.CalculateAsync(Stream(rows), AsOf, progress);

        AssertSame(RfmCalculator.Default.Calculate(rows, AsOf), actual);
        Assert.Equal([16_384L, 32_768L, 40_000L], progress.Values);
    }

    [Fact]
    public async Task AddAsync_AsyncSequence_Cancelled_StopsTheSequence()
    {
        using var cancellation = new CancellationTokenSource();
        var accumulator = RfmCalculator.Default.CreateAccumulator(AsOf);
        var progress = new Reports(_ => cancellation.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accumulator.AddAsync(Stream(Rows(100_000)), progress, cancellation.Token));

        Assert.Equal(16_384, accumulator.RowsRead);
    }

    [Fact]
    public async Task CalculateByPartitionAsync_DuckDbReader_EqualsCalculateByPartition()
    {
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                CREATE TABLE sales AS
                SELECT
                    CAST(i % 997 AS BIGINT) AS customer,
                    CASE WHEN i % 13 = 0 THEN 'C' || CAST(i / 3 AS VARCHAR) ELSE CAST(i / 3 AS VARCHAR) END AS "order",
                    TIMESTAMP '2023-01-01 00:00:00' + INTERVAL (i % 420) DAY + INTERVAL (i % 86400) SECOND AS date,
                    CAST((i % 50) - 3 AS DECIMAL(12, 2)) / 4 AS amount,
                    CASE i % 4 WHEN 0 THEN 'north' WHEN 1 THEN 'south' WHEN 2 THEN 'North' ELSE NULL END AS store
                FROM range(40000) t(i)
                """;
            await create.ExecuteNonQueryAsync();
        }

        PartitionedResult expected;
        using (var command = Query(connection))
        using (var reader = command.ExecuteReader())
        {
            expected = RfmCalculator.Default.CalculateByPartition(reader, PartitionColumns, AsOf);
        }

        var progress = new Reports();
        await using var asyncCommand = Query(connection);
        await using var asyncReader = await asyncCommand.ExecuteReaderAsync();
        var actual = await RfmCalculator.Default.CalculateByPartitionAsync(asyncReader, PartitionColumns, AsOf, progress);

        AssertSame(expected, actual);
        Assert.Equal(["", "North", "north", "south"], actual.Partitions.Select(p => p.Partition));
        Assert.Equal(40_000, actual.Partitions.Sum(p => p.Result.Ingestion.RowsRead));
        Assert.Equal([16_384L, 32_768L, 40_000L], progress.Values);
    }

    [Fact]
    public async Task AddAsync_Partitioned_DataTableReader_EqualsAdd_AndAnUnreadableValueNamesTheSameRow()
    {
        using var table = PartitionedTable(100);
        var sync = RfmCalculator.Default.CreatePartitionedAccumulator(AsOf);
        using (var reader = table.CreateDataReader())
        {
            sync.Add(reader, PartitionColumns);
        }

        var async = RfmCalculator.Default.CreatePartitionedAccumulator(AsOf);
        await using (var reader = table.CreateDataReader())
        {
            await async.AddAsync(reader, PartitionColumns);
        }

        Assert.Equal(3, async.Count);
        AssertSame(RfmCalculator.Default.Calculate(sync), RfmCalculator.Default.Calculate(async));

        table.Rows[41]["amount"] = "12,5";
        using var badSync = table.CreateDataReader();
        var syncError = Assert.Throws<TransactionDataException>(() => RfmCalculator.Default.CalculateByPartition(badSync, PartitionColumns, AsOf));
        await using var badAsync = table.CreateDataReader();
        var asyncError = await Assert.ThrowsAsync<TransactionDataException>(() => RfmCalculator.Default.CalculateByPartitionAsync(badAsync, PartitionColumns, AsOf));
        Assert.Equal(42, asyncError.Row);
        Assert.Equal("amount", asyncError.Column);
        Assert.Equal(syncError.Message, asyncError.Message);
    }

    [Fact]
    public async Task AddAsync_Partitioned_CancelledDuringTheRead_StopsAtTheNextRow()
    {
        using var table = PartitionedTable(50_000);
        using var cancellation = new CancellationTokenSource();
        var progress = new Reports(_ => cancellation.Cancel());
        var partitions = RfmCalculator.Default.CreatePartitionedAccumulator(AsOf);
        await using var reader = table.CreateDataReader();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => partitions.AddAsync(reader, PartitionColumns, progress, cancellation.Token));

        Assert.Equal([16_384L], progress.Values);
        Assert.Equal(16_384, partitions.Partitions.Sum(name => partitions.TryGet(name, out var accumulator) ? accumulator.RowsRead : 0));
    }

    [Fact]
    public async Task AddAsync_Partitioned_AlreadyCancelled_ReadsNothing()
    {
        using var table = PartitionedTable(10);
        var partitions = RfmCalculator.Default.CreatePartitionedAccumulator(AsOf);
        await using var reader = table.CreateDataReader();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => partitions.AddAsync(reader, PartitionColumns, cancellationToken: new CancellationToken(canceled: true)));

        Assert.Equal(0, partitions.Count);
    }

    [Fact]
    public async Task AsyncReads_RefuseTheOtherShapeOfMapping()
    {
        using var table = PartitionedTable(10);
        await using (var reader = table.CreateDataReader())
        {
            Assert.Equal("columns", (await Assert.ThrowsAsync<ArgumentException>(() => RfmCalculator.Default.CalculateAsync(reader, PartitionColumns, AsOf))).ParamName);
        }

        await using (var reader = table.CreateDataReader())
        {
            Assert.Equal("columns", (await Assert.ThrowsAsync<ArgumentException>(() => RfmCalculator.Default.CalculateByPartitionAsync(reader, Columns, AsOf))).ParamName);
        }
    }

    [Fact]
    public void AsyncMethods_ArgValidation()
    {
        var accumulator = RfmCalculator.Default.CreateAccumulator(AsOf);
        using var table = Table(1);
        using var reader = table.CreateDataReader();

        Assert.Equal("reader", ThrownAtOnce(() => _ = accumulator.AddAsync(null!, Columns)).ParamName);
        Assert.Equal("columns", ThrownAtOnce(() => _ = accumulator.AddAsync(reader, null!)).ParamName);
        Assert.Equal("transactions", ThrownAtOnce(() => _ = accumulator.AddAsync<Transaction>(null!)).ParamName);
        Assert.Equal("reader", ThrownAtOnce(() => _ = RfmCalculator.Default.CalculateAsync(null!, Columns, AsOf)).ParamName);
        Assert.Equal("columns", ThrownAtOnce(() => _ = RfmCalculator.Default.CalculateAsync(reader, null!, AsOf)).ParamName);
        Assert.Equal("transactions", ThrownAtOnce(() => _ = RfmCalculator.Default.CalculateAsync<Transaction>(null!, AsOf)).ParamName);
        var partitions = RfmCalculator.Default.CreatePartitionedAccumulator(AsOf);
        Assert.Equal("reader", ThrownAtOnce(() => _ = partitions.AddAsync(null!, PartitionColumns)).ParamName);
        Assert.Equal("columns", ThrownAtOnce(() => _ = partitions.AddAsync(reader, null!)).ParamName);
        Assert.Equal("reader", ThrownAtOnce(() => _ = RfmCalculator.Default.CalculateByPartitionAsync(null!, PartitionColumns, AsOf)).ParamName);
        Assert.Equal("columns", ThrownAtOnce(() => _ = RfmCalculator.Default.CalculateByPartitionAsync(reader, null!, AsOf)).ParamName);
    }

    // The argument is checked before the method returns a task, not when the task is awaited.
    private static ArgumentNullException ThrownAtOnce(Action call) => Assert.Throws<ArgumentNullException>(call);

    private static DbCommand Query(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM sales ORDER BY customer, date";
        return command;
    }

    // Rows of every kind: cancellations, negative money, rows after the analysis date, missing customers.
    private static IEnumerable<Transaction> Rows(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var order = (i / 3).ToString(CultureInfo.InvariantCulture);
            yield return new Transaction(
                i % 101 == 0 ? null : "c" + (i % 613).ToString(CultureInfo.InvariantCulture),
                i % 17 == 0 ? "C" + order : order,
                new DateTime(2023, 1, 1).AddHours(i % 9_000),
                ((i % 40) - 2) * 1.25m);
        }
    }

    private static DataTable Table(int count)
    {
        var table = new DataTable();
        table.Columns.Add("customer", typeof(string));
        table.Columns.Add("order", typeof(string));
        table.Columns.Add("date", typeof(DateTime));
        table.Columns.Add("amount", typeof(object));
        foreach (var row in Rows(count))
        {
            table.Rows.Add((object?)row.CustomerId ?? DBNull.Value, row.OrderId, row.Timestamp, row.Amount);
        }

        return table;
    }

    // The rows of Table, each in one of three stores, a blank store among them.
    private static DataTable PartitionedTable(int count)
    {
        var table = Table(count);
        table.Columns.Add("store", typeof(string));
        for (var i = 0; i < count; i++)
        {
            table.Rows[i]["store"] = (i % 3) switch { 0 => "north", 1 => "south", _ => " " };
        }

        return table;
    }

    private static void AssertSame(PartitionedResult expected, PartitionedResult actual)
    {
        Assert.Equal(expected.AsOf, actual.AsOf);
        Assert.Equal(expected.Partitions.Select(p => p.Partition), actual.Partitions.Select(p => p.Partition));
        foreach (var (name, result) in expected.Partitions)
        {
            Assert.True(actual.TryGetPartition(name, out var other));
            AssertSame(result, other);
        }
    }

    private static async IAsyncEnumerable<Transaction> Stream(IEnumerable<Transaction> rows, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return row;
        }
    }

    private static void AssertSame(RfmResult expected, RfmResult actual)
    {
        Assert.True(expected.Customers.Length > 0);
        Assert.Equal(expected.AsOf, actual.AsOf);
        Assert.Equal(Lines(expected), Lines(actual));
        Assert.Equal(
            (expected.Ingestion.RowsRead, expected.Ingestion.AmountRead, expected.Ingestion.RowsUsed, expected.Ingestion.AmountUsed, expected.Ingestion.Customers),
            (actual.Ingestion.RowsRead, actual.Ingestion.AmountRead, actual.Ingestion.RowsUsed, actual.Ingestion.AmountUsed, actual.Ingestion.Customers));
        Assert.Equal(expected.Ingestion.Exclusions.Select(e => $"{e}"), actual.Ingestion.Exclusions.Select(e => $"{e}"));
    }

    private static List<string> Lines(RfmResult result) =>
        [.. result.Customers.Select(c => FormattableString.Invariant($"{c.Metrics} {c.Score} {c.Segment.Key}"))];

    // Progress told on the reading thread, in order (Progress<T> would post to another).
    private sealed class Reports(Action<long>? then = null) : IProgress<long>
    {
        public List<long> Values { get; } = [];

        public void Report(long value)
        {
            Values.Add(value);
            then?.Invoke(value);
        }
    }
}
