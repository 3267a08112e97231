using System.Globalization;
using System.IO.Compression;
using Npgsql;
using Rfm.Sql.Tests.Engines;

namespace Rfm.Sql.Tests;

/// <summary>
/// The bundled UCI Online Retail data (541,909 rows) in DuckDB and PostgreSQL: the tutorial preset gives the pandas
/// golden file customer for customer, and the default preset the in-memory result over the same table.
/// </summary>
public sealed class OnlineRetailTests
{
    private const string DataFile = "data/online-retail/online_retail.csv.gz";
    private static readonly DateTime AsOf = new(2011, 12, 11);
    private static readonly SqlTableName Table = new("online_retail");
    private static readonly TransactionColumns Columns = TransactionColumns.OnlineRetail;

    [Fact]
    public async Task DuckDb_TutorialPreset_EqualsPandasGolden()
    {
        await using var connection = await DuckDb.OpenAsync();
        await LoadIntoDuckDb(connection);

        var result = await new RfmSqlGenerator(SqlDialect.DuckDb, RfmCalculator.Tutorial).Query(Table, Columns, AsOf).CalculateAsync(connection);

        Assert.Equal(Golden(), Rows(result));
        Assert.Equal(541_909, result.Ingestion.RowsRead);
    }

    [PostgresFact]
    public async Task PostgreSql_TutorialPreset_EqualsPandasGolden()
    {
        await using var scope = await PostgresServer.OpenScopeAsync();
        await LoadIntoPostgres(scope.Connection);

        var result = await new RfmSqlGenerator(SqlDialect.PostgreSql, RfmCalculator.Tutorial).Query(Table, Columns, AsOf).CalculateAsync(scope.Connection);

        Assert.Equal(Golden(), Rows(result));
        Assert.Equal(541_909, result.Ingestion.RowsRead);
    }

    [Fact]
    public async Task DuckDb_DefaultPreset_EqualsInMemory()
    {
        await using var connection = await DuckDb.OpenAsync();
        await LoadIntoDuckDb(connection);
        var expected = InMemory(connection, RfmCalculator.Default);

        var actual = await new RfmSqlGenerator(SqlDialect.DuckDb).Query(Table, Columns, AsOf).CalculateAsync(connection);

        Same.Result(expected, actual);
        Assert.Equal(4_338, actual.Customers.Length);
    }

    [PostgresFact]
    public async Task PostgreSql_DefaultPreset_EqualsInMemory()
    {
        await using var scope = await PostgresServer.OpenScopeAsync();
        await LoadIntoPostgres(scope.Connection);
        var expected = InMemory(scope.Connection, RfmCalculator.Default);

        var actual = await new RfmSqlGenerator(SqlDialect.PostgreSql).Query(Table, Columns, AsOf).CalculateAsync(scope.Connection);

        Same.Result(expected, actual);
    }

    // The pandas columns: customer, recency, frequency, monetary (compared by value), the three scores and the segment.
    private static string[] Rows(RfmResult result) => [.. result.Customers.Select(c => string.Join(
        ',',
        c.CustomerId, c.Metrics.Recency, c.Metrics.Frequency, Money(c.Metrics.Monetary), c.Score.R, c.Score.F, c.Score.M, c.Segment.Key))];

    private static string[] Golden() => [.. File.ReadAllLines("golden/online_retail_tutorial.csv").Skip(1).Select(line =>
    {
        var fields = line.Split(',');
        fields[3] = Money(decimal.Parse(fields[3], CultureInfo.InvariantCulture));
        return string.Join(',', fields);
    })];

    private static string Money(decimal value) => value.ToString("G29", CultureInfo.InvariantCulture);

    private static RfmResult InMemory(System.Data.Common.DbConnection connection, RfmCalculator calculator)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM online_retail";
        using var reader = command.ExecuteReader();
        return calculator.Calculate(reader, Columns, AsOf);
    }

    private static async Task LoadIntoDuckDb(System.Data.Common.DbConnection connection)
    {
        var path = Path.GetFullPath(DataFile).Replace("'", "''", StringComparison.Ordinal);
        await TransactionTable.ExecuteAsync(
            connection,
            $"""
            CREATE TABLE online_retail AS
            SELECT * FROM read_csv('{path}', header = true, columns = {Types})
            """);
    }

    private static async Task LoadIntoPostgres(NpgsqlConnection connection)
    {
        await TransactionTable.ExecuteAsync(
            connection,
            """
            CREATE TABLE online_retail ("InvoiceNo" TEXT, "StockCode" TEXT, "Description" TEXT, "Quantity" NUMERIC(18, 3),
                "InvoiceDate" TIMESTAMP, "UnitPrice" NUMERIC(18, 4), "CustomerID" TEXT, "Country" TEXT)
            """);
        await using var file = new GZipStream(File.OpenRead(DataFile), CompressionMode.Decompress);
        using var text = new StreamReader(file);
        await using var copy = await connection.BeginTextImportAsync("COPY online_retail FROM STDIN (FORMAT csv, HEADER true)");
        await copy.WriteAsync(await text.ReadToEndAsync());
    }

    private const string Types =
        "{'InvoiceNo': 'VARCHAR', 'StockCode': 'VARCHAR', 'Description': 'VARCHAR', 'Quantity': 'DECIMAL(18, 3)', "
        + "'InvoiceDate': 'TIMESTAMP', 'UnitPrice': 'DECIMAL(18, 4)', 'CustomerID': 'VARCHAR', 'Country': 'VARCHAR'}";
}
