using Npgsql;

namespace Rfm.Sql.Tests.Engines;

/// <summary>
/// The PostgreSQL server the tests run against: <c>RFM_TEST_POSTGRES</c> (a connection string) or the one
/// <c>.ci/postgres</c> starts on 127.0.0.1:5432. Each test works in a schema of its own, dropped afterwards.
/// </summary>
internal static class PostgresServer
{
    public const string Default = "Host=127.0.0.1;Port=5432;Username=rfm;Password=rfm;Database=rfm_tests;Timeout=5";

    private static readonly Lazy<string?> Unavailable = new(Probe);

    public static string ConnectionString => Environment.GetEnvironmentVariable("RFM_TEST_POSTGRES") is { Length: > 0 } configured ? configured : Default;

    /// <summary>Why the tests cannot reach the server, or null when they can. In CI the server must be there: never a reason to skip.</summary>
    public static string? SkipReason =>
        Unavailable.Value is { } problem && Environment.GetEnvironmentVariable("CI") is not "true"
            ? $"PostgreSQL is not reachable ({problem}); run .ci/postgres to start one on loopback, or set RFM_TEST_POSTGRES."
            : null;

    /// <summary>A connection whose search path is a new, empty schema; the schema is dropped when the scope is disposed.</summary>
    public static async Task<PostgresScope> OpenScopeAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var schema = "rfm_test_" + Guid.NewGuid().ToString("N");
        await using (var command = new NpgsqlCommand($"CREATE SCHEMA {schema}; SET search_path TO {schema}", connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new PostgresScope(connection, schema);
    }

    private static string? Probe()
    {
        try
        {
            using var connection = new NpgsqlConnection(ConnectionString);
            connection.Open();
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return ex.Message;
        }
    }
}

/// <summary>An open connection in a schema of its own.</summary>
internal sealed class PostgresScope(NpgsqlConnection connection, string schema) : IAsyncDisposable
{
    public NpgsqlConnection Connection { get; } = connection;

    public string Schema { get; } = schema;

    public async ValueTask DisposeAsync()
    {
        await using (var command = new NpgsqlCommand($"DROP SCHEMA {Schema} CASCADE", Connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        await Connection.DisposeAsync();
    }
}

/// <summary>A fact that needs the PostgreSQL server: skipped, saying why, only outside CI when no server answers.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        Skip = PostgresServer.SkipReason;
    }
}

/// <summary>An FsCheck property that needs the PostgreSQL server; see <see cref="PostgresFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PostgresPropertyAttribute : FsCheck.Xunit.PropertyAttribute
{
    public PostgresPropertyAttribute()
    {
        Skip = PostgresServer.SkipReason;
    }
}

/// <summary>A theory that needs the PostgreSQL server; see <see cref="PostgresFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        Skip = PostgresServer.SkipReason;
    }
}
