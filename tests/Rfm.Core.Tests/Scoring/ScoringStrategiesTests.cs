using Rfm.Scoring;

namespace Rfm.Tests.Scoring;

public sealed class ScoringStrategiesTests
{
    private static int[] Score(IScoringStrategy strategy, double[] values, int bins, out double[] edges)
    {
        var scores = new int[values.Length];
        edges = [.. strategy.Score(values, bins, scores)];
        return scores;
    }

    [Fact]
    public void Quantile_TenValuesFiveBins_MatchesPandasQcut()
    {
        // pandas.qcut([1..10], 5, labels=False) + 1 == [1,1,2,2,3,3,4,4,5,5]; edges [1, 2.8, 4.6, 6.4, 8.2, 10]
        var scores = Score(ScoringStrategies.Quantile, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 5, out var edges);

        Assert.Equal([5, 5, 4, 4, 3, 3, 2, 2, 1, 1], scores);
        Assert.Equal(1.0, edges[0]);
        Assert.Equal(10.0, edges[5]);
        Assert.Equal(2.8, edges[1], 12);
    }

    [Fact]
    public void Quantile_ValueOnAnEdge_FallsInTheLowerBin()
    {
        // edges of [1,2,3,4,5] in 4 bins are exactly 1,2,3,4,5: bins are closed on the right.
        var scores = Score(ScoringStrategies.Quantile, [1, 2, 3, 4, 5], 4, out var edges);

        Assert.Equal([1.0, 2.0, 3.0, 4.0, 5.0], edges);
        Assert.Equal([1, 1, 2, 3, 4], scores);
    }

    [Fact]
    public void Quantile_CoincidingEdges_LeaveScoresUnused_NeverThrow()
    {
        var scores = Score(ScoringStrategies.Quantile, [1, 1, 1, 1, 1, 1, 1, 2, 3, 9], 5, out var edges);

        Assert.Equal(1.0, edges[3]);
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 4, 5, 5], scores);
    }

    [Fact]
    public void Quantile_AllEqualOrSingle_ScoreOne()
    {
        Assert.All(Score(ScoringStrategies.Quantile, [7, 7, 7], 5, out _), s => Assert.Equal(1, s));
        Assert.Equal([1], Score(ScoringStrategies.Quantile, [42], 5, out _));
        Assert.Empty(Score(ScoringStrategies.Quantile, [], 5, out var edges));
        Assert.Empty(edges);
    }

    [Fact]
    public void RankQuantile_Ties_BrokenByPosition()
    {
        // pandas.qcut(pd.Series([1,1,1,1,1,2,2,2,2,2]).rank(method="first"), 5, labels=False) + 1
        var scores = Score(ScoringStrategies.RankQuantile, [1, 1, 1, 1, 1, 2, 2, 2, 2, 2], 5, out var edges);

        Assert.Equal([1, 1, 2, 2, 3, 3, 4, 4, 5, 5], scores);
        Assert.Equal(10.0, edges[5]);
    }

    [Fact]
    public void RankQuantile_UnsortedInput_RanksByValueThenPosition()
    {
        var scores = Score(ScoringStrategies.RankQuantile, [5, 1, 5, 1], 2, out _);

        Assert.Equal([2, 1, 2, 1], scores);
    }

    [Fact]
    public void FixedThresholds_AreInclusiveUpperBounds()
    {
        var strategy = ScoringStrategies.FixedThresholds(30, 90, 180, 365);

        var scores = Score(strategy, [0, 30, 31, 90, 365, 366, 1000], 5, out var edges);

        Assert.Equal([1, 1, 2, 2, 4, 5, 5], scores);
        Assert.Equal([30.0, 90, 180, 365], edges);
    }

    [Fact]
    public void FixedThresholds_WrongBinCount_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Score(ScoringStrategies.FixedThresholds(1, 2), [1], 5, out _));

        Assert.Equal("bins", ex.ParamName);
    }

    [Theory]
    [InlineData(new double[] { })]
    [InlineData(new double[] { 1, 1 })]
    [InlineData(new double[] { 2, 1 })]
    [InlineData(new double[] { 1, double.NaN })]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })]
    public void FixedThresholds_InvalidBounds_Throw(double[] bounds)
    {
        var ex = Assert.Throws<ArgumentException>(() => ScoringStrategies.FixedThresholds(bounds));

        Assert.Equal("upperBounds", ex.ParamName);
    }

    [Fact]
    public void Create_UsesTheFunction()
    {
        var strategy = ScoringStrategies.Create("halves", (value, bins) => value < 50 ? 1 : bins);

        Assert.Equal([1, 3], Score(strategy, [10, 90], 3, out _));
        Assert.Equal("halves", strategy.Name);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(11)]
    public void Score_BinsOutsideTwoToTen_Throw(int bins)
    {
        foreach (var strategy in new[] { ScoringStrategies.Quantile, ScoringStrategies.RankQuantile })
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Score(strategy, [1, 2], bins, out _));
            Assert.Equal("bins", ex.ParamName);
        }
    }

    [Fact]
    public void Score_ArgValidation()
    {
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => ScoringStrategies.Quantile.Score([1, 2], 5, new int[1])).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => ScoringStrategies.Quantile.Score([double.NaN], 5, new int[1])).ParamName);
        Assert.Equal("name", Assert.ThrowsAny<ArgumentException>(() => ScoringStrategies.Create("", (_, _) => 1)).ParamName);
        Assert.Equal("score", Assert.Throws<ArgumentNullException>(() => ScoringStrategies.Create("x", null!)).ParamName);
    }

    [Fact]
    public void RfmScoring_ArgValidation()
    {
        Assert.Equal("bins", Assert.Throws<ArgumentOutOfRangeException>(() => RfmScoring.Quantile(1)).ParamName);
        Assert.Equal("bins", Assert.Throws<ArgumentOutOfRangeException>(() => RfmScoring.Quantile(11)).ParamName);
        Assert.Equal("recency", Assert.Throws<ArgumentNullException>(() => new RfmScoring(null!, ScoringStrategies.Quantile, ScoringStrategies.Quantile)).ParamName);
        Assert.Equal(
            "recency",
            Assert.Throws<ArgumentOutOfRangeException>(() => new RfmScoring(ScoringStrategies.FixedThresholds(1, 2), ScoringStrategies.Quantile, ScoringStrategies.Quantile)).ParamName);
    }

    [Theory]
    [InlineData("quantile", "quantile")]
    [InlineData(" Rank-Quantile ", "rank-quantile")]
    [InlineData("fixed:30/90/180/365", "fixed")]
    public void Parse_KnownText_GivesTheStrategy(string text, string name)
    {
        Assert.Equal(name, ScoringStrategies.Parse(text).Name);
    }

    [Fact]
    public void Parse_Fixed_KeepsTheBounds()
    {
        var scores = Score(ScoringStrategies.Parse("fixed:1.5/10"), [1.5, 2, 11], 3, out var edges);

        Assert.Equal([1.5, 10], edges);
        Assert.Equal([1, 2, 3], scores);
    }

    [Theory]
    [InlineData("median", "Unknown scoring 'median'")]
    [InlineData("fixed:1/x", "threshold 'x' is not a number")]
    [InlineData("fixed:5/1", "strictly increasing")]
    public void Parse_BadText_Throws(string text, string message)
    {
        var ex = Assert.Throws<FormatException>(() => ScoringStrategies.Parse(text));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RfmScore_ToString_SeparatesTwoDigitScores()
    {
        Assert.Equal("545", new RfmScore(5, 4, 5).ToString());
        Assert.Equal("10-4-5", new RfmScore(10, 4, 5).ToString());
    }
}
