using FsCheck;
using FsCheck.Fluent;
using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Sql.Tests.Spark;

/// <summary>Every form of generated Spark SQL is one statement that the Spark grammar parses without an error.</summary>
public sealed class SparkGrammarTests
{
    private static readonly DateTime AsOf = new(2011, 12, 10);
    private static readonly SqlTableName Table = new("sales", "online_retail");
    private static readonly SqlTableName Target = new("crm", "rfm_scores");

    private static readonly TransactionColumns AmountLayout = new() { Customer = "customer_id", Order = "invoice", Timestamp = "purchased_at", Amount = "amount" };

    private static readonly RfmCalculator[] Pipelines =
    [
        RfmCalculator.Default,
        RfmCalculator.Tutorial,
        new(
            TransactionPolicy.Default with { DropNonPositiveCustomers = true, Cancellations = CancellationRule.OrderIdContains("x'; --") },
            new RfmScoring(ScoringStrategies.FixedThresholds(30, 90, 180, 365), ScoringStrategies.RankQuantile, ScoringStrategies.Quantile),
            SegmentMaps.ElevenSegments),
    ];

    // Every text a caller can run: the result, the account of the rows, and the table made from the result.
    private static IEnumerable<string> Forms(RfmSqlQuery query) =>
    [
        query.Customers.ToScript(),
        query.Ingestion.ToScript(),
        query.CreateTable(Target).ToScript(),
        query.CreateTable(Target, replace: true).ToScript(),
    ];

    private static void AssertEachIsOneValidStatement(IReadOnlyList<string> texts)
    {
        var parsed = SparkGrammar.Parse(texts);
        for (var i = 0; i < texts.Count; i++)
        {
            Assert.True(parsed[i].Errors.Length == 0, $"{string.Join("; ", parsed[i].Errors)}\n{texts[i]}");
            Assert.True(parsed[i].Statements == 1, $"{parsed[i].Statements} statements in:\n{texts[i]}");
        }
    }

    [SparkGrammarFact]
    public void EveryStatementForm_OfThePresetsBothLayouts_AndEveryDateType_ParsesAsOneStatement()
    {
        var texts = (
            from calculator in Pipelines
            from columns in new[] { TransactionColumns.OnlineRetail, AmountLayout }
            from dateType in calculator == RfmCalculator.Default ? Enum.GetValues<SqlDateType>() : [SqlDateType.Timestamp]
            from text in Forms(new RfmSqlGenerator(SqlDialect.SparkSql, calculator).Query(Table, columns, AsOf, dateType))
            select text).ToArray();

        AssertEachIsOneValidStatement(texts);
    }

    [SparkGrammarFact]
    public void RandomPipelines_ParseAsOneStatementEach()
    {
        // The differential tests' pipelines (every policy, 2 to 10 scores, every strategy, rule and non-rule maps).
        var cases = SqlGenerators.Pipelines.Sample(20, new Rnd(20111210UL), 150);
        var texts = cases
            .SelectMany((pipeline, i) => Forms(new RfmSqlGenerator(SqlDialect.SparkSql, pipeline.Calculator).Query(Table, i % 2 == 0 ? AmountLayout : TransactionColumns.OnlineRetail, AsOf.AddTicks(i * 10))))
            .ToArray();

        AssertEachIsOneValidStatement(texts);
    }

    [SparkGrammarFact]
    public void PartitionedStatements_OfEveryPipelineAndDateType_ParseAsOneStatementEach()
    {
        var partitioned = AmountLayout with { Partition = "store" };
        var texts = (
            from calculator in Pipelines
            from columns in new[] { TransactionColumns.OnlineRetail with { Partition = "Country" }, partitioned }
            from dateType in Enum.GetValues<SqlDateType>()
            from text in Forms(new RfmSqlGenerator(SqlDialect.SparkSql, calculator).Query(Table, columns, AsOf, dateType))
            select text).ToArray();

        Assert.All(texts.Where((_, i) => i % 4 == 0), text => Assert.Contains("PARTITION BY partition_key", text, StringComparison.Ordinal));
        AssertEachIsOneValidStatement(texts);
    }

    [SparkGrammarFact]
    public void HostileTableAndColumnNames_ParseAsOneStatementEach()
    {
        var columns = new TransactionColumns { Customer = "x`; DROP TABLE users; --", Order = "O'Brien", Timestamp = "/* when */", Amount = "-- amount" };

        var texts = Forms(new RfmSqlGenerator(SqlDialect.SparkSql).Query(new SqlTableName("db`x", "t; --"), columns, AsOf)).ToArray();

        AssertEachIsOneValidStatement(texts);
    }

    [SparkGrammarFact]
    public void Grammar_FindsErrorsAndCountsStatements()
    {
        // A check that never fails proves nothing: the grammar must see a broken statement and a second statement.
        var parsed = SparkGrammar.Parse(["SELECT (a FROM t", "SELECT a FROM t;\nDROP TABLE users", "SELECT :as_of FROM t"]);

        Assert.NotEmpty(parsed[0].Errors);
        Assert.Equal(2, parsed[1].Statements);
        Assert.Equal(new SparkParse(1, []), parsed[2] with { Errors = [] });
        Assert.Empty(parsed[2].Errors);
    }
}
