using System.Collections.Immutable;
using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Tests.Calculation;

public sealed class RfmCalculatorOptionsTests
{
    private static readonly DateTime AsOf = new(2024, 2, 1);

    private static readonly Transaction[] Rows =
    [
        new("a", "1", AsOf.AddDays(-3), 120m), new("a", "C2", AsOf.AddDays(-2), -20m), new("b", "3", AsOf.AddDays(-200), 15m),
        new("c", "4C", AsOf.AddDays(-40), 60m), new("d", "5", AsOf.AddDays(-90), -300m), new("e", "6", AsOf.AddDays(-10), 5m),
    ];

    [Fact]
    public void Unset_BuildsThePresets_WithTheSameResults()
    {
        foreach (var (name, preset) in RfmCalculator.Presets)
        {
            var built = new RfmCalculatorOptions { Preset = name }.Build();

            Assert.Equal(preset.Policy, built.Policy);
            Assert.Equal(preset.Scoring.Bins, built.Scoring.Bins);
            Assert.Same(preset.Scoring.Recency, built.Scoring.Recency);
            Assert.Same(preset.Scoring.Frequency, built.Scoring.Frequency);
            Assert.Same(preset.Scoring.Monetary, built.Scoring.Monetary);
            Assert.Same(preset.SegmentMap, built.SegmentMap);
            Assert.Equal(Lines(preset.Calculate(Rows, AsOf)), Lines(built.Calculate(Rows, AsOf)));
        }
    }

    [Fact]
    public void EverySetting_ReachesTheCalculator()
    {
        var calculator = new RfmCalculatorOptions
        {
            Preset = "tutorial",
            Bins = 4,
            Scoring = "rank-quantile",
            MonetaryScoring = "fixed:10/100/1000",
            SegmentMap = "TIERS",
            Cancellations = "starts-with:C",
            ExcludeNonPositive = true,
            DropNonPositiveCustomers = true,
        }.Build();

        Assert.Equal(4, calculator.Scoring.Bins);
        Assert.Same(ScoringStrategies.RankQuantile, calculator.Scoring.Recency);
        Assert.Same(ScoringStrategies.RankQuantile, calculator.Scoring.Frequency);
        Assert.Equal([10.0, 100.0, 1000.0], calculator.Scoring.Monetary.Description.UpperBounds.ToArray());
        Assert.Same(SegmentMaps.Tiers, calculator.SegmentMap);
        Assert.Equal(CancellationRule.OrderIdStartsWith("C"), calculator.Policy.Cancellations);
        Assert.True(calculator.Policy.ExcludeNonPositive);
        Assert.True(calculator.Policy.DropNonPositiveCustomers);
    }

    [Theory]
    [InlineData("none", "none")]
    [InlineData("contains:X", "order id contains 'X'")]
    [InlineData("Starts-With: C", "order id starts with ' C'")]
    public void Cancellations_AreReadAsRules(string text, string description) =>
        Assert.Equal(description, new RfmCalculatorOptions { Cancellations = text }.Build().Policy.Cancellations.Description);

    [Fact]
    public void Validate_ReportsEveryProblemAtOnce_EachNamingItsSetting()
    {
        var options = new RfmCalculatorOptions
        {
            Preset = "fancy",
            Bins = 11,
            Scoring = "median",
            FrequencyScoring = "nope",
            SegmentMap = "vip",
            Cancellations = "ends-with:C",
        };

        var errors = options.Validate();

        Assert.Equal(
            ["Preset", "Scoring", "FrequencyScoring", "Bins", "SegmentMap", "Cancellations"],
            errors.Select(e => e.Setting));
        Assert.Equal("Preset: 'fancy' is not a preset; use default or tutorial.", errors[0].ToString());
        Assert.Contains("'median'", errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("'nope'", errors[2].Message, StringComparison.Ordinal);
        Assert.Equal("'vip' is not a segment map; use one of classic, eleven-segments, tiers.", errors[4].Message);
        Assert.Equal("'ends-with:C' is not a rule; use starts-with:TEXT, contains:TEXT or none.", errors[5].Message);
    }

    [Fact]
    public void Build_ThrowsWithEveryProblem()
    {
        var options = new RfmCalculatorOptions { Bins = 1, Cancellations = "contains:" };

        var ex = Assert.Throws<InvalidOperationException>(options.Build);

        Assert.Equal(options.Validate().Length + 1, ex.Message.Split(Environment.NewLine).Length);
        Assert.Contains("Bins: The number of scores must be from 2 to 10.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Cancellations: 'contains:' is not a rule", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "fixed:1/2", "Bins and Scoring", "2 fixed thresholds make 3 scores, but the scheme has 5.")]
    [InlineData("fixed:1/2", null, "Bins and RecencyScoring", "2 fixed thresholds make 3 scores, but the scheme has 5.")]
    [InlineData(null, "quartiles", "Bins and Scoring", "The strategy 'quartiles' (custom, 4 scores) makes 4 scores, but the scheme has 5.")]
    public void StrategiesOfOtherBins_AreNamedBySettings(string? recency, string? shared, string setting, string message)
    {
        var options = new RfmCalculatorOptions { RecencyScoring = recency, Scoring = shared };
        options.CustomStrategies.Add(new Quartiles());

        var error = Assert.Single(options.Validate());

        Assert.Equal(new OptionsError(setting, message), error);
    }

    [Fact]
    public void MapOfOtherBins_IsASegmentMapError()
    {
        var error = Assert.Single(new RfmCalculatorOptions { Bins = 4 }.Validate());

        Assert.Equal("SegmentMap", error.Setting);
        Assert.StartsWith("The segment map 'classic' is made for 5 scores, but the scoring gives 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CustomStrategiesAndMaps_AreChosenByName_OverBuiltInsOfTheSameName()
    {
        var everyoneTop = ScoringStrategies.Create("quantile", (_, bins) => bins);
        var flat = SegmentMaps.FromRules("classic", [], new Segment("everyone", "Everyone"));
        var options = new RfmCalculatorOptions { Scoring = "Quantile", SegmentMap = "classic" };
        options.CustomStrategies.Add(everyoneTop);
        options.CustomSegmentMaps.Add(flat);

        var calculator = options.Build();
        var result = calculator.Calculate(Rows, AsOf);

        Assert.Same(everyoneTop, calculator.Scoring.Monetary);
        Assert.Same(flat, calculator.SegmentMap);
        Assert.All(result.Customers, c => Assert.Equal(("everyone", 5), (c.Segment.Key, c.Score.M)));
    }

    [Fact]
    public void UnknownStrategy_NamesTheRegisteredOnes()
    {
        var options = new RfmCalculatorOptions { Scoring = "median" };
        options.CustomStrategies.Add(new Quartiles());

        Assert.EndsWith(" Registered: quartiles.", Assert.Single(options.Validate()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FourScoresOfCustomCode_WithTheTiersMap_Build()
    {
        var options = new RfmCalculatorOptions { Bins = 4, Scoring = "quartiles", SegmentMap = "tiers" };
        options.CustomStrategies.Add(new Quartiles());

        var result = options.Build().Calculate(Rows, AsOf);

        Assert.All(result.Customers, c => Assert.Same(SegmentMaps.Tiers.Assign(c.Score, 4), c.Segment));
    }

    private static IEnumerable<string> Lines(RfmResult result) =>
        result.Customers.Select(c => $"{c.CustomerId} {c.Metrics.Monetary} {c.Score} {c.Segment.Key}").Append(result.Ingestion.RowsUsed.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private sealed class Quartiles : IScoringStrategy
    {
        public string Name => "quartiles";

        public ScoringDescription Description { get; } = ScoringDescription.Custom(4);

        public ImmutableArray<double> Score(ReadOnlySpan<double> values, int bins, Span<int> scores) =>
            ScoringStrategies.RankQuantile.Score(values, bins, scores);
    }
}
