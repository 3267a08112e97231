using FsCheck.Xunit;
using Rfm.Sql.Tests.Engines;

namespace Rfm.Sql.Tests;

/// <summary>
/// Random transaction tables give the same customers (metrics, scores, segments) and the same account of every
/// row in memory, in DuckDB and in PostgreSQL. The in-memory side reads the very table the engine holds, through
/// the library's data-reader ingestion.
/// </summary>
[Properties(Arbitrary = [typeof(SqlGenerators)])]
public sealed class DifferentialTests
{
    [Property(MaxTest = 300)]
    public void DuckDb_GivesTheInMemoryResult(SqlCase c) => Run(c, SqlDialect.DuckDb).GetAwaiter().GetResult();

    [PostgresProperty(MaxTest = 150)]
    public void PostgreSql_GivesTheInMemoryResult(SqlCase c) => Run(c, SqlDialect.PostgreSql).GetAwaiter().GetResult();

    private static async Task Run(SqlCase c, SqlDialect dialect)
    {
        if (dialect == SqlDialect.PostgreSql)
        {
            await using var scope = await PostgresServer.OpenScopeAsync();
            await Compare(c, dialect, scope.Connection);
        }
        else
        {
            // One database for every case: opening DuckDB costs more than a case.
            await SharedDuckDb.WaitAsync();
            try
            {
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
        var table = new TransactionTable(new SqlTableName("transactions")) { AmountColumn = c.AmountColumn };
        await table.CreateAsync(connection, dialect, c.Rows);
        var expected = table.CalculateInMemory(connection, dialect, c.Pipeline.Calculator, c.AsOf);
        var query = new RfmSqlGenerator(dialect, c.Pipeline.Calculator).Query(table.Name, table.Columns, c.AsOf);

        var actual = await query.CalculateAsync(connection);

        Same.Result(expected, actual);
    }
}
