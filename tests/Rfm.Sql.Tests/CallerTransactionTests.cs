using System.Data.Common;
using System.Globalization;
using Rfm.Sql.Tests.Engines;
using static Rfm.Sql.Tests.WriteBackTests;

namespace Rfm.Sql.Tests;

/// <summary>
/// Running inside the caller's transaction: every statement sees the rows it has written and not committed, nothing is
/// begun or committed, and rolling it back leaves nothing behind.
/// </summary>
public sealed class CallerTransactionTests
{
    private static readonly DateTime AsOf = new(2024, 11, 2);
    private static readonly SqlTableName Sales = new("sales");
    private static readonly SqlTableName Target = new("rfm_results");
    private static readonly SqlTableName History = new("rfm_history");
    private static readonly SqlTableName Simple = new("rfm_simple");
    private static readonly SqlTableName ByStore = new("sales_by_store");
    private static readonly TransactionColumns Columns = new() { Customer = "customer_id", Order = "invoice", Timestamp = "purchased_at", Amount = "amount" };

    [Fact]
    public Task DuckDb_InsideTheCallersTransaction_SeesItsRows_AndARollbackLeavesNothing() => OnDuckDb(InsideTheCallersTransaction_SeesItsRows_AndARollbackLeavesNothing);

    [PostgresFact]
    public Task PostgreSql_InsideTheCallersTransaction_SeesItsRows_AndARollbackLeavesNothing() => OnPostgres(InsideTheCallersTransaction_SeesItsRows_AndARollbackLeavesNothing);

    [Fact]
    public Task DuckDb_InsideTheCallersTransaction_TheCallerCommits() => OnDuckDb(InsideTheCallersTransaction_TheCallerCommits);

    [PostgresFact]
    public Task PostgreSql_InsideTheCallersTransaction_TheCallerCommits() => OnPostgres(InsideTheCallersTransaction_TheCallerCommits);

    [Fact]
    public Task DuckDb_ByPartition_InsideTheCallersTransaction_SeesItsRows() => OnDuckDb(ByPartition_InsideTheCallersTransaction_SeesItsRows);

    [PostgresFact]
    public Task PostgreSql_ByPartition_InsideTheCallersTransaction_SeesItsRows() => OnPostgres(ByPartition_InsideTheCallersTransaction_SeesItsRows);

    [Fact]
    public async Task ATransactionOfAnotherConnection_IsRefused()
    {
        await using var connection = await DuckDb.OpenAsync();
        await using var other = await DuckDb.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        var query = new RfmSqlGenerator(SqlDialect.DuckDb).Query(Sales, Columns, AsOf);

        Assert.Equal("transaction", Assert.Throws<ArgumentException>(() => { _ = query.CalculateAsync(connection, transaction); }).ParamName);
        Assert.Equal("transaction", (await Assert.ThrowsAsync<ArgumentException>(() => query.ReadIngestionAsync(connection, transaction))).ParamName);
        Assert.Equal("transaction", Assert.Throws<ArgumentException>(() => { _ = query.CreateTableAsync(connection, Simple, false, transaction); }).ParamName);
        var partitioned = new RfmSqlGenerator(SqlDialect.DuckDb).Query(Sales, Columns with { Partition = "customer_id" }, AsOf);
        Assert.Equal("transaction", Assert.Throws<ArgumentException>(() => { _ = partitioned.CalculateByPartitionAsync(connection, transaction); }).ParamName);
        Assert.Equal("transaction", (await Assert.ThrowsAsync<ArgumentException>(() => new RfmSqlGenerator(SqlDialect.DuckDb).ReadSegmentsAsync(connection, History, AsOf, transaction))).ParamName);
    }

    private static async Task InsideTheCallersTransaction_SeesItsRows_AndARollbackLeavesNothing(DbConnection connection, SqlDialect dialect)
    {
        await CreateSalesAsync(connection, dialect, 0, 300);
        var query = new RfmSqlGenerator(dialect).Query(Sales, Columns, AsOf);
        var committed = await query.CalculateAsync(connection);

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await InsertSalesAsync(connection, 300, 420, new DateTime(2024, 2, 1), transaction);
            await ExecuteAsync(connection, "INSERT INTO sales VALUES (2000, 'N1', TIMESTAMP '2024-11-01 10:00:00', 20.00)", transaction);
            var expected = InMemory(connection, dialect, AsOf, transaction);

            var result = await query.CalculateAsync(connection, transaction);
            var ingestion = await query.ReadIngestionAsync(connection, transaction);
            var written = await query.WriteResultsAsync(connection, Target, History, transaction);
            var simple = await query.CreateTableAsync(connection, Simple, replace: false, transaction);

            Assert.Equal(421, expected.Ingestion.RowsRead);
            Assert.Equal(300, committed.Ingestion.RowsRead);
            Same.Result(expected, result);
            Same.Ingestion(expected.Ingestion, ingestion.Summary(expected.Customers.Length));
            Same.Ingestion(expected.Ingestion, written);
            Same.Ingestion(expected.Ingestion, simple);
            Assert.Contains(result.Customers, customer => customer.CustomerId == "2000");
            Assert.Equal(Expected(expected), await ReadTableAsync(connection, Target, AsOf, transaction));
            Assert.Equal(Expected(expected), await ReadTableAsync(connection, History, AsOf, transaction));
            Assert.Equal(expected.Customers.Length, Count(await ScalarAsync(connection, "SELECT COUNT(*) FROM rfm_simple", transaction)));

            await transaction.RollbackAsync();
        }

        Assert.Equal(300, Count(await ScalarAsync(connection, "SELECT COUNT(*) FROM sales")));
        Assert.Equal(0, Count(await ScalarAsync(connection, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name IN ('rfm_results', 'rfm_history', 'rfm_simple')")));
        Assert.Equal(0, Count(await ScalarAsync(connection, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name LIKE 'rfm_result_%' AND table_name <> 'rfm_results'")));

        // Nothing of the transaction is left open: the library's own transaction can begin.
        Same.Result(committed, await query.CalculateAsync(connection));
    }

    private static async Task InsideTheCallersTransaction_TheCallerCommits(DbConnection connection, SqlDialect dialect)
    {
        await CreateSalesAsync(connection, dialect, 0, 300);
        var query = new RfmSqlGenerator(dialect).Query(Sales, Columns, AsOf);

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await query.WriteResultsAsync(connection, Target, History, transaction);

            // Still the caller's: the method neither committed nor ended it.
            Assert.Same(connection, transaction.Connection);
            await ExecuteAsync(connection, "DELETE FROM sales WHERE customer_id = 1000", transaction);
            await transaction.CommitAsync();
        }

        var expected = await query.CalculateAsync(connection);
        Assert.DoesNotContain(expected.Customers, customer => customer.CustomerId == "1000");
        Assert.Contains(await ReadTableAsync(connection, Target, AsOf), line => line.Split('|')[1] == "1000");
        Assert.Equal(0, Count(await ScalarAsync(connection, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name LIKE 'rfm_result_%' AND table_name <> 'rfm_results'")));
    }

    private static async Task ByPartition_InsideTheCallersTransaction_SeesItsRows(DbConnection connection, SqlDialect dialect)
    {
        // The stores are a view over the sales, so that rows inserted into the sales in the transaction are in it too.
        await CreateSalesAsync(connection, dialect, 0, 300);
        await ExecuteAsync(connection, "CREATE VIEW sales_by_store AS SELECT *, CASE WHEN customer_id % 3 = 0 THEN 'north' WHEN customer_id % 3 = 1 THEN 'south' ELSE NULL END AS store FROM sales");
        var columns = Columns with { Partition = "store" };
        var query = new RfmSqlGenerator(dialect).Query(ByStore, columns, AsOf);
        var committed = await query.CalculateByPartitionAsync(connection);

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await InsertSalesAsync(connection, 300, 420, new DateTime(2024, 2, 1), transaction);
            await ExecuteAsync(connection, "INSERT INTO sales VALUES (2000, 'N1', TIMESTAMP '2024-11-01 10:00:00', 20.00)", transaction);
            PartitionedResult expected;
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = $"SELECT * FROM {ByStore.ToSql(dialect)}";
                await using var reader = await command.ExecuteReaderAsync();
                expected = await RfmCalculator.Default.CalculateByPartitionAsync(reader, columns, AsOf);
            }

            var result = await query.CalculateByPartitionAsync(connection, transaction);

            Assert.Equal(421, expected.Partitions.Sum(p => p.Result.Ingestion.RowsRead));
            Assert.Equal(300, committed.Partitions.Sum(p => p.Result.Ingestion.RowsRead));
            Assert.Equal(["", "north", "south"], result.Partitions.Select(p => p.Partition));
            Assert.Equal(expected.Partitions.Select(p => p.Partition), result.Partitions.Select(p => p.Partition));
            foreach (var (store, inMemory) in expected.Partitions)
            {
                Assert.True(result.TryGetPartition(store, out var inDatabase));
                Same.Result(inMemory, inDatabase);
            }

            // Customer 2000 (2000 % 3 = 2) is in the store without a name, the partition "".
            Assert.True(result.TryGetPartition(string.Empty, out var unnamed));
            Assert.Contains(unnamed.Customers, customer => customer.CustomerId == "2000");

            // Still the caller's: the method neither committed nor ended it.
            Assert.Same(connection, transaction.Connection);
            await transaction.RollbackAsync();
        }

        var again = await query.CalculateByPartitionAsync(connection);
        Assert.Equal(committed.Partitions.Select(p => p.Partition), again.Partitions.Select(p => p.Partition));
        foreach (var (store, before) in committed.Partitions)
        {
            Assert.True(again.TryGetPartition(store, out var after));
            Same.Result(before, after);
        }
    }

    private static RfmResult InMemory(DbConnection connection, SqlDialect dialect, DateTime asOf, DbTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT * FROM {Sales.ToSql(dialect)}";
        using var reader = command.ExecuteReader();
        return RfmCalculator.Default.Calculate(reader, Columns, asOf);
    }

    private static int Count(object? value) => Convert.ToInt32(value, CultureInfo.InvariantCulture);

    private static async Task OnDuckDb(Func<DbConnection, SqlDialect, Task> test)
    {
        await using var connection = await DuckDb.OpenAsync();
        await test(connection, SqlDialect.DuckDb);
    }

    private static async Task OnPostgres(Func<DbConnection, SqlDialect, Task> test)
    {
        await using var scope = await PostgresServer.OpenScopeAsync();
        await test(scope.Connection, SqlDialect.PostgreSql);
    }
}
