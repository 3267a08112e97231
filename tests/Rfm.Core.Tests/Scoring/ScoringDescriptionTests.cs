using System.Collections.Immutable;
using Rfm.Scoring;

namespace Rfm.Tests.Scoring;

public sealed class ScoringDescriptionTests
{
    [Fact]
    public void BuiltIns_DescribeWhatTheyDo()
    {
        Assert.Equal("quantile", ScoringStrategies.Quantile.Description.ToString());
        Assert.Equal("rank-quantile", ScoringStrategies.RankQuantile.Description.ToString());
        Assert.Equal("fixed thresholds 30/90/180.5/365", ScoringStrategies.FixedThresholds(30, 90, 180.5, 365).Description.ToString());
        Assert.Equal("custom, bins unknown", ScoringStrategies.Create("mine", (_, n) => n).Description.ToString());
        Assert.Equal("custom, 4 scores", ScoringDescription.Custom(4).ToString());
        Assert.Null(ScoringStrategies.Quantile.Description.Bins);
        Assert.True(ScoringStrategies.Quantile.Description.UpperBounds.IsEmpty);
    }

    [Fact]
    public void AStrategyThatSaysNothing_IsCustom_WithItsBinsUnknown()
    {
        IScoringStrategy silent = new Silent();

        Assert.Equal(ScoringKind.Custom, silent.Description.Kind);
        Assert.Null(silent.Description.Bins);
    }

    [Fact]
    public void FixedThresholds_ArgValidation()
    {
        Assert.Equal("upperBounds", Assert.Throws<ArgumentException>(() => ScoringDescription.FixedThresholds()).ParamName);
        Assert.Equal("upperBounds", Assert.Throws<ArgumentException>(() => ScoringDescription.FixedThresholds(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)).ParamName);
        Assert.Equal("upperBounds", Assert.Throws<ArgumentException>(() => ScoringDescription.FixedThresholds(1, double.NaN)).ParamName);
        var notIncreasing = Assert.Throws<ArgumentException>(() => ScoringDescription.FixedThresholds(5, 5));
        Assert.Contains("threshold 1 (5) is not above threshold 0 (5)", notIncreasing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_ArgValidation()
    {
        Assert.Equal("bins", Assert.Throws<ArgumentOutOfRangeException>(() => ScoringDescription.Custom(1)).ParamName);
        Assert.Equal("bins", Assert.Throws<ArgumentOutOfRangeException>(() => ScoringDescription.Custom(11)).ParamName);
    }

    [Fact]
    public void Scheme_RefusesAStrategyThatStatesOtherBins_NamingTheMetric()
    {
        var four = new Stated(ScoringDescription.Custom(4));

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RfmScoring(ScoringStrategies.Quantile, four, ScoringStrategies.Quantile, bins: 5));
        var scheme = new RfmScoring(ScoringStrategies.Quantile, four, ScoringStrategies.Quantile, bins: 4);

        Assert.Equal("frequency", ex.ParamName);
        Assert.Equal("The strategy 'stated' (custom, 4 scores) makes 4 scores, but the scheme has 5.", ErrorMessages.Plain(ex));
        Assert.Same(four, scheme.Frequency);
    }

    [Fact]
    public void Scheme_RefusesAStrategyWithoutADescription()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RfmScoring(new Stated(null!), ScoringStrategies.Quantile, ScoringStrategies.Quantile));

        Assert.Equal("recency", ex.ParamName);
    }

    private sealed class Silent : IScoringStrategy
    {
        public string Name => "silent";

        public ImmutableArray<double> Score(ReadOnlySpan<double> values, int bins, Span<int> scores) => ScoringStrategies.Quantile.Score(values, bins, scores);
    }

    private sealed class Stated(ScoringDescription description) : IScoringStrategy
    {
        public string Name => "stated";

        public ScoringDescription Description => description;

        public ImmutableArray<double> Score(ReadOnlySpan<double> values, int bins, Span<int> scores) => ScoringStrategies.Quantile.Score(values, bins, scores);
    }
}
