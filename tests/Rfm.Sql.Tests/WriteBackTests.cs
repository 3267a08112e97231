using System.Data.Common;
using System.Globalization;
using Rfm.Segmentation;
using Rfm.Sql.Tests.Engines;

namespace Rfm.Sql.Tests;

/// <summary>
/// Writing a result back into the database: a result table keyed by customer with the customer id in its source type,
/// refreshed in place (grants and views survive), a history table keyed by analysis date and customer that a segment
/// migration can be read from, and a table of another shape refused.
/// </summary>
public sealed class WriteBackTests
{
    private static readonly DateTime Night1 = new(2024, 11, 1);
    private static readonly DateTime Night2 = new(2024, 11, 2);
    private static readonly SqlTableName Sales = new("sales");
    private static readonly SqlTableName Target = new("rfm_results");
    private static readonly SqlTableName History = new("rfm_history");
    private static readonly TransactionColumns Columns = new() { Customer = "customer_id", Order = "invoice", Timestamp = "purchased_at", Amount = "amount" };

    [Fact]
    public Task DuckDb_CreatesTheTable_EqualToTheInMemoryResult_KeyedByTheBigintId() => OnDuckDb(CreatesTheTable_EqualToTheInMemoryResult_KeyedByTheBigintId);

    [PostgresFact]
    public Task PostgreSql_CreatesTheTable_EqualToTheInMemoryResult_KeyedByTheBigintId() => OnPostgres(CreatesTheTable_EqualToTheInMemoryResult_KeyedByTheBigintId);

    [Fact]
    public Task DuckDb_Refresh_KeepsViews_AndRerunningANightChangesNothing() => OnDuckDb(Refresh_KeepsViews_AndRerunningANightChangesNothing);

    [PostgresFact]
    public Task PostgreSql_Refresh_KeepsViews_AndRerunningANightChangesNothing() => OnPostgres(Refresh_KeepsViews_AndRerunningANightChangesNothing);

    [Fact]
    public Task DuckDb_MigrationFromTheHistory_EqualsTheMigrationInMemory() => OnDuckDb(MigrationFromTheHistory_EqualsTheMigrationInMemory);

    [PostgresFact]
    public Task PostgreSql_MigrationFromTheHistory_EqualsTheMigrationInMemory() => OnPostgres(MigrationFromTheHistory_EqualsTheMigrationInMemory);

    [Fact]
    public Task DuckDb_ATableOfAnotherShape_IsRefused_NamingTheDifference_AndKeepsItsRows() => OnDuckDb(ATableOfAnotherShape_IsRefused_NamingTheDifference_AndKeepsItsRows);

    [PostgresFact]
    public Task PostgreSql_ATableOfAnotherShape_IsRefused_NamingTheDifference_AndKeepsItsRows() => OnPostgres(ATableOfAnotherShape_IsRefused_NamingTheDifference_AndKeepsItsRows);

    [Fact]
    public Task DuckDb_SegmentTextsWithQuotes_AreWrittenAndReadBackExactly() => OnDuckDb(SegmentTextsWithQuotes_AreWrittenAndReadBackExactly);

    [PostgresFact]
    public Task PostgreSql_SegmentTextsWithQuotes_AreWrittenAndReadBackExactly() => OnPostgres(SegmentTextsWithQuotes_AreWrittenAndReadBackExactly);

    [PostgresFact]
    public async Task PostgreSql_Refresh_KeepsTheTableAndItsGrants()
    {
        await using var scope = await PostgresServer.OpenScopeAsync();
        var connection = scope.Connection;
        await CreateSalesAsync(connection, SqlDialect.PostgreSql, 0, 400);
        var generator = new RfmSqlGenerator(SqlDialect.PostgreSql);
        await generator.Query(Sales, Columns, Night1).WriteResultsAsync(connection, Target);
        await ExecuteAsync(connection, "GRANT SELECT ON rfm_results TO PUBLIC");
        var oid = await ScalarAsync(connection, "SELECT CAST('rfm_results'::regclass AS oid)");

        await AddNightTwoAsync(connection, SqlDialect.PostgreSql);
        await generator.Query(Sales, Columns, Night2).WriteResultsAsync(connection, Target);

        Assert.Equal(oid, await ScalarAsync(connection, "SELECT CAST('rfm_results'::regclass AS oid)"));
        Assert.Equal(
            1L,
            await ScalarAsync(
                connection,
                $"SELECT COUNT(*) FROM information_schema.table_privileges WHERE table_schema = '{scope.Schema}' AND table_name = 'rfm_results' AND grantee = 'PUBLIC' AND privilege_type = 'SELECT'"));
        Assert.Equal(true, await ScalarAsync(connection, "SELECT has_table_privilege('public', 'rfm_results', 'SELECT')"));
        Assert.Equal(Expected(InMemory(connection, SqlDialect.PostgreSql, RfmCalculator.Default, Night2)), await ReadTableAsync(connection, Target, Night2));
    }

    [Fact]
    public async Task SparkSql_WritingBack_IsRefusedClearly()
    {
        await using var connection = await DuckDb.OpenAsync();
        var query = new RfmSqlGenerator(SqlDialect.SparkSql).Query(Sales, Columns, Night1);

        var error = Assert.Throws<NotSupportedException>(() => { _ = query.WriteResultsAsync(connection, Target); });

        Assert.Contains("PostgreSQL and DuckDB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteResultsAsync_ArgValidation()
    {
        await using var connection = await DuckDb.OpenAsync();
        await using var other = await DuckDb.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        var query = new RfmSqlGenerator(SqlDialect.DuckDb).Query(Sales, Columns, Night1);

        Assert.Equal("connection", Assert.Throws<ArgumentNullException>(() => { _ = query.WriteResultsAsync(null!, Target); }).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentNullException>(() => { _ = query.WriteResultsAsync(connection, null!); }).ParamName);
        Assert.Equal("history", Assert.Throws<ArgumentException>(() => { _ = query.WriteResultsAsync(connection, Target, new SqlTableName("rfm_results")); }).ParamName);
        Assert.Equal("transaction", Assert.Throws<ArgumentException>(() => { _ = query.WriteResultsAsync(connection, Target, transaction: transaction); }).ParamName);
    }

    [PostgresFact]
    public async Task PostgreSql_AVarcharId_StaysVarchar_AndAViewOfTheTargetsName_IsRefused()
    {
        await using var scope = await PostgresServer.OpenScopeAsync();
        var connection = scope.Connection;
        await ExecuteAsync(connection, "CREATE TABLE sales (customer_id VARCHAR(12), invoice TEXT, purchased_at TIMESTAMP, amount NUMERIC(12, 2))");
        await ExecuteAsync(connection, "INSERT INTO sales VALUES ('a-1', '1', TIMESTAMP '2024-10-01 10:00:00', 10.50), ('b-2', '2', TIMESTAMP '2024-10-05 10:00:00', 3.25)");
        var query = new RfmSqlGenerator(SqlDialect.PostgreSql).Query(Sales, Columns, Night1);

        await query.WriteResultsAsync(connection, Target);

        Assert.Equal("character varying(12)", Convert.ToString(await ScalarAsync(connection, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'rfm_results'::regclass AND attname = 'customer_id'"), CultureInfo.InvariantCulture));
        await ExecuteAsync(connection, "CREATE VIEW rfm_view AS SELECT * FROM rfm_results");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => query.WriteResultsAsync(connection, new SqlTableName("rfm_view")));
        Assert.Contains("'rfm_view' is a view, not a table", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuckDb_AnIdOfAListType_IsRefused_NamingTheColumn()
    {
        await using var connection = await DuckDb.OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE sales (customer_id INTEGER[], invoice VARCHAR, purchased_at TIMESTAMP, amount DECIMAL(12, 2))");
        await ExecuteAsync(connection, "INSERT INTO sales VALUES ([1, 2], '1', TIMESTAMP '2024-10-01 10:00:00', 10.50)");
        var query = new RfmSqlGenerator(SqlDialect.DuckDb).Query(Sales, Columns, Night1);

        var error = await Assert.ThrowsAsync<TransactionDataException>(() => query.WriteResultsAsync(connection, Target));

        Assert.Equal("customer_id", error.Column);
        Assert.Contains("of type INTEGER[], which a result table cannot repeat", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<DbException>(() => ScalarAsync(connection, "SELECT COUNT(*) FROM rfm_results"));
    }

    [Fact]
    public async Task DuckDb_HostileTableNames_AreQuoted()
    {
        await using var connection = await DuckDb.OpenAsync();
        await CreateSalesAsync(connection, SqlDialect.DuckDb, 0, 100);
        var target = new SqlTableName("rfm \"results\"; DROP TABLE sales; --");
        var history = new SqlTableName("it's history");
        var query = new RfmSqlGenerator(SqlDialect.DuckDb).Query(Sales, Columns, Night1);

        await query.WriteResultsAsync(connection, target, history);
        await query.WriteResultsAsync(connection, target, history);

        var expected = Expected(InMemory(connection, SqlDialect.DuckDb, RfmCalculator.Default, Night1));
        Assert.Equal(expected, await ReadTableAsync(connection, target, Night1));
        Assert.Equal(expected, await ReadTableAsync(connection, history, Night1));
        Assert.Equal(100L, Convert.ToInt64(await ScalarAsync(connection, "SELECT COUNT(*) FROM sales"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ReadSegmentsAsync_ArgValidation()
    {
        await using var connection = await DuckDb.OpenAsync();
        var generator = new RfmSqlGenerator(SqlDialect.DuckDb);

        Assert.Equal("connection", (await Assert.ThrowsAsync<ArgumentNullException>(() => generator.ReadSegmentsAsync(null!, History, Night1))).ParamName);
        Assert.Equal("table", (await Assert.ThrowsAsync<ArgumentNullException>(() => generator.ReadSegmentsAsync(connection, null!, Night1))).ParamName);
    }

    private static async Task CreatesTheTable_EqualToTheInMemoryResult_KeyedByTheBigintId(DbConnection connection, SqlDialect dialect)
    {
        await CreateSalesAsync(connection, dialect, 0, 400);
        var query = new RfmSqlGenerator(dialect).Query(Sales, Columns, Night1);

        var summary = await query.WriteResultsAsync(connection, Target);

        var expected = InMemory(connection, dialect, RfmCalculator.Default, Night1);
        Same.Ingestion(expected.Ingestion, summary);
        Assert.Equal(Expected(expected), await ReadTableAsync(connection, Target, Night1));
        Assert.Equal(Expected(await query.CalculateAsync(connection)), await ReadTableAsync(connection, Target, Night1));
        Assert.True(expected.Segments.Length > 3);

        var types = await TypesAsync(connection, dialect, "rfm_results");
        Assert.Equal(["analysis_date", "customer_id", "recency", "frequency", "monetary", "first_purchase", "last_purchase", "lines", "tenure", "r_score", "f_score", "m_score", "segment_key", "segment_name", "action", "channel"], types.Keys);
        Assert.Equal("bigint", types["customer_id"], ignoreCase: true);
        Assert.StartsWith(dialect == SqlDialect.DuckDb ? "DECIMAL" : "numeric", types["monetary"], StringComparison.OrdinalIgnoreCase);

        // The primary key: a second row for a customer is refused.
        await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync(connection, "INSERT INTO rfm_results SELECT * FROM rfm_results WHERE customer_id = 1000"));
    }

    private static async Task Refresh_KeepsViews_AndRerunningANightChangesNothing(DbConnection connection, SqlDialect dialect)
    {
        await CreateSalesAsync(connection, dialect, 0, 400);
        var generator = new RfmSqlGenerator(dialect);
        await generator.Query(Sales, Columns, Night1).WriteResultsAsync(connection, Target, History);
        await ExecuteAsync(connection, "CREATE VIEW champions AS SELECT customer_id, segment_name FROM rfm_results WHERE segment_key = 'champions'");

        await AddNightTwoAsync(connection, dialect);
        var night2 = generator.Query(Sales, Columns, Night2);
        await night2.WriteResultsAsync(connection, Target, History);
        var again = await night2.WriteResultsAsync(connection, Target, History);

        var expected = InMemory(connection, dialect, RfmCalculator.Default, Night2);
        Assert.Equal(expected.Customers.Length, again.Customers);
        Assert.Equal(Expected(expected), await ReadTableAsync(connection, Target, Night2));
        Assert.Equal(Expected(expected), await ReadTableAsync(connection, History, Night2));
        Assert.Equal(Expected(InMemory(connection, dialect, RfmCalculator.Default, Night1)), await ReadTableAsync(connection, History, Night1));
        Assert.Equal(
            expected.Customers.Count(c => c.Segment.Key == "champions"),
            Convert.ToInt32(await ScalarAsync(connection, "SELECT COUNT(*) FROM champions"), CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(await ScalarAsync(connection, "SELECT COUNT(*) FROM rfm_results WHERE analysis_date <> CAST('2024-11-02' AS TIMESTAMP)"), CultureInfo.InvariantCulture));
    }

    private static async Task MigrationFromTheHistory_EqualsTheMigrationInMemory(DbConnection connection, SqlDialect dialect)
    {
        await CreateSalesAsync(connection, dialect, 0, 400);
        var generator = new RfmSqlGenerator(dialect);
        await generator.Query(Sales, Columns, Night1).WriteResultsAsync(connection, Target, History);
        var before = InMemory(connection, dialect, RfmCalculator.Default, Night1);
        await AddNightTwoAsync(connection, dialect);
        await generator.Query(Sales, Columns, Night2).WriteResultsAsync(connection, Target, History);
        var after = InMemory(connection, dialect, RfmCalculator.Default, Night2);

        var fromHistory = SegmentMigration.Between(
            await generator.ReadSegmentsAsync(connection, History, Night1),
            await generator.ReadSegmentsAsync(connection, History, Night2),
            generator.Calculator.SegmentMap);
        var inMemory = SegmentMigration.Between(before, after, generator.Calculator.SegmentMap);

        Assert.True(inMemory.Changed.Length > 0);
        Assert.Equal(inMemory.Moves.Select(m => m.ToString()), fromHistory.Moves.Select(m => m.ToString()));
        Assert.Equal(inMemory.Cells.Select(c => c.ToString()), fromHistory.Cells.Select(c => c.ToString()));
        Assert.Equal(inMemory.Segments.Select(s => s.Key), fromHistory.Segments.Select(s => s.Key));
        Assert.Empty(await generator.ReadSegmentsAsync(connection, History, Night2.AddDays(1)));
    }

    private static async Task ATableOfAnotherShape_IsRefused_NamingTheDifference_AndKeepsItsRows(DbConnection connection, SqlDialect dialect)
    {
        await CreateSalesAsync(connection, dialect, 0, 400);
        var text = dialect == SqlDialect.PostgreSql ? "TEXT" : "VARCHAR";
        await ExecuteAsync(connection, $"CREATE TABLE rfm_results (analysis_date TIMESTAMP, customer_id {text} PRIMARY KEY, recency INTEGER, segment_key {text})");
        await ExecuteAsync(connection, "INSERT INTO rfm_results VALUES (TIMESTAMP '2024-01-01 00:00:00', 'x', 1, 'k')");
        var query = new RfmSqlGenerator(dialect).Query(Sales, Columns, Night1);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => query.WriteResultsAsync(connection, Target, History));

        Assert.Contains("'rfm_results' exists but does not hold this result", error.Message, StringComparison.Ordinal);
        Assert.Contains("it has no column frequency, monetary", error.Message, StringComparison.Ordinal);
        Assert.Contains("its column customer_id is of type", error.Message, StringComparison.Ordinal);
        Assert.Equal(1L, Convert.ToInt64(await ScalarAsync(connection, "SELECT COUNT(*) FROM rfm_results"), CultureInfo.InvariantCulture));
        await Assert.ThrowsAnyAsync<DbException>(() => ScalarAsync(connection, "SELECT COUNT(*) FROM rfm_history"));

        // A history table of the result's columns but another money scale would round the money: refused too.
        await ExecuteAsync(connection, "DROP TABLE rfm_results");
        await query.WriteResultsAsync(connection, Target);
        await ExecuteAsync(connection, "CREATE TABLE rfm_history AS SELECT * FROM rfm_results WHERE 1 = 0");
        await ExecuteAsync(connection, "ALTER TABLE rfm_history ALTER COLUMN monetary TYPE DECIMAL(20, 1)");
        var scale = await Assert.ThrowsAsync<InvalidOperationException>(() => query.WriteResultsAsync(connection, Target, History));
        Assert.Contains("'rfm_history' exists but does not hold this result: its column monetary is of type", scale.Message, StringComparison.Ordinal);
    }

    private static async Task SegmentTextsWithQuotes_AreWrittenAndReadBackExactly(DbConnection connection, SqlDialect dialect)
    {
        await CreateSalesAsync(connection, dialect, 0, 400);
        var quoted = new Segment("quoted", "Bob's \"best\"'; DROP TABLE sales; --", "Everyone.", "Say 'hi' \\ twice", "Email \"O'Brien\" list\n$1 @x :y");
        var calculator = new RfmCalculator(segmentMap: SegmentMaps.FromPatterns("quotes", [new("...", quoted)]));
        var generator = new RfmSqlGenerator(dialect, calculator);

        await generator.Query(Sales, Columns, Night1).WriteResultsAsync(connection, Target, History);

        var expected = InMemory(connection, dialect, calculator, Night1);
        Assert.Equal(Expected(expected), await ReadTableAsync(connection, Target, Night1));
        var read = await generator.ReadSegmentsAsync(connection, History, Night1);
        Assert.Equal(expected.Customers.Length, read.Count);
        Assert.All(read, pair => Assert.Same(quoted, pair.Value));
    }

    // The rows as the library reads them through a data reader, calculated in memory.
    internal static RfmResult InMemory(DbConnection connection, SqlDialect dialect, RfmCalculator calculator, DateTime asOf, DbTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT * FROM {Sales.ToSql(dialect)}";
        using var reader = command.ExecuteReader();
        return calculator.Calculate(reader, Columns, asOf);
    }

    /// <summary>A result as the lines a result table should hold.</summary>
    internal static List<string> Expected(RfmResult result) =>
        [.. result.Customers.Select(c => string.Join(
            '|',
            result.AsOf.ToString("O", CultureInfo.InvariantCulture), c.CustomerId, c.Metrics.Recency, c.Metrics.Frequency, c.Metrics.Monetary.ToString("G29", CultureInfo.InvariantCulture),
            c.Metrics.FirstPurchase.ToString("O", CultureInfo.InvariantCulture), c.Metrics.LastPurchase.ToString("O", CultureInfo.InvariantCulture),
            c.Metrics.Lines, c.Metrics.Tenure, c.Score.R, c.Score.F, c.Score.M, c.Segment.Key, c.Segment.Name, c.Segment.SuggestedAction, c.Segment.SuggestedChannel))];

    /// <summary>The rows of a result or history table for one analysis date, as <see cref="Expected"/> writes them.</summary>
    internal static async Task<List<string>> ReadTableAsync(DbConnection connection, SqlTableName table, DateTime asOf, DbTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var dialect = connection is Npgsql.NpgsqlConnection ? SqlDialect.PostgreSql : SqlDialect.DuckDb;
        command.CommandText = $"SELECT * FROM {table.ToSql(dialect)} WHERE analysis_date = CAST('{asOf:yyyy-MM-dd HH:mm:ss}' AS TIMESTAMP)";
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<(long Id, string Line)>();
        while (await reader.ReadAsync())
        {
            string Text(string column) => Convert.ToString(reader[column], CultureInfo.InvariantCulture)!;
            var id = (long)reader["customer_id"];
            lines.Add((id, string.Join(
                '|',
                ((DateTime)reader["analysis_date"]).ToString("O", CultureInfo.InvariantCulture), id.ToString(CultureInfo.InvariantCulture), Text("recency"), Text("frequency"),
                ((decimal)reader["monetary"]).ToString("G29", CultureInfo.InvariantCulture),
                ((DateTime)reader["first_purchase"]).ToString("O", CultureInfo.InvariantCulture), ((DateTime)reader["last_purchase"]).ToString("O", CultureInfo.InvariantCulture),
                Text("lines"), Text("tenure"), Text("r_score"), Text("f_score"), Text("m_score"), Text("segment_key"), Text("segment_name"), Text("action"), Text("channel"))));
        }

        // The in-memory result lists customers by id as text, ordinally.
        return [.. lines.OrderBy(line => line.Id.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal).Select(line => line.Line)];
    }

    /// <summary>
    /// A table of sales with a bigint customer id: rows <paramref name="from"/> to <paramref name="to"/> of a fixed
    /// pattern, 40 customers, cancellations among them.
    /// </summary>
    internal static async Task CreateSalesAsync(DbConnection connection, SqlDialect dialect, int from, int to, DbTransaction? transaction = null)
    {
        await ExecuteAsync(connection, "CREATE TABLE sales (customer_id BIGINT, invoice VARCHAR(20), purchased_at TIMESTAMP, amount DECIMAL(18, 2))", transaction);
        await InsertSalesAsync(connection, from, to, new DateTime(2024, 1, 1), transaction);
    }

    internal static async Task InsertSalesAsync(DbConnection connection, int from, int to, DateTime start, DbTransaction? transaction = null)
    {
        var values = Enumerable.Range(from, to - from).Select(i => FormattableString.Invariant(
            $"({1000 + (i * 7 % 40)}, '{(i % 23 == 0 ? "C" : "INV")}{i / 2}', TIMESTAMP '{start.AddDays(i * 37 % 300).AddHours(i % 24):yyyy-MM-dd HH:mm:ss}', {((i * 13 % 200) + 1) / 4m:0.00})"));
        await ExecuteAsync(connection, $"INSERT INTO sales VALUES {string.Join(", ", values)}", transaction);
    }

    // Night two: a burst of orders on the first of November moves some customers.
    private static Task AddNightTwoAsync(DbConnection connection, SqlDialect dialect) =>
        ExecuteAsync(connection, "INSERT INTO sales VALUES (1003, 'N1', TIMESTAMP '2024-11-01 10:00:00', 900.00), (1017, 'N2', TIMESTAMP '2024-11-01 11:00:00', 5.00), (1017, 'N3', TIMESTAMP '2024-11-01 12:00:00', 5.00), (1039, 'N4', TIMESTAMP '2024-11-01 13:00:00', 1500.00), (2000, 'N5', TIMESTAMP '2024-11-01 14:00:00', 20.00)");

    internal static async Task<Dictionary<string, string>> TypesAsync(DbConnection connection, SqlDialect dialect, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = dialect == SqlDialect.DuckDb
            ? $"SELECT column_name, column_type FROM (DESCRIBE {table})"
            : $"SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table}' ORDER BY ordinal_position";
        await using var reader = await command.ExecuteReaderAsync();
        var types = new Dictionary<string, string>();
        while (await reader.ReadAsync())
        {
            types.Add(reader.GetString(0), reader.GetString(1));
        }

        return types;
    }

    internal static async Task ExecuteAsync(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    internal static async Task<object?> ScalarAsync(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
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
