using System.Data.Common;
using Rfm.Sql.Tests.Engines;

namespace Rfm.Sql.Tests;

/// <summary>
/// Materialising the result as a table: the same customers the streamed result holds, replaced only when asked,
/// and never created from input with a row that has no date or no money.
/// </summary>
public sealed class TableTests
{
    private static readonly DateTime AsOf = new(2011, 3, 1);
    private static readonly SqlTableName Target = new("rfm_customers");

    private static readonly TestRow[] Rows =
    [
        new("a", "1", new DateTime(2011, 1, 3, 10, 0, 0), 2m, 1.5m),
        new("a", "2", new DateTime(2011, 2, 3, 10, 0, 0), 1m, 10m),
        new("b", "C7", new DateTime(2011, 1, 5), 1m, 4m),
        new("b", "3", new DateTime(2011, 1, 9), 3m, 2.25m),
        new("c", null, new DateTime(2011, 2, 27, 23, 59, 59), 1m, 99m),
        new(" ", "4", new DateTime(2011, 2, 1), 1m, 1m),
        new("d", "5", new DateTime(2011, 3, 2), 1m, 1m),
    ];

    [Fact]
    public Task DuckDb_CreatesTheTable_AndReplacesOnlyWhenAsked() => OnDuckDb(CreatesTheTable_AndReplacesOnlyWhenAsked);

    [PostgresFact]
    public Task PostgreSql_CreatesTheTable_AndReplacesOnlyWhenAsked() => OnPostgres(CreatesTheTable_AndReplacesOnlyWhenAsked);

    [Fact]
    public Task DuckDb_RowWithoutDate_IsAnError_AndNoTableIsCreated() => OnDuckDb(RowWithoutDate_IsAnError_AndNoTableIsCreated);

    [PostgresFact]
    public Task PostgreSql_RowWithoutDate_IsAnError_AndNoTableIsCreated() => OnPostgres(RowWithoutDate_IsAnError_AndNoTableIsCreated);

    [Theory]
    [InlineData("DOUBLE", "floating-point money")]
    [InlineData("FLOAT", "floating-point money")]
    [InlineData("VARCHAR", "text as numbers")]
    public async Task DuckDb_FloatingPointOrTextMoney_IsRefusedUpFront_SayingWhatToDo(string type, string problem)
    {
        await using var connection = await DuckDb.OpenAsync();
        await TransactionTable.ExecuteAsync(connection, $"CREATE TABLE sales (customer VARCHAR, day TIMESTAMP, amount {type})");
        await TransactionTable.ExecuteAsync(connection, "INSERT INTO sales VALUES ('a', TIMESTAMP '2011-01-01 10:00:00', 0.1), ('a', TIMESTAMP '2011-01-02 10:00:00', 0.2)");
        var query = new RfmSqlGenerator(SqlDialect.DuckDb).Query(new SqlTableName("sales"), new TransactionColumns { Customer = "customer", Timestamp = "day", Amount = "amount" }, AsOf);

        foreach (var run in new Func<Task>[] { () => query.CalculateAsync(connection), () => query.ReadIngestionAsync(connection), () => query.CreateTableAsync(connection, Target) })
        {
            var error = await Assert.ThrowsAsync<TransactionDataException>(run);

            Assert.Equal("amount", error.Column);
            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
            Assert.Contains("cast it to NUMERIC or DECIMAL in a view", error.Message, StringComparison.Ordinal);
        }

        await Assert.ThrowsAnyAsync<DbException>(() => TransactionTable.ExecuteAsync(connection, $"SELECT * FROM {Target.ToSql(SqlDialect.DuckDb)}"));
    }

    private static async Task CreatesTheTable_AndReplacesOnlyWhenAsked(DbConnection connection, SqlDialect dialect)
    {
        var table = new TransactionTable(new SqlTableName("transactions"));
        await table.CreateAsync(connection, dialect, Rows);
        var query = new RfmSqlGenerator(dialect).Query(table.Name, table.Columns, AsOf);

        var ingestion = await query.CreateTableAsync(connection, Target);
        var streamed = await query.CalculateAsync(connection);

        Same.Ingestion(streamed.Ingestion, ingestion);
        Assert.Equal(Same.Lines(streamed), await ReadTable(connection, dialect));
        await Assert.ThrowsAnyAsync<DbException>(() => query.CreateTableAsync(connection, Target));

        var later = new RfmSqlGenerator(dialect).Query(table.Name, table.Columns, AsOf.AddDays(10));
        await later.CreateTableAsync(connection, Target, replace: true);
        Assert.Equal(Same.Lines(await later.CalculateAsync(connection)), await ReadTable(connection, dialect));
    }

    private static async Task RowWithoutDate_IsAnError_AndNoTableIsCreated(DbConnection connection, SqlDialect dialect)
    {
        var table = new TransactionTable(new SqlTableName("transactions"));
        await table.CreateAsync(connection, dialect, [.. Rows, new TestRow("e", "9", null, 1m, 1m)]);
        var query = new RfmSqlGenerator(dialect).Query(table.Name, table.Columns, AsOf);

        var error = await Assert.ThrowsAsync<TransactionDataException>(() => query.CreateTableAsync(connection, Target));

        Assert.Contains("Column 'purchased_at': 1 row(s) have no value", error.Message, StringComparison.Ordinal);
        Assert.Equal("purchased_at", error.Column);
        Assert.Contains("customer 'e'", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<TransactionDataException>(() => query.CalculateAsync(connection));
        await Assert.ThrowsAnyAsync<DbException>(() => TransactionTable.ExecuteAsync(connection, $"SELECT * FROM {Target.ToSql(dialect)}"));
    }

    // The created table, read as the comparison lines of a result.
    private static async Task<List<string>> ReadTable(DbConnection connection, SqlDialect dialect)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {Target.ToSql(dialect)} ORDER BY customer_id";
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            var r = Convert.ToInt32(reader["r_score"], System.Globalization.CultureInfo.InvariantCulture);
            var f = Convert.ToInt32(reader["f_score"], System.Globalization.CultureInfo.InvariantCulture);
            var m = Convert.ToInt32(reader["m_score"], System.Globalization.CultureInfo.InvariantCulture);
            lines.Add(string.Join(
                '|',
                reader["customer_id"], reader["recency"], reader["frequency"], ((decimal)reader["monetary"]).ToString("G29", System.Globalization.CultureInfo.InvariantCulture),
                ((DateTime)reader["first_purchase"]).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ((DateTime)reader["last_purchase"]).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                reader["lines"], reader["tenure"], new Rfm.Scoring.RfmScore(r, f, m), reader["segment"]));
        }

        return lines;
    }

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
