using DuckDB.NET.Data;

namespace Rfm.Sql.Tests.Engines;

/// <summary>DuckDB in process: a new in-memory database per connection.</summary>
internal static class DuckDb
{
    public static async Task<DuckDBConnection> OpenAsync()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        return connection;
    }
}
