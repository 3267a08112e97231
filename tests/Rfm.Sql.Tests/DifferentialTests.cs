using FsCheck.Xunit;
using Rfm.Sql.Tests.Engines;

namespace Rfm.Sql.Tests;

/// <summary>
/// Random transaction tables give the same customers (metrics, scores, segments) and the same account of every
/// row in memory, in DuckDB and in PostgreSQL, or are refused by both. The in-memory side reads the very table the
/// engine holds, through the library's data-reader ingestion. The date column is a timestamp, a timestamp with time
/// zone or text (ISO forms with offsets and white space, now and then a hostile text), under a session time zone of
/// UTC, America/New_York or Asia/Kathmandu and, on PostgreSQL, a DateStyle that reads day before month.
/// </summary>
[Properties(Arbitrary = [typeof(SqlGenerators)])]
public sealed class DifferentialTests
{
    [Property(MaxTest = 200)]
    public void DuckDb_GivesTheInMemoryResult(SqlCase c) => Run(c, SqlDialect.DuckDb).GetAwaiter().GetResult();

    [PostgresProperty(MaxTest = 100)]
    public void PostgreSql_GivesTheInMemoryResult(SqlCase c) => Run(c, SqlDialect.PostgreSql).GetAwaiter().GetResult();

    private static async Task Run(SqlCase c, SqlDialect dialect)
    {
        if (dialect == SqlDialect.PostgreSql)
        {
            await using var scope = await PostgresServer.OpenScopeAsync();
            await TransactionTable.ExecuteAsync(scope.Connection, $"SET TIME ZONE '{c.Zone}'; SET DateStyle = '{c.DateStyle}'");
            await Compare(c, dialect, scope.Connection);
        }
        else
        {
            // One database for every case: opening DuckDB costs more than a case.
            await SharedDuckDb.WaitAsync();
            try
            {
                await TransactionTable.ExecuteAsync(SharedDuckDbConnection.Value, $"SET TimeZone = '{c.Zone}'");
                await Compare(c, dialect, SharedDuckDbConnection.Value);
            }
            finally
            {
                await TransactionTable.ExecuteAsync(SharedDuckDbConnection.Value, "DROP TABLE IF EXISTS transactions");
                SharedDuckDb.Release();
            }
        }
    }

    private static readonly SemaphoreSlim SharedDuckDb = new(1, 1);

    private static readonly Lazy<DuckDB.NET.Data.DuckDBConnection> SharedDuckDbConnection = new(() => DuckDb.OpenAsync().GetAwaiter().GetResult());

    private static async Task Compare(SqlCase c, SqlDialect dialect, System.Data.Common.DbConnection connection)
    {
        var table = new TransactionTable(new SqlTableName("transactions")) { AmountColumn = c.AmountColumn, DateType = c.DateType };
        await table.CreateAsync(connection, dialect, c.Rows);

        // Half the queries are made for a timestamp column whatever the table holds: running one reads the real type.
        var generator = new RfmSqlGenerator(dialect, c.Pipeline.Calculator);
        var query = c.Rows.Length % 2 == 0 ? generator.Query(table.Name, table.Columns, c.AsOf, c.DateType) : generator.Query(table.Name, table.Columns, c.AsOf);
        RfmResult expected;
        try
        {
            expected = table.CalculateInMemory(connection, dialect, c.Pipeline.Calculator, c.AsOf);
        }
        catch (TransactionDataException refused)
        {
            var error = await Assert.ThrowsAsync<TransactionDataException>(() => query.CalculateAsync(connection));
            Assert.Equal(refused.Column, error.Column);
            return;
        }

        var actual = await query.CalculateAsync(connection);

        Same.Result(expected, actual);
    }
}
