using System.Collections.Immutable;
using System.Data.Common;
using Rfm.Scoring;
using Rfm.Segmentation;
using Rfm.Sql.Tests.Engines;

namespace Rfm.Sql.Tests;

/// <summary>
/// The SQL reads what a strategy does from its description, never from its type: custom code of 4 scores is refused
/// with its description named, and a strategy of the application's own that describes itself as quantile scoring runs
/// in the database, with a map that adapts to the number of scores, exactly as in memory.
/// </summary>
public sealed class DescribedStrategyTests
{
    private static readonly DateTime AsOf = new(2011, 3, 1);

    [Fact]
    public void CustomStrategyOfFourScores_WorksInMemory_AndIsRefusedByName()
    {
        var calculator = new RfmCalculator(scoring: new RfmScoring(new Quartiles(), ScoringStrategies.Quantile, ScoringStrategies.Quantile, bins: 4), segmentMap: SegmentMaps.Tiers);

        var inMemory = calculator.Calculate(Rows().Select(r => new Transaction(r.Customer!, r.Order, r.Timestamp!.Value, r.Quantity!.Value * r.UnitPrice!.Value)), AsOf);
        var error = Assert.Throws<NotSupportedException>(() => new RfmSqlGenerator(SqlDialect.DuckDb, calculator));

        Assert.All(inMemory.Customers, c => Assert.InRange(c.Score.R, 1, 4));
        Assert.Contains(inMemory.Customers, c => c.Segment.Key == "top_tier");
        Assert.Equal(
            "The recency strategy 'quartiles' (custom, 4 scores) is .NET code, which SQL cannot run; SQL can run quantile, rank-quantile or fixed thresholds.",
            error.Message);
    }

    [Fact]
    public async Task DuckDb_StrategyDescribedAsQuantile_RunsAsQuantile_WithTheTiersMap()
    {
        await using var connection = await DuckDb.OpenAsync();
        await DescribedAsQuantile_RunsAsQuantile(connection, SqlDialect.DuckDb);
    }

    [PostgresFact]
    public async Task PostgreSql_StrategyDescribedAsQuantile_RunsAsQuantile_WithTheTiersMap()
    {
        await using var scope = await PostgresServer.OpenScopeAsync();
        await DescribedAsQuantile_RunsAsQuantile(scope.Connection, SqlDialect.PostgreSql);
    }

    private static async Task DescribedAsQuantile_RunsAsQuantile(DbConnection connection, SqlDialect dialect)
    {
        var table = new TransactionTable(new SqlTableName("transactions"));
        await table.CreateAsync(connection, dialect, Rows());
        var calculator = new RfmCalculator(scoring: new RfmScoring(new LoggedQuantile(), new LoggedQuantile(), ScoringStrategies.RankQuantile, bins: 4), segmentMap: SegmentMaps.Tiers);

        var inDatabase = await new RfmSqlGenerator(dialect, calculator).Query(table.Name, table.Columns, AsOf).CalculateAsync(connection);
        var inMemory = table.CalculateInMemory(connection, dialect, calculator, AsOf);

        Same.Result(inMemory, inDatabase);
        Assert.Equal(3, inDatabase.Customers.Select(c => c.Segment.Key).Distinct().Count());
    }

    // Twelve customers whose metrics spread over every quartile.
    private static TestRow[] Rows() =>
    [
        .. Enumerable.Range(1, 12).SelectMany(i => Enumerable.Range(0, 1 + (i % 4)).Select(k =>
            new TestRow($"c{i:00}", $"{i}-{k}", AsOf.AddDays(-(i * 7) - k), 1m + k, 3.25m * ((i * 5 % 12) + 1)))),
    ];

    /// <summary>Custom code that makes 4 scores, and says so.</summary>
    private sealed class Quartiles : IScoringStrategy
    {
        public string Name => "quartiles";

        public ScoringDescription Description { get; } = ScoringDescription.Custom(4);

        public ImmutableArray<double> Score(ReadOnlySpan<double> values, int bins, Span<int> scores) =>
            ScoringStrategies.Quantile.Score(values, bins, scores);
    }

    /// <summary>An application's wrapper of quantile scoring (it might log or time it) that promises to score as quantiles do.</summary>
    private sealed class LoggedQuantile : IScoringStrategy
    {
        public string Name => "logged-quantile";

        public ScoringDescription Description => ScoringDescription.Quantile;

        public ImmutableArray<double> Score(ReadOnlySpan<double> values, int bins, Span<int> scores) =>
            ScoringStrategies.Quantile.Score(values, bins, scores);
    }
}
