using System.Data.Common;
using System.Globalization;
using Rfm.Segmentation;
using Rfm.Sql.Tests.Engines;
using static Rfm.Sql.Tests.WriteBackTests;

namespace Rfm.Sql.Tests;

/// <summary>
/// Writing a result calculated in memory into the result and history tables: the same table as
/// <see cref="RfmSqlQuery.WriteResultsAsync"/> writes from the same rows (columns, types, contents, keys), refreshed in
/// place, a history idempotent per analysis date, and rows that a table could not hold exactly refused before
/// anything is written.
/// </summary>
public sealed class SqlResultWriterTests
{
    private static readonly DateTime Night1 = new(2024, 11, 1);
    private static readonly DateTime Night2 = new(2024, 11, 2);
    private static readonly SqlTableName Sales = new("sales");
    private static readonly SqlTableName Target = new("rfm_results");
    private static readonly SqlTableName History = new("rfm_history");
    private static readonly TransactionColumns Columns = new() { Customer = "customer_id", Order = "invoice", Timestamp = "purchased_at", Amount = "amount" };

    [Fact]
    public Task DuckDb_FromMemory_EqualsTheTableWrittenInSql() => OnDuckDb(FromMemory_EqualsTheTableWrittenInSql);

    [PostgresFact]
    public Task PostgreSql_FromMemory_EqualsTheTableWrittenInSql() => OnPostgres(FromMemory_EqualsTheTableWrittenInSql);

    [Fact]
    public Task DuckDb_History_IsIdempotentPerAnalysisDate() => OnDuckDb(History_IsIdempotentPerAnalysisDate);

    [PostgresFact]
    public Task PostgreSql_History_IsIdempotentPerAnalysisDate() => OnPostgres(History_IsIdempotentPerAnalysisDate);

    [Fact]
    public Task DuckDb_SegmentTextsWithQuotesAndNewlines_AreWrittenExactly() => OnDuckDb(SegmentTextsWithQuotesAndNewlines_AreWrittenExactly);

    [PostgresFact]
    public Task PostgreSql_SegmentTextsWithQuotesAndNewlines_AreWrittenExactly() => OnPostgres(SegmentTextsWithQuotesAndNewlines_AreWrittenExactly);

    [Fact]
    public Task DuckDb_AnIdThatIsNotABigint_IsRefused_NamingTheCustomer_AndNothingIsWritten() => OnDuckDb(AnIdThatIsNotABigint_IsRefused_NamingTheCustomer_AndNothingIsWritten);

    [PostgresFact]
    public Task PostgreSql_AnIdThatIsNotABigint_IsRefused_NamingTheCustomer_AndNothingIsWritten() => OnPostgres(AnIdThatIsNotABigint_IsRefused_NamingTheCustomer_AndNothingIsWritten);

    [Fact]
    public Task DuckDb_TextIds_StayText_AndTheCallersTransactionDecides() => OnDuckDb(TextIds_StayText_AndTheCallersTransactionDecides);

    [PostgresFact]
    public Task PostgreSql_TextIds_StayText_AndTheCallersTransactionDecides() => OnPostgres(TextIds_StayText_AndTheCallersTransactionDecides);

    [PostgresFact]
    public async Task PostgreSql_Refresh_KeepsTheTableAndItsGrants()
    {
        await using var scope = await PostgresServer.OpenScopeAsync();
        var connection = scope.Connection;
        await CreateSalesAsync(connection, SqlDialect.PostgreSql, 0, 400);
        var writer = new SqlResultWriter(SqlDialect.PostgreSql, SqlCustomerIdType.BigInt);
        await writer.WriteAsync(connection, InMemory(connection, SqlDialect.PostgreSql, RfmCalculator.Default, Night1), Target);
        await ExecuteAsync(connection, "GRANT SELECT ON rfm_results TO PUBLIC");
        await ExecuteAsync(connection, "CREATE VIEW champions AS SELECT customer_id FROM rfm_results WHERE segment_key = 'champions'");
        var oid = await ScalarAsync(connection, "SELECT CAST('rfm_results'::regclass AS oid)");

        await ExecuteAsync(connection, "INSERT INTO sales VALUES (1003, 'N1', TIMESTAMP '2024-11-01 10:00:00', 900.00), (2000, 'N5', TIMESTAMP '2024-11-01 14:00:00', 20.00)");
        var night2 = InMemory(connection, SqlDialect.PostgreSql, RfmCalculator.Default, Night2);
        await writer.WriteAsync(connection, night2, Target);

        Assert.Equal(oid, await ScalarAsync(connection, "SELECT CAST('rfm_results'::regclass AS oid)"));
        Assert.Equal(true, await ScalarAsync(connection, "SELECT has_table_privilege('public', 'rfm_results', 'SELECT')"));
        Assert.Equal(Expected(night2), await ReadTableAsync(connection, Target, Night2));
        Assert.Equal(night2.Customers.LongCount(c => c.Segment.Key == "champions"), await ScalarAsync(connection, "SELECT COUNT(*) FROM champions"));
    }

    [Fact]
    public async Task DuckDb_MoneyBeyondTheMoneyType_IsRefused_AndPostgreSqlNumericHoldsIt()
    {
        await using var connection = await DuckDb.OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE sales (customer_id BIGINT, invoice VARCHAR, purchased_at TIMESTAMP, amount DECIMAL(18, 3))");
        await ExecuteAsync(connection, "INSERT INTO sales VALUES (1, 'A', TIMESTAMP '2024-10-01 10:00:00', 10.500), (2, 'B', TIMESTAMP '2024-10-02 10:00:00', 1.005)");
        var result = InMemory(connection, SqlDialect.DuckDb, RfmCalculator.Default, Night1);

        // 10.500 is 10.50 exactly, 1.005 is not: the default DECIMAL(38,2) would round it.
        var error = await Assert.ThrowsAsync<ArgumentException>(() => new SqlResultWriter(SqlDialect.DuckDb, SqlCustomerIdType.BigInt).WriteAsync(connection, result, Target));
        Assert.Equal("result", error.ParamName);
        Assert.Contains("customer '2', column monetary, value '1.005'", error.Message, StringComparison.Ordinal);
        Assert.Contains("would be rounded", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<DbException>(() => ScalarAsync(connection, "SELECT COUNT(*) FROM rfm_results"));

        var tooLarge = await Assert.ThrowsAsync<ArgumentException>(() => new SqlResultWriter(SqlDialect.DuckDb, SqlCustomerIdType.BigInt, "DECIMAL(4,3)").WriteAsync(connection, result, Target));
        Assert.Contains("customer '1', column monetary, value '10.5", tooLarge.Message, StringComparison.Ordinal);
        Assert.Contains("would overflow", tooLarge.Message, StringComparison.Ordinal);

        var written = await new SqlResultWriter(SqlDialect.DuckDb, SqlCustomerIdType.BigInt, "DECIMAL(38,3)").WriteAsync(connection, result, Target);
        Assert.Equal(2, written);
        Assert.Equal(Expected(result), await ReadTableAsync(connection, Target, Night1));
        Assert.Equal("DECIMAL(38,3)", (await TypesAsync(connection, SqlDialect.DuckDb, "rfm_results"))["monetary"]);
    }

    [PostgresFact]
    public async Task PostgreSql_ANulInText_AndATimestampFinerThanAMicrosecond_AreRefused_NamingTheCustomer()
    {
        await using var scope = await PostgresServer.OpenScopeAsync();
        var connection = scope.Connection;
        var writer = new SqlResultWriter(SqlDialect.PostgreSql);
        var nul = RfmCalculator.Default.Calculate([new Transaction("a\0b", "A", new DateTime(2024, 10, 1), 5m)], Night1);
        var fine = RfmCalculator.Default.Calculate([new Transaction("c-1", "A", new DateTime(2024, 10, 1).AddTicks(5), 5m)], Night1);

        var text = await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteAsync(connection, nul, Target));
        var time = await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteAsync(connection, fine, Target));
        var asOf = await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteAsync(connection, RfmCalculator.Default.Calculate([new Transaction("c-1", "A", new DateTime(2024, 10, 1), 5m)], Night1.AddTicks(1)), Target));

        Assert.Contains("customer 'a\\u0000b', column customer_id", text.Message, StringComparison.Ordinal);
        Assert.Contains("NUL", text.Message, StringComparison.Ordinal);
        Assert.Contains("customer 'c-1', column first_purchase, value '2024-10-01T00:00:00.0000005'", time.Message, StringComparison.Ordinal);
        Assert.Contains("its analysis_date '2024-11-01T00:00:00.0000001'", asOf.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'rfm_results'"));
    }

    [Fact]
    public async Task ManyCustomers_CrossBatches_AndEqualTheSqlTable()
    {
        await using var connection = await DuckDb.OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE sales (customer_id BIGINT, invoice VARCHAR, purchased_at TIMESTAMP, amount DECIMAL(18, 2))");
        await ExecuteAsync(
            connection,
            $"INSERT INTO sales SELECT i % {(SqlResultWriter.BatchSize * 2) + 7}, 'I' || CAST(i AS VARCHAR), TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i % 290) DAY, CAST((i % 97) + 1 AS DECIMAL(18, 2)) / 4 FROM range(5000) t(i)");
        var result = InMemory(connection, SqlDialect.DuckDb, RfmCalculator.Default, Night1);

        var written = await new SqlResultWriter(SqlDialect.DuckDb, SqlCustomerIdType.BigInt).WriteAsync(connection, result, Target);
        await new RfmSqlGenerator(SqlDialect.DuckDb).Query(Sales, Columns, Night1).WriteResultsAsync(connection, new SqlTableName("rfm_sql"));

        Assert.Equal((SqlResultWriter.BatchSize * 2) + 7, written);
        Assert.Equal(await ReadTableAsync(connection, new SqlTableName("rfm_sql"), Night1), await ReadTableAsync(connection, Target, Night1));
        Assert.Equal(Expected(result), await ReadTableAsync(connection, Target, Night1));
    }

    [Fact]
    public async Task Constructor_ArgValidation()
    {
        Assert.Equal("dialect", Assert.Throws<ArgumentNullException>(() => new SqlResultWriter(null!)).ParamName);
        Assert.Equal("customerIdType", Assert.Throws<ArgumentOutOfRangeException>(() => new SqlResultWriter(SqlDialect.DuckDb, (SqlCustomerIdType)7)).ParamName);
        Assert.Equal("moneyType", Assert.Throws<ArgumentException>(() => new SqlResultWriter(SqlDialect.DuckDb, moneyType: "DOUBLE")).ParamName);
        Assert.Equal("moneyType", Assert.Throws<ArgumentException>(() => new SqlResultWriter(SqlDialect.DuckDb, moneyType: "numeric(10,2); DROP TABLE sales")).ParamName);
        Assert.Equal("moneyType", Assert.Throws<ArgumentException>(() => new SqlResultWriter(SqlDialect.DuckDb, moneyType: "decimal(2,3)")).ParamName);
        Assert.Contains("PostgreSQL and DuckDB", Assert.Throws<NotSupportedException>(() => new SqlResultWriter(SqlDialect.SparkSql)).Message, StringComparison.Ordinal);
        Assert.Equal("numeric", new SqlResultWriter(SqlDialect.PostgreSql).MoneyType);
        Assert.Equal("DECIMAL(38,2)", new SqlResultWriter(SqlDialect.DuckDb).MoneyType);
        Assert.Equal(SqlCustomerIdType.Text, new SqlResultWriter(SqlDialect.DuckDb).CustomerIdType);

        await using var connection = await DuckDb.OpenAsync();
        await using var other = await DuckDb.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        var writer = new SqlResultWriter(SqlDialect.DuckDb);
        var result = RfmCalculator.Default.Calculate([new Transaction("a", "1", new DateTime(2024, 10, 1), 5m)], Night1);
        Assert.Equal("connection", Assert.Throws<ArgumentNullException>(() => { _ = writer.WriteAsync(null!, result, Target); }).ParamName);
        Assert.Equal("result", Assert.Throws<ArgumentNullException>(() => { _ = writer.WriteAsync(connection, null!, Target); }).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentNullException>(() => { _ = writer.WriteAsync(connection, result, null!); }).ParamName);
        Assert.Equal("history", Assert.Throws<ArgumentException>(() => { _ = writer.WriteAsync(connection, result, Target, new SqlTableName("rfm_results")); }).ParamName);
        Assert.Equal("transaction", Assert.Throws<ArgumentException>(() => { _ = writer.WriteAsync(connection, result, Target, transaction: transaction); }).ParamName);
    }

    private static async Task FromMemory_EqualsTheTableWrittenInSql(DbConnection connection, SqlDialect dialect)
    {
        await CreateSalesAsync(connection, dialect, 0, 400);
        var query = new RfmSqlGenerator(dialect).Query(Sales, Columns, Night1);
        await query.WriteResultsAsync(connection, new SqlTableName("rfm_sql"), new SqlTableName("rfm_sql_history"));
        var result = InMemory(connection, dialect, RfmCalculator.Default, Night1);
        var writer = new SqlResultWriter(dialect, SqlCustomerIdType.BigInt);

        var written = await writer.WriteAsync(connection, result, Target, History);

        Assert.Equal(result.Customers.Length, written);
        Assert.Equal(await TypesAsync(connection, dialect, "rfm_sql"), await TypesAsync(connection, dialect, "rfm_results"));
        Assert.Equal(await TypesAsync(connection, dialect, "rfm_sql_history"), await TypesAsync(connection, dialect, "rfm_history"));
        Assert.Equal(await ReadTableAsync(connection, new SqlTableName("rfm_sql"), Night1), await ReadTableAsync(connection, Target, Night1));
        Assert.Equal(await ReadTableAsync(connection, new SqlTableName("rfm_sql_history"), Night1), await ReadTableAsync(connection, History, Night1));
        Assert.Equal(Expected(result), await ReadTableAsync(connection, Target, Night1));

        // The primary keys: a second row for a customer is refused, in either table.
        await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync(connection, "INSERT INTO rfm_results SELECT * FROM rfm_results WHERE customer_id = 1000"));
        await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync(connection, "INSERT INTO rfm_history SELECT * FROM rfm_history WHERE customer_id = 1000"));

        // Each path accepts the other's tables as its own shape.
        await query.WriteResultsAsync(connection, Target, History);
        await writer.WriteAsync(connection, result, new SqlTableName("rfm_sql"), new SqlTableName("rfm_sql_history"));
        Assert.Equal(Expected(result), await ReadTableAsync(connection, Target, Night1));
        Assert.Equal(Expected(result), await ReadTableAsync(connection, new SqlTableName("rfm_sql_history"), Night1));
    }

    private static async Task History_IsIdempotentPerAnalysisDate(DbConnection connection, SqlDialect dialect)
    {
        await CreateSalesAsync(connection, dialect, 0, 400);
        var writer = new SqlResultWriter(dialect, SqlCustomerIdType.BigInt);
        var night1 = InMemory(connection, dialect, RfmCalculator.Default, Night1);
        await writer.WriteAsync(connection, night1, Target, History);
        await ExecuteAsync(connection, "INSERT INTO sales VALUES (1003, 'N1', TIMESTAMP '2024-11-01 10:00:00', 900.00), (1039, 'N4', TIMESTAMP '2024-11-01 13:00:00', 1500.00), (2000, 'N5', TIMESTAMP '2024-11-01 14:00:00', 20.00)");
        var night2 = InMemory(connection, dialect, RfmCalculator.Default, Night2);

        await writer.WriteAsync(connection, night2, Target, History);
        await writer.WriteAsync(connection, night2, Target, History);

        Assert.Equal(Expected(night1), await ReadTableAsync(connection, History, Night1));
        Assert.Equal(Expected(night2), await ReadTableAsync(connection, History, Night2));
        Assert.Equal(Expected(night2), await ReadTableAsync(connection, Target, Night2));
        Assert.Equal(night1.Customers.Length + night2.Customers.Length, Convert.ToInt32(await ScalarAsync(connection, "SELECT COUNT(*) FROM rfm_history"), CultureInfo.InvariantCulture));
        Assert.Equal(night2.Customers.Length, Convert.ToInt32(await ScalarAsync(connection, "SELECT COUNT(*) FROM rfm_results"), CultureInfo.InvariantCulture));

        var generator = new RfmSqlGenerator(dialect);
        var fromHistory = SegmentMigration.Between(await generator.ReadSegmentsAsync(connection, History, Night1), await generator.ReadSegmentsAsync(connection, History, Night2), generator.Calculator.SegmentMap);
        var inMemory = SegmentMigration.Between(night1, night2, generator.Calculator.SegmentMap);
        Assert.True(inMemory.Changed.Length > 0);
        Assert.Equal(inMemory.Moves.Select(m => m.ToString()), fromHistory.Moves.Select(m => m.ToString()));
    }

    private static async Task SegmentTextsWithQuotesAndNewlines_AreWrittenExactly(DbConnection connection, SqlDialect dialect)
    {
        await CreateSalesAsync(connection, dialect, 0, 400);
        var quoted = new Segment("quoted", "Bob's \"best\"'; DROP TABLE sales; --\nsecond line", "Everyone.", "Say 'hi' \\ twice\r\n$1 @x :y", "Email \"O'Brien\" list\n");
        var calculator = new RfmCalculator(segmentMap: SegmentMaps.FromPatterns("quotes", [new("...", quoted)]));
        var result = InMemory(connection, dialect, calculator, Night1);

        await new SqlResultWriter(dialect, SqlCustomerIdType.BigInt).WriteAsync(connection, result, Target, History);

        Assert.Equal(Expected(result), await ReadTableAsync(connection, Target, Night1));
        var read = await new RfmSqlGenerator(dialect, calculator).ReadSegmentsAsync(connection, History, Night1);
        Assert.Equal(result.Customers.Length, read.Count);
        Assert.All(read, pair => Assert.Same(quoted, pair.Value));
        Assert.Equal(400L, Convert.ToInt64(await ScalarAsync(connection, "SELECT COUNT(*) FROM sales"), CultureInfo.InvariantCulture));
    }

    private static async Task AnIdThatIsNotABigint_IsRefused_NamingTheCustomer_AndNothingIsWritten(DbConnection connection, SqlDialect dialect)
    {
        await CreateSalesAsync(connection, dialect, 0, 400);
        var writer = new SqlResultWriter(dialect, SqlCustomerIdType.BigInt);
        var night1 = InMemory(connection, dialect, RfmCalculator.Default, Night1);
        await writer.WriteAsync(connection, night1, Target, History);

        foreach (var id in new[] { "C-17", "007", "+5", "9223372036854775808" })
        {
            var bad = RfmCalculator.Default.Calculate(
                [new Transaction("1000", "A", new DateTime(2024, 10, 1), 5m), new Transaction(id, "B", new DateTime(2024, 10, 2), 7m)],
                Night2);

            var error = await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteAsync(connection, bad, Target, History));

            Assert.Equal("result", error.ParamName);
            Assert.Contains($"customer '{id}', column customer_id, value '{id}'", error.Message, StringComparison.Ordinal);
            Assert.Contains("Nothing was written", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(Expected(night1), await ReadTableAsync(connection, Target, Night1));
        Assert.Equal(Expected(night1), await ReadTableAsync(connection, History, Night1));
        Assert.Equal(0L, Convert.ToInt64(await ScalarAsync(connection, "SELECT COUNT(*) FROM rfm_history WHERE analysis_date <> CAST('2024-11-01' AS TIMESTAMP)"), CultureInfo.InvariantCulture));

        var integer = RfmCalculator.Default.Calculate([new Transaction("3000000000", "A", new DateTime(2024, 10, 1), 5m)], Night2);
        var overflow = await Assert.ThrowsAsync<ArgumentException>(() => new SqlResultWriter(dialect, SqlCustomerIdType.Integer).WriteAsync(connection, integer, new SqlTableName("rfm_int")));
        Assert.Contains("customer '3000000000', column customer_id", overflow.Message, StringComparison.Ordinal);
    }

    private static async Task TextIds_StayText_AndTheCallersTransactionDecides(DbConnection connection, SqlDialect dialect)
    {
        var result = RfmCalculator.Default.Calculate(
            [
                new Transaction("o'brien \"x\"", "A", new DateTime(2024, 10, 1, 10, 0, 0), 5.25m),
                new Transaction("007", "B", new DateTime(2024, 10, 2, 11, 30, 0, 500), 7m),
                new Transaction("007", "C", new DateTime(2024, 10, 20), 1.125m),
            ],
            Night1);
        var writer = new SqlResultWriter(dialect);

        await using (var rolledBack = await connection.BeginTransactionAsync())
        {
            await writer.WriteAsync(connection, result, Target, History, rolledBack);
            Assert.Equal(2L, Convert.ToInt64(await ScalarAsync(connection, "SELECT COUNT(*) FROM rfm_results", rolledBack), CultureInfo.InvariantCulture));
            await rolledBack.RollbackAsync();
        }

        await Assert.ThrowsAnyAsync<DbException>(() => ScalarAsync(connection, "SELECT COUNT(*) FROM rfm_results"));

        await using (var committed = await connection.BeginTransactionAsync())
        {
            await writer.WriteAsync(connection, result, Target, History, committed);
            await committed.CommitAsync();
        }

        Assert.Equal(dialect == SqlDialect.PostgreSql ? "text" : "VARCHAR", (await TypesAsync(connection, dialect, "rfm_results"))["customer_id"]);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT customer_id, monetary, first_purchase, last_purchase FROM rfm_results ORDER BY customer_id";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(FormattableString.Invariant($"{reader.GetString(0)}|{reader.GetDecimal(1):G29}|{reader.GetDateTime(2):O}|{reader.GetDateTime(3):O}"));
        }

        Assert.Equal(
            result.Customers.OrderBy(c => c.CustomerId, StringComparer.Ordinal).Select(c => FormattableString.Invariant($"{c.CustomerId}|{c.Metrics.Monetary:G29}|{c.Metrics.FirstPurchase:O}|{c.Metrics.LastPurchase:O}")),
            rows);
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
