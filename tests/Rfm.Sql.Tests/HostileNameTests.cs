using Rfm.Sql.Tests.Engines;

namespace Rfm.Sql.Tests;

/// <summary>
/// Names and values that would break a statement spliced together from text: quotes, semicolons, comments. They are
/// quoted (names) or bound (values), so the statement does what it says on both engines, and names that cannot be
/// quoted safely are refused before any SQL is written.
/// </summary>
public sealed class HostileNameTests
{
    public static TheoryData<string> HostileNames => new()
    {
        "orders\"; DROP TABLE victim; --",
        "a`b",
        "it's",
        "/* comment */ x",
        "-- line comment",
        "semi;colon",
        "Grüße ☃",
        "\"",
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task DuckDb_HostileTableAndColumnNames_AreQuoted(string name) =>
        await RunHostile(SqlDialect.DuckDb, name, async () => await DuckDb.OpenAsync(), c => c.DisposeAsync());

    [PostgresTheory]
    [MemberData(nameof(HostileNames))]
    public async Task PostgreSql_HostileTableAndColumnNames_AreQuoted(string name)
    {
        await using var scope = await PostgresServer.OpenScopeAsync();
        await RunHostileOn(SqlDialect.PostgreSql, name, scope.Connection);
    }

    public static TheoryData<string> HostileValues => new() { "'; DROP TABLE victim; --", "C' OR '1'='1", "\\'; --" };

    [Theory]
    [MemberData(nameof(HostileValues))]
    public async Task DuckDb_HostileCancellationText_IsAValue(string text)
    {
        await using var connection = await DuckDb.OpenAsync();
        await RunHostileValueOn(SqlDialect.DuckDb, text, connection);
    }

    [PostgresTheory]
    [MemberData(nameof(HostileValues))]
    public async Task PostgreSql_HostileCancellationText_IsAValue(string text)
    {
        await using var scope = await PostgresServer.OpenScopeAsync();
        await RunHostileValueOn(SqlDialect.PostgreSql, text, scope.Connection);
    }

    private static async Task RunHostileValueOn(SqlDialect dialect, string text, System.Data.Common.DbConnection connection)
    {
        await TransactionTable.ExecuteAsync(connection, "CREATE TABLE victim (x INTEGER)");
        var table = new TransactionTable(new SqlTableName("transactions"));
        await table.CreateAsync(connection, dialect, Rows(text));
        var calculator = new RfmCalculator(TransactionPolicy.Default with { Cancellations = CancellationRule.OrderIdStartsWith(text) });

        var result = await new RfmSqlGenerator(dialect, calculator).Query(table.Name, table.Columns, AsOf).CalculateAsync(connection);

        Same.Result(table.CalculateInMemory(connection, dialect, calculator, AsOf), result);
        Assert.Equal(1, result.Ingestion.Excluded(ExclusionReason.Cancellation).Rows);
        await TransactionTable.ExecuteAsync(connection, "SELECT * FROM victim");
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("nul\0")]
    [InlineData("")]
    public void ControlCharactersAndEmptyNames_AreRefused(string name)
    {
        foreach (var dialect in SqlDialect.All)
        {
            Assert.Throws<ArgumentException>(() => dialect.QuoteIdentifier(name));
        }
    }

    // Built from char codes: a test runner may replace half a surrogate pair in an attribute's text.
    [Fact]
    public void LoneSurrogatesInNames_AreRefused()
    {
        foreach (var name in new[] { "half" + (char)0xD800, (char)0xDC00 + "half", "a" + (char)0xDC00 + (char)0xD800 })
        {
            foreach (var dialect in SqlDialect.All)
            {
                var error = Assert.Throws<ArgumentException>(() => dialect.QuoteIdentifier(name));
                Assert.Contains("surrogate", error.Message, StringComparison.Ordinal);
            }
        }

        Assert.Equal("\"😀\"", SqlDialect.DuckDb.QuoteIdentifier("😀"));
    }

    [Fact]
    public void PostgreSql_RefusesNamesItWouldCut()
    {
        var name = new string('x', 64);

        var error = Assert.Throws<ArgumentException>(() => SqlDialect.PostgreSql.QuoteIdentifier(name));

        Assert.Contains("63 bytes", error.Message, StringComparison.Ordinal);
        Assert.Equal("\"" + name + "\"", SqlDialect.DuckDb.QuoteIdentifier(name));
    }

    [Theory]
    [InlineData("duckdb", "a\"b", "\"a\"\"b\"")]
    [InlineData("postgres", "a\"b", "\"a\"\"b\"")]
    [InlineData("spark", "a`b", "`a``b`")]
    [InlineData("spark", "a\"b", "`a\"b`")]
    public void QuoteIdentifier_DoublesTheQuoteCharacter(string dialect, string name, string quoted) =>
        Assert.Equal(quoted, SqlDialect.Parse(dialect).QuoteIdentifier(name));

    private static readonly DateTime AsOf = new(2011, 3, 1);

    private static TestRow[] Rows(string cancelledOrder) =>
    [
        new("a", "1", new DateTime(2011, 1, 3, 10, 0, 0), 2m, 1.5m),
        new("a", "2", new DateTime(2011, 2, 3, 10, 0, 0), 1m, 10m),
        new("b", cancelledOrder + "7", new DateTime(2011, 1, 5), 1m, 4m),
        new("b", "3", new DateTime(2011, 1, 9), 3m, 2.25m),
        new("c", null, new DateTime(2011, 2, 27, 23, 59, 59), 1m, 99m),
    ];

    private static async Task RunHostile<T>(SqlDialect dialect, string name, Func<Task<T>> open, Func<T, ValueTask> close)
        where T : System.Data.Common.DbConnection
    {
        var connection = await open();
        try
        {
            await RunHostileOn(dialect, name, connection);
        }
        finally
        {
            await close(connection);
        }
    }

    // A table and every column named after the hostile name; a table named victim must survive.
    private static async Task RunHostileOn(SqlDialect dialect, string name, System.Data.Common.DbConnection connection)
    {
        await TransactionTable.ExecuteAsync(connection, "CREATE TABLE victim (x INTEGER)");
        var table = new TransactionTable(new SqlTableName(name), name + " c", name + " o", name + " t", name + " q", name + " p");
        await table.CreateAsync(connection, dialect, Rows("C"));

        var query = new RfmSqlGenerator(dialect).Query(table.Name, table.Columns, AsOf);
        var result = await query.CalculateAsync(connection);
        await query.CreateTableAsync(connection, new SqlTableName(name + " result"));

        Same.Result(table.CalculateInMemory(connection, dialect, RfmCalculator.Default, AsOf), result);
        Assert.Equal(3, result.Customers.Length);
        await TransactionTable.ExecuteAsync(connection, "SELECT * FROM victim");
        await using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM {new SqlTableName(name + " result").ToSql(dialect)}";
        Assert.Equal(3L, Convert.ToInt64(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
