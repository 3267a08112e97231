using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Sql.Tests;

/// <summary>
/// The statements as text: golden files for every dialect (Spark SQL is not executed here, so its golden files are
/// its test), and what the generator refuses.
/// </summary>
public sealed class GeneratorTests
{
    private static readonly DateTime AsOf = new(2011, 12, 10);
    private static readonly SqlTableName Table = new("sales", "online_retail");

    public static TheoryData<string, string> GoldenCases => new()
    {
        { "spark", "default" },
        { "spark", "tutorial" },
        { "spark", "fixed-eleven" },
        { "duckdb", "default" },
        { "postgres", "tutorial" },
    };

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Statements_EqualTheirGoldenText(string dialect, string pipeline)
    {
        var query = new RfmSqlGenerator(SqlDialect.Parse(dialect), Pipeline(pipeline)).Query(Table, TransactionColumns.OnlineRetail, AsOf);
        var text = query.Customers.ToScript() + "\n" + query.Ingestion.ToScript();
        var name = $"{dialect}-{pipeline}.sql";

        // RFM_UPDATE_GOLDEN=1 rewrites the files in the repository; review the difference before committing it.
        if (Environment.GetEnvironmentVariable("RFM_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(RepositoryGoldenDirectory(), name), text);
            return;
        }

        Assert.Equal(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "golden", "sql", name)).ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void EveryCallerValue_IsAParameter()
    {
        var calculator = new RfmCalculator(
            TransactionPolicy.Default with { Cancellations = CancellationRule.OrderIdContains("'x'") },
            new RfmScoring(ScoringStrategies.FixedThresholds(30, 60, 90, 180), ScoringStrategies.Quantile, ScoringStrategies.Quantile),
            SegmentMaps.ElevenSegments);

        var statement = new RfmSqlGenerator(SqlDialect.DuckDb, calculator).Query(Table, TransactionColumns.OnlineRetail, AsOf).Customers;

        Assert.DoesNotContain("'x'", statement.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("2011", statement.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("champions", statement.Text, StringComparison.Ordinal);
        Assert.Contains(statement.Parameters, p => p is { Name: "cancellation", Value: "'x'" });
        Assert.Contains(statement.Parameters, p => p is { Name: "as_of", Value: DateTime d } && d == AsOf);
        Assert.Contains(statement.Parameters, p => p is { Name: "r_threshold_4", Value: 180.0 });
        Assert.Contains(statement.Parameters, p => p.Value is "champions");
    }

    [Fact]
    public void CustomCode_IsRefused_WithWhatToUseInstead()
    {
        var predicate = new RfmCalculator(TransactionPolicy.Default with { Cancellations = CancellationRule.Custom(id => id.EndsWith('X'), "ends with X") });
        var strategy = new RfmCalculator(scoring: new RfmScoring(ScoringStrategies.Create("halves", (value, bins) => 1), ScoringStrategies.Quantile, ScoringStrategies.Quantile));

        var cancellation = Assert.Throws<NotSupportedException>(() => new RfmSqlGenerator(SqlDialect.DuckDb, predicate));
        var scoring = Assert.Throws<NotSupportedException>(() => new RfmSqlGenerator(SqlDialect.DuckDb, strategy));

        Assert.Contains("OrderIdStartsWith", cancellation.Message, StringComparison.Ordinal);
        Assert.Contains("'halves'", scoring.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ColumnsByPosition_DateFormats_AndSubMicrosecondDates_AreRefused()
    {
        var generator = new RfmSqlGenerator(SqlDialect.PostgreSql);
        var byPosition = new TransactionColumns { Customer = 0, Timestamp = 1, Amount = 2 };
        var withFormat = TransactionColumns.OnlineRetail with { DateFormat = "dd/MM/yyyy" };

        Assert.Contains("position", Assert.Throws<ArgumentException>(() => generator.Query(Table, byPosition, AsOf)).Message, StringComparison.Ordinal);
        Assert.Contains("date format", Assert.Throws<ArgumentException>(() => generator.Query(Table, withFormat, AsOf)).Message, StringComparison.Ordinal);
        Assert.Contains("microsecond", Assert.Throws<ArgumentException>(() => generator.Query(Table, TransactionColumns.OnlineRetail, AsOf.AddTicks(1))).Message, StringComparison.Ordinal);
    }

    // The text rule is the core's: its pattern and its white space, not a second copy; the zone rule reads UTC.
    [Fact]
    public void DateTypes_DeriveTheirSqlFromTheRowContract()
    {
        foreach (var dialect in SqlDialect.All)
        {
            var generator = new RfmSqlGenerator(dialect);
            var timestamp = generator.Query(Table, TransactionColumns.OnlineRetail, AsOf);
            var text = generator.Query(Table, TransactionColumns.OnlineRetail, AsOf, SqlDateType.Text);
            var zoned = generator.Query(Table, TransactionColumns.OnlineRetail, AsOf, SqlDateType.TimestampWithTimeZone);

            Assert.Equal(SqlDateType.Timestamp, timestamp.DateType);
            Assert.Equal(timestamp.Customers.Text, generator.Query(Table, TransactionColumns.OnlineRetail, AsOf, SqlDateType.Timestamp).Customers.Text);
            Assert.Contains("'" + RowContract.TimestampPattern + "'", text.Customers.Text, StringComparison.Ordinal);
            Assert.Contains(text.Ingestion.Parameters, p => p is { Name: "whitespace" } && (string)p.Value == RowContract.WhiteSpace);
            Assert.Contains(" 103", text.Ingestion.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(" 103", timestamp.Ingestion.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("regexp", timestamp.Customers.Text, StringComparison.Ordinal);
            Assert.Contains(dialect == SqlDialect.SparkSql ? "unix_micros(" : "'UTC'", zoned.Customers.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Query_ArgValidation()
    {
        var generator = new RfmSqlGenerator(SqlDialect.DuckDb);

        Assert.Equal("table", Assert.Throws<ArgumentNullException>(() => generator.Query(null!, TransactionColumns.OnlineRetail, AsOf, SqlDateType.Text)).ParamName);
        Assert.Equal("columns", Assert.Throws<ArgumentNullException>(() => generator.Query(Table, null!, AsOf, SqlDateType.Text)).ParamName);
        Assert.Equal("dateType", Assert.Throws<ArgumentOutOfRangeException>(() => generator.Query(Table, TransactionColumns.OnlineRetail, AsOf, (SqlDateType)3)).ParamName);
    }

    [Theory]
    [InlineData("sales.orders", new[] { "sales", "orders" })]
    [InlineData("orders", new[] { "orders" })]
    [InlineData("lake.sales.orders", new[] { "lake", "sales", "orders" })]
    public void TableName_Parse_SplitsOnDots(string text, string[] parts) =>
        Assert.Equal(parts, SqlTableName.Parse(text).Parts);

    [Theory]
    [InlineData("a..b")]
    [InlineData("a.b.c.d")]
    [InlineData("")]
    public void TableName_Parse_RefusesEmptyPartsAndTooMany(string text) =>
        Assert.Throws<ArgumentException>(() => SqlTableName.Parse(text));

    // Rfm.Sql ships on its own: it uses the core's public API, and opens its own internals to tests and benchmarks only.
    [Fact]
    public void Package_OpensItsInternalsToTestsAndBenchmarksOnly() =>
        Assert.Equal(
            ["Rfm.Benchmarks", "Rfm.Sql.Tests"],
            typeof(RfmSqlGenerator).Assembly.GetCustomAttributes(typeof(System.Runtime.CompilerServices.InternalsVisibleToAttribute), false)
                .Cast<System.Runtime.CompilerServices.InternalsVisibleToAttribute>().Select(a => a.AssemblyName).Order(StringComparer.Ordinal));

    private static RfmCalculator Pipeline(string name) => name switch
    {
        "default" => RfmCalculator.Default,
        "tutorial" => RfmCalculator.Tutorial,
        _ => new RfmCalculator(
            TransactionPolicy.Default with { DropNonPositiveCustomers = true },
            new RfmScoring(ScoringStrategies.FixedThresholds(30, 90, 180, 365), ScoringStrategies.RankQuantile, ScoringStrategies.Quantile),
            SegmentMaps.ElevenSegments),
    };

    private static string RepositoryGoldenDirectory() => Path.Combine(Repository.Root, "tests", "golden", "sql");
}
