using System.Collections.Immutable;
using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Tests.Segmentation;

public sealed class TierSegmentMapTests
{
    private static readonly DateTime AsOf = new(2024, 2, 1);

    [Fact]
    public void FiveScores_SplitTheTotalAtSevenAndEleven()
    {
        var map = SegmentMaps.Tiers;

        Assert.Equal("bottom_tier", map.Assign(new RfmScore(1, 1, 1), 5).Key);
        Assert.Equal("bottom_tier", map.Assign(new RfmScore(2, 2, 2), 5).Key);
        Assert.Equal("middle_tier", map.Assign(new RfmScore(3, 2, 2), 5).Key);
        Assert.Equal("middle_tier", map.Assign(new RfmScore(4, 3, 3), 5).Key);
        Assert.Equal("top_tier", map.Assign(new RfmScore(5, 3, 3), 5).Key);
        Assert.Equal("top_tier", map.Assign(new RfmScore(5, 5, 5), 5).Key);
    }

    [Fact]
    public void EveryNumberOfScores_EveryCell_IsATier_ThatNeverFallsAsAScoreRises()
    {
        var map = SegmentMaps.Tiers;
        var rank = new Dictionary<string, int> { ["bottom_tier"] = 0, ["middle_tier"] = 1, ["top_tier"] = 2 };
        for (var bins = ScoringStrategies.MinBins; bins <= ScoringStrategies.MaxBins; bins++)
        {
            for (var r = 1; r <= bins; r++)
            {
                for (var f = 1; f <= bins; f++)
                {
                    for (var m = 1; m <= bins; m++)
                    {
                        var tier = rank[map.Assign(new RfmScore(r, f, m), bins).Key];
                        if (r < bins)
                        {
                            Assert.True(rank[map.Assign(new RfmScore(r + 1, f, m), bins).Key] >= tier);
                        }

                        if (m < bins)
                        {
                            Assert.True(rank[map.Assign(new RfmScore(r, f, m + 1), bins).Key] >= tier);
                        }
                    }
                }
            }

            // The lowest cell is the bottom tier and the highest the top, whatever N.
            Assert.Equal("bottom_tier", map.Assign(new RfmScore(1, 1, 1), bins).Key);
            Assert.Equal("top_tier", map.Assign(new RfmScore(bins, bins, bins), bins).Key);
            Assert.Equal(bins * bins * bins, SegmentMaps.Coverage(map, bins).Sum(c => c.Cells.Length));
        }
    }

    [Fact]
    public void WithoutTheNumberOfScores_AssignIsRefused_AndScoresBeyondItAreErrors()
    {
        var map = SegmentMaps.Tiers;

        Assert.Contains("needs the number of scores", Assert.Throws<NotSupportedException>(() => map.Assign(new RfmScore(1, 1, 1))).Message, StringComparison.Ordinal);
        Assert.Equal("score", Assert.Throws<ArgumentOutOfRangeException>(() => map.Assign(new RfmScore(5, 1, 1), 4)).ParamName);
        Assert.Equal("bins", Assert.Throws<ArgumentOutOfRangeException>(() => map.Assign(new RfmScore(1, 1, 1), 11)).ParamName);
        Assert.Null(map.Bins);
    }

    [Fact]
    public void CustomStrategyOfFourScores_AndTheTiersMap_WorkInMemory()
    {
        var calculator = new RfmCalculator(scoring: new RfmScoring(new Quartiles(), new Quartiles(), new Quartiles(), bins: 4), segmentMap: SegmentMaps.Tiers);
        var rows = Enumerable.Range(1, 40).Select(i => new Transaction($"c{i:00}", $"o{i}", AsOf.AddDays(-i), ((i * 17 % 40) + 1) * 2.5m));

        var result = calculator.Calculate(rows, AsOf);

        Assert.All(result.Customers, c => Assert.InRange(c.Score.M, 1, 4));
        Assert.All(result.Customers, c => Assert.Same(SegmentMaps.Tiers.Assign(c.Score, 4), c.Segment));
        Assert.True(result.Segments.Length >= 2);
        Assert.Equal((4, "quartiles", "custom, 4 scores"), (result.Monetary.Bins, result.Monetary.Strategy, result.Monetary.Description.ToString()));
    }

    [Fact]
    public void Scheme_RefusesTheFourScoreStrategy_WithFiveScores()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RfmScoring(new Quartiles(), ScoringStrategies.Quantile, ScoringStrategies.Quantile));

        Assert.Contains("makes 4 scores, but the scheme has 5", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Equal-sized quarters by rank: custom code that makes 4 scores and says so.</summary>
    private sealed class Quartiles : IScoringStrategy
    {
        public string Name => "quartiles";

        public ScoringDescription Description { get; } = ScoringDescription.Custom(4);

        public ImmutableArray<double> Score(ReadOnlySpan<double> values, int bins, Span<int> scores) =>
            ScoringStrategies.RankQuantile.Score(values, bins, scores);
    }
}
