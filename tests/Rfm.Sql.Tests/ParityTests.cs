using System.Data.Common;
using Rfm.Sql.Tests.Engines;

namespace Rfm.Sql.Tests;

/// <summary>
/// The ways SQL could read a row differently from the in-memory library, each checked: a text date guessed by the
/// server, a zoned timestamp read in the session's zone, a column name differing in case, money a decimal cannot hold.
/// </summary>
public sealed class ParityTests
{
    private static readonly DateTime AsOf = new(2011, 3, 1);

    private static readonly string[] Zones = ["UTC", "America/New_York", "Asia/Kathmandu"];

    // Under DateStyle MDY, PostgreSQL reads 09/06/2011 as 6 September and 'yesterday' as a date relative to its clock;
    // the library reads neither, and neither does the statement, whatever the query was made for.
    [PostgresFact]
    public async Task TextDate_IsNeverGuessed_ByTheServer()
    {
        await using var scope = await PostgresServer.OpenScopeAsync();
        var connection = scope.Connection;
        await TransactionTable.ExecuteAsync(connection, "SET DateStyle = 'ISO, MDY'");
        Assert.Equal(new DateTime(2011, 9, 6, 10, 0, 0), await ScalarAsync(connection, "SELECT CAST('09/06/2011 10:00' AS TIMESTAMP)"));

        foreach (var text in new[] { "09/06/2011 10:00", "yesterday", "2011-02-30 10:00" })
        {
            var table = new TransactionTable(new SqlTableName("t" + Guid.NewGuid().ToString("N"))) { DateType = SqlDateType.Text };
            await table.CreateAsync(connection, SqlDialect.PostgreSql, [new("a", "1", new DateTime(2011, 1, 3), 2m, 1.5m), new("b", "2", null, 1m, 4m, text)]);
            var inMemory = Assert.Throws<TransactionDataException>(() => table.CalculateInMemory(connection, SqlDialect.PostgreSql, RfmCalculator.Default, AsOf));

            foreach (var declared in new[] { SqlDateType.Timestamp, SqlDateType.Text })
            {
                var query = new RfmSqlGenerator(SqlDialect.PostgreSql).Query(table.Name, table.Columns, AsOf, declared);
                var error = await Assert.ThrowsAsync<TransactionDataException>(() => query.CalculateAsync(connection));

                Assert.Equal(inMemory.Column, error.Column);
                Assert.Equal(text, error.Value);
                Assert.Contains("1 row(s) hold text that is not a date", error.Message, StringComparison.Ordinal);
                Assert.Contains("customer 'b', order '2'", error.Message, StringComparison.Ordinal);
                await Assert.ThrowsAsync<TransactionDataException>(() => query.ReadIngestionAsync(connection));
            }
        }
    }

    // A purchase at 23:30 UTC is 05:15 the next day in Kathmandu and 18:30 the same day in New York: read in the
    // session's zone, first and last purchases and recency would follow the server's setting.
    [PostgresFact]
    public async Task TimestampTz_GivesUtc_UnderAnySessionZone()
    {
        await using var scope = await PostgresServer.OpenScopeAsync();
        await TimestampTzGivesUtc(scope.Connection, SqlDialect.PostgreSql, zone => $"SET TIME ZONE '{zone}'");
    }

    [Fact]
    public async Task TimestampTz_GivesUtc_UnderAnySessionZone_OnDuckDb()
    {
        await using var connection = await DuckDb.OpenAsync();
        await TimestampTzGivesUtc(connection, SqlDialect.DuckDb, zone => $"SET TimeZone = '{zone}'");
    }

    // PostgreSQL folds unquoted names to lower case: a table made with CustomerID holds customerid, which the
    // in-memory reader finds for the name CustomerID, and so does the statement now.
    [PostgresFact]
    public async Task ColumnName_DifferingInCase_ResolvesAsInMemory()
    {
        await using var scope = await PostgresServer.OpenScopeAsync();
        await ColumnNameDifferingInCase(scope.Connection, SqlDialect.PostgreSql);
    }

    [Fact]
    public async Task ColumnName_DifferingInCase_ResolvesAsInMemory_OnDuckDb()
    {
        await using var connection = await DuckDb.OpenAsync();
        await ColumnNameDifferingInCase(connection, SqlDialect.DuckDb);
    }

    [PostgresFact]
    public async Task ColumnName_MissingOrMatchingTwice_IsRefusedAsInMemory()
    {
        await using var scope = await PostgresServer.OpenScopeAsync();
        var connection = scope.Connection;
        await TransactionTable.ExecuteAsync(connection, "CREATE TABLE sales (customer TEXT, day TIMESTAMP, amount NUMERIC, \"AMOUNT\" NUMERIC)");
        var generator = new RfmSqlGenerator(SqlDialect.PostgreSql);

        foreach (var (columns, problem) in new[]
        {
            (new TransactionColumns { Customer = "Customer", Timestamp = "day", Amount = "Amount" }, "2 columns are named so (columns 3, 4)"),
            (new TransactionColumns { Customer = "client", Timestamp = "day", Amount = "amount" }, "there is no such column; the columns are: customer, day, amount, AMOUNT"),
        })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT * FROM sales";
            TransactionDataException inMemory;
            await using (var reader = await command.ExecuteReaderAsync())
            {
                inMemory = Assert.Throws<TransactionDataException>(() => RfmCalculator.Default.Calculate(reader, columns, AsOf));
            }

            var query = generator.Query(new SqlTableName("sales"), columns, AsOf);
            foreach (var run in new Func<Task>[] { () => query.CalculateAsync(connection), () => query.ReadIngestionAsync(connection), () => query.CreateTableAsync(connection, new SqlTableName("result")) })
            {
                var error = await Assert.ThrowsAsync<TransactionDataException>(run);

                Assert.Equal(inMemory.Column, error.Column);
                Assert.Contains(problem, error.Message, StringComparison.Ordinal);
                Assert.Contains(problem, inMemory.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public Task Money_NotFittingADecimal_IsRefused_NamingTheCustomer_OnDuckDb() => OnDuckDb(connection => MoneyNotFittingADecimal(connection, SqlDialect.DuckDb, "DECIMAL(38, 10)"));

    [PostgresFact]
    public async Task Money_NotFittingADecimal_IsRefused_NamingTheCustomer()
    {
        await using var scope = await PostgresServer.OpenScopeAsync();
        await MoneyNotFittingADecimal(scope.Connection, SqlDialect.PostgreSql, "NUMERIC");
    }

    private static async Task TimestampTzGivesUtc(DbConnection connection, SqlDialect dialect, Func<string, string> setZone)
    {
        var table = new TransactionTable(new SqlTableName("zoned")) { DateType = SqlDateType.TimestampWithTimeZone };
        var last = new DateTime(2011, 2, 27, 23, 30, 0);
        await table.CreateAsync(connection, dialect, [new("a", "1", new DateTime(2011, 1, 3, 10, 0, 0), 2m, 1.5m), new("a", "2", last, 1m, 4m), new("b", "3", new DateTime(2011, 1, 1, 2, 0, 0), 3m, 2.25m)]);
        var expected = table.CalculateInMemory(connection, dialect, RfmCalculator.Default, AsOf);
        Assert.Equal(last, expected.Customers[0].Metrics.LastPurchase);
        Assert.Equal(1, expected.Customers[0].Metrics.Recency);

        foreach (var zone in Zones)
        {
            await TransactionTable.ExecuteAsync(connection, setZone(zone));
            var castInZone = (DateTime)(await ScalarAsync(connection, $"SELECT MAX(CAST({dialect.QuoteIdentifier(table.Timestamp)} AS TIMESTAMP)) FROM {table.Name.ToSql(dialect)}"))!;
            Assert.True(zone == "UTC" ? castInZone == last : castInZone != last, $"{zone}: a plain cast gives {castInZone:O}");

            foreach (var declared in new[] { SqlDateType.Timestamp, SqlDateType.TimestampWithTimeZone })
            {
                var actual = await new RfmSqlGenerator(dialect).Query(table.Name, table.Columns, AsOf, declared).CalculateAsync(connection);

                Same.Result(expected, actual);
                Same.Result(table.CalculateInMemory(connection, dialect, RfmCalculator.Default, AsOf), actual);
            }
        }
    }

    private static async Task ColumnNameDifferingInCase(DbConnection connection, SqlDialect dialect)
    {
        var table = new TransactionTable(new SqlTableName("retail"), "customerid", "invoiceno", "invoicedate", "quantity", "unitprice");
        await table.CreateAsync(connection, dialect, [new("a", "1", new DateTime(2011, 1, 3, 10, 0, 0), 2m, 1.5m), new("b", "C2", new DateTime(2011, 1, 5), 1m, 4m), new("b", "3", new DateTime(2011, 2, 9), 3m, 2.25m)]);
        var columns = TransactionColumns.OnlineRetail;
        Assert.NotEqual(table.Columns, columns);
        RfmResult expected;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT * FROM {table.Name.ToSql(dialect)}";
            await using var reader = await command.ExecuteReaderAsync();
            expected = RfmCalculator.Default.Calculate(reader, columns, AsOf);
        }

        var query = new RfmSqlGenerator(dialect).Query(table.Name, columns, AsOf);
        var actual = await query.CalculateAsync(connection);

        Same.Result(expected, actual);
        Same.Ingestion(expected.Ingestion, await query.CreateTableAsync(connection, new SqlTableName("result")));
        Assert.Equal(2, actual.Customers.Count());
    }

    // 10^19 and 10^-10 add up to 30 significant digits: exact in the database, more than a decimal holds. The library
    // refuses the sum in memory; the statement names the customer and the sum instead of rounding it.
    private static async Task MoneyNotFittingADecimal(DbConnection connection, SqlDialect dialect, string type)
    {
        var text = dialect.TextType;
        await TransactionTable.ExecuteAsync(connection, $"CREATE TABLE sales (customer {text}, day TIMESTAMP, amount {type})");
        await TransactionTable.ExecuteAsync(
            connection,
            "INSERT INTO sales VALUES ('a', CAST('2011-01-01 10:00:00' AS TIMESTAMP), 10000000000000000000), ('a', CAST('2011-01-02 10:00:00' AS TIMESTAMP), 0.0000000001), "
            + "('b', CAST('2011-01-02 10:00:00' AS TIMESTAMP), 5.5000000000)");
        var columns = new TransactionColumns { Customer = "customer", Timestamp = "day", Amount = "amount" };
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT * FROM sales";
            await using var reader = await command.ExecuteReaderAsync();
            Assert.Throws<OverflowException>(() => RfmCalculator.Default.Calculate(reader, columns, AsOf));
        }

        var query = new RfmSqlGenerator(dialect).Query(new SqlTableName("sales"), columns, AsOf);
        var error = await Assert.ThrowsAsync<TransactionDataException>(() => query.CalculateAsync(connection));

        Assert.Equal("amount", error.Column);
        Assert.Equal("10000000000000000000.0000000001", error.Value);
        Assert.Contains("customer 'a' has this in total, which a decimal cannot hold exactly", error.Message, StringComparison.Ordinal);
        var total = await Assert.ThrowsAsync<TransactionDataException>(() => query.ReadIngestionAsync(connection));
        Assert.Contains("the rows used add up to this", total.Message, StringComparison.Ordinal);
        Assert.Equal("10000000000000000005.5000000001", total.Value);

        // Without the one ten-billionth, every sum fits: 38 digits of scale with trailing zeros are read exactly.
        await TransactionTable.ExecuteAsync(connection, "DELETE FROM sales WHERE amount < 1");
        var result = await query.CalculateAsync(connection);
        Assert.Equal(10000000000000000000m, result.Customers.Single(c => c.CustomerId == "a").Metrics.Monetary);
        Assert.Equal(5.5m, result.Customers.Single(c => c.CustomerId == "b").Metrics.Monetary);
        Assert.Equal(10000000000000000005.5m, result.Ingestion.AmountUsed);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    // A nanosecond timestamp would be cut to the microsecond by the cast; the library reads dates to the microsecond.
    [Fact]
    public async Task NanosecondTimestamp_IsRefusedUpFront_NotTruncated()
    {
        await using var connection = await DuckDb.OpenAsync();
        await TransactionTable.ExecuteAsync(connection, "CREATE TABLE sales AS SELECT 'a' AS customer, CAST('2011-02-01 10:00:00.123456789' AS TIMESTAMP_NS) AS day, CAST(5 AS DECIMAL(18, 2)) AS amount");
        var query = new RfmSqlGenerator(SqlDialect.DuckDb).Query(new SqlTableName("sales"), new TransactionColumns { Customer = "customer", Timestamp = "day", Amount = "amount" }, AsOf);

        var error = await Assert.ThrowsAsync<TransactionDataException>(() => query.CalculateAsync(connection));

        Assert.Equal("day", error.Column);
        Assert.Contains("finer than the microsecond", error.Message, StringComparison.Ordinal);
    }

    // DuckDB stops a DECIMAL(38) product that overflows with its own error, which names nothing: money the library could
    // not hold either, refused in its words.
    [Fact]
    public async Task DecimalOverflowInTheDatabase_IsRefusedNamingTheMoneyColumns()
    {
        await using var connection = await DuckDb.OpenAsync();
        await TransactionTable.ExecuteAsync(connection, "CREATE TABLE sales AS SELECT 'b' AS customer, TIMESTAMP '2011-02-01 10:00' AS day, CAST(100000000000 AS DECIMAL(38, 0)) AS quantity, CAST('39614081257132168796771975168' AS DECIMAL(38, 0)) AS price");
        var query = new RfmSqlGenerator(SqlDialect.DuckDb).Query(new SqlTableName("sales"), new TransactionColumns { Customer = "customer", Timestamp = "day", Quantity = "quantity", UnitPrice = "price" }, AsOf);

        var error = await Assert.ThrowsAsync<TransactionDataException>(() => query.CalculateAsync(connection));

        Assert.Equal("quantity or price", error.Column);
        Assert.Contains("the money of the rows read overflows the database's decimals", error.Message, StringComparison.Ordinal);
    }

    private static async Task OnDuckDb(Func<DbConnection, Task> test)
    {
        await using var connection = await DuckDb.OpenAsync();
        await test(connection);
    }
}
