using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Tests.Calculation;

public sealed class RfmCalculatorTests
{
    private static readonly DateTime AsOf = new(2024, 12, 31);

    // Ten customers: c0 bought once 90 days ago for 10; c9 bought ten times, last 0 days ago, for 100 each.
    private static Transaction[] Ladder()
    {
        var rows = new List<Transaction>();
        for (var c = 0; c < 10; c++)
        {
            for (var order = 0; order <= c; order++)
            {
                rows.Add(new Transaction($"c{c}", $"{c}-{order}", AsOf.AddDays(-(90 - (10 * c)) - order), 10m * (c + 1)));
            }
        }

        return [.. rows];
    }

    [Fact]
    public void Default_Ladder_ScoresBestCustomerHighest()
    {
        var result = RfmCalculator.Default.Calculate(Ladder(), AsOf);

        Assert.Equal(10, result.Customers.Length);
        Assert.True(result.TryGetCustomer("c9", out var best));
        Assert.Equal(new RfmScore(5, 5, 5), best.Score);
        Assert.Same(Segments.Champions, best.Segment);
        Assert.True(result.TryGetCustomer("c0", out var worst));
        Assert.Equal(new RfmScore(1, 1, 1), worst.Score);
        Assert.Same(Segments.Hibernating, worst.Segment);
        Assert.False(result.TryGetCustomer("nobody", out _));
    }

    [Fact]
    public void Result_ReportsThresholdsAndBandsPerMetric()
    {
        var result = RfmCalculator.Default.Calculate(Ladder(), AsOf);

        Assert.Equal([RfmMetric.Recency, RfmMetric.Frequency, RfmMetric.Monetary], result.Scoring.Select(s => s.Metric));
        Assert.Equal("quantile", result.Monetary.Strategy);
        Assert.Equal(6, result.Monetary.Edges.Length);
        Assert.Equal(10.0, result.Monetary.Edges[0]);
        Assert.Equal(100.0 * 10, result.Monetary.Edges[5]);
        Assert.Equal(5, result.Frequency.DistinctScores);
        Assert.False(result.Frequency.HasUnusedScores);
        Assert.Equal(new ScoreBand(1, 2, 1, 2), result.Frequency.Bands[0]);

        // Bands carry the scores customers have: recency 5 is the most recent.
        var r5 = result.Recency.Bands.Single(b => b.Score == 5);
        Assert.Equal(result.Customers.Where(c => c.Score.R == 5).Max(c => c.Metrics.Recency), r5.Max);
        Assert.Equal(0, r5.Min);
        Assert.Equal(10, result.Recency.Bands.Sum(b => b.Customers));
    }

    [Fact]
    public void SegmentSummary_CountsSharesMeansAndTotals()
    {
        var result = RfmCalculator.Default.Calculate(Ladder(), AsOf);

        Assert.Equal(10, result.Segments.Sum(s => s.Customers));
        Assert.Equal(1.0, result.Segments.Sum(s => s.Share), 12);
        Assert.Equal(result.Customers.Sum(c => c.Metrics.Monetary), result.Segments.Sum(s => s.TotalMonetary));
        var champions = result.Segments.Single(s => s.Segment == Segments.Champions);
        var members = result.Customers.Where(c => c.Segment == Segments.Champions).ToList();
        Assert.Equal(members.Count, champions.Customers);
        Assert.Equal(members.Average(c => c.Metrics.Recency), champions.MeanRecency, 12);
        Assert.Equal(members.Sum(c => c.Metrics.Monetary) / members.Count, champions.MeanMonetary);

        // In the map's order, most valuable first.
        var order = SegmentMaps.Classic.Segments.ToList();
        Assert.Equal(result.Segments.Select(s => order.IndexOf(s.Segment)).Order(), result.Segments.Select(s => order.IndexOf(s.Segment)));
    }

    [Fact]
    public void FixedThresholds_ForRecency_AreReversed()
    {
        var scoring = new RfmScoring(ScoringStrategies.FixedThresholds(30, 90, 180, 365), ScoringStrategies.Quantile, ScoringStrategies.Quantile);
        var calculator = new RfmCalculator(scoring: scoring);

        var result = calculator.Calculate<Transaction>(
            [new("recent", "1", AsOf.AddDays(-30), 1m), new("old", "2", AsOf.AddDays(-400), 1m), new("mid", "3", AsOf.AddDays(-100), 1m)],
            AsOf);

        Assert.Equal([3, 1, 5], result.Customers.Select(c => c.Score.R)); // mid, old, recent
    }

    [Fact]
    public void CustomStrategy_ScoreOutOfRange_ThrowsNamingStrategyAndCustomer()
    {
        var broken = ScoringStrategies.Create("broken", (_, _) => 0);
        var calculator = new RfmCalculator(scoring: new RfmScoring(ScoringStrategies.Quantile, broken, ScoringStrategies.Quantile));

        var ex = Assert.Throws<InvalidOperationException>(() => calculator.Calculate<Transaction>([new("a", "1", AsOf, 1m)], AsOf));

        Assert.Contains("broken", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManyCustomers_MetricsScoredAtOnce_GiveTheSameResultAndTheFirstFailure()
    {
        // Enough customers for the three metrics to be scored on separate threads.
        var rows = Enumerable.Range(0, 20_000)
            .Select(i => new Transaction($"c{i:D5}", $"o{i % 7}", AsOf.AddDays(-(i % 400)), 1m + (i % 97)))
            .ToArray();
        var result = RfmCalculator.Default.Calculate<Transaction>(rows.AsSpan(), AsOf);

        // Each metric scored on its own, one after another, gives the same scores.
        var customers = result.Customers;
        int[] Scores(Func<CustomerRfm, double> value)
        {
            var scores = new int[customers.Length];
            ScoringStrategies.Quantile.Score(customers.Select(value).ToArray(), 5, scores);
            return scores;
        }

        Assert.Equal(Scores(c => c.Metrics.Recency).Select(s => 6 - s), customers.Select(c => c.Score.R));
        Assert.Equal(Scores(c => c.Metrics.Frequency), customers.Select(c => c.Score.F));
        Assert.Equal(Scores(c => (double)c.Metrics.Monetary), customers.Select(c => c.Score.M));

        var broken = ScoringStrategies.Create("broken", (_, _) => 0);
        var failing = new RfmCalculator(scoring: new RfmScoring(ScoringStrategies.Quantile, broken, broken));
        var ex = Assert.Throws<InvalidOperationException>(() => failing.Calculate<Transaction>(rows.AsSpan(), AsOf));
        Assert.Contains("Frequency", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CustomSegmentMap_IsUsed()
    {
        var vip = new Segment("vip", "VIP");
        var map = SegmentMaps.FromRules("vip-only", [new(vip, ScoreRange.Any, ScoreRange.Any, new ScoreRange(5, 5))]);
        var calculator = new RfmCalculator(segmentMap: map);

        var result = calculator.Calculate(Ladder(), AsOf);

        Assert.Equal(["vip", "other"], result.Segments.Select(s => s.Segment.Key));
    }

    [Fact]
    public void Accumulator_Incremental_GivesSameResultAsOneCall()
    {
        var rows = Ladder();
        var accumulator = RfmCalculator.Tutorial.CreateAccumulator(AsOf);
        accumulator.AddRange(rows.AsSpan(0, 20));
        var first = RfmCalculator.Tutorial.Calculate(accumulator);
        accumulator.AddRange(rows.AsSpan(20));

        var incremental = RfmCalculator.Tutorial.Calculate(accumulator);
        var whole = RfmCalculator.Tutorial.Calculate(rows, AsOf);

        Assert.Equal(whole.Customers.ToArray(), incremental.Customers.ToArray());
        Assert.True(first.Customers.Length < whole.Customers.Length);
    }

    [Fact]
    public void Accumulator_WithoutCutoff_IsCalculatedAsOfTheDateGiven()
    {
        var rows = Ladder();
        var accumulator = RfmCalculator.Tutorial.CreateAccumulator();
        accumulator.AddRange(rows);

        Assert.Null(accumulator.Cutoff);
        Assert.Throws<InvalidOperationException>(() => RfmCalculator.Tutorial.Calculate(accumulator));
        var measured = RfmCalculator.Tutorial.Calculate(accumulator, AsOf);
        Assert.Equal(RfmCalculator.Tutorial.Calculate(rows, AsOf).Customers.ToArray(), measured.Customers.ToArray());
        Assert.Equal(AsOf, measured.AsOf);
        Assert.Equal("accumulator", Assert.Throws<ArgumentNullException>(() => RfmCalculator.Tutorial.Calculate((RfmAccumulator)null!, AsOf)).ParamName);
    }

    [Fact]
    public void MapMadeForOtherBins_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RfmCalculator(scoring: RfmScoring.Quantile(10)));

        Assert.Equal("segmentMap", ex.ParamName);
        Assert.Contains("made for 5 scores, but the scoring gives 10", ex.Message, StringComparison.Ordinal);
        var anyBins = SegmentMaps.FromPatterns("any", [new("[9-9].", Segments.Champions)]);
        Assert.Null(anyBins.Bins);
        Assert.Same(anyBins, new RfmCalculator(scoring: RfmScoring.Quantile(10), segmentMap: anyBins).SegmentMap);
    }

    [Fact]
    public void Empty_Input_GivesEmptyResult()
    {
        var result = RfmCalculator.Default.Calculate(Array.Empty<Transaction>(), AsOf);

        Assert.Empty(result.Customers);
        Assert.Empty(result.Segments);
        Assert.Equal(0, result.Ingestion.RowsRead);
    }

    [Fact]
    public void Presets_AreWhatTheDocsSay()
    {
        Assert.Same(TransactionPolicy.Default, RfmCalculator.Default.Policy);
        Assert.Same(SegmentMaps.Classic, RfmCalculator.Default.SegmentMap);
        Assert.All([RfmMetric.Recency, RfmMetric.Frequency, RfmMetric.Monetary], m => Assert.Same(ScoringStrategies.Quantile, RfmCalculator.Default.Scoring.For(m)));
        Assert.Same(ScoringStrategies.RankQuantile, RfmCalculator.Tutorial.Scoring.Frequency);
        Assert.Same(TransactionPolicy.Tutorial, RfmCalculator.Tutorial.Policy);
        Assert.Equal(5, RfmCalculator.Tutorial.Scoring.Bins);
        Assert.Same(RfmCalculator.Tutorial, RfmCalculator.Presets["Tutorial"]);
        Assert.Same(RfmCalculator.Default, RfmCalculator.Presets["default"]);
    }

    [Fact]
    public void Calculate_ArgValidation()
    {
        Assert.Equal("transactions", Assert.Throws<ArgumentNullException>(() => RfmCalculator.Default.Calculate((IEnumerable<Transaction>)null!, AsOf)).ParamName);
        Assert.Equal("accumulator", Assert.Throws<ArgumentNullException>(() => RfmCalculator.Default.Calculate((RfmAccumulator)null!)).ParamName);
        Assert.Equal("snapshot", Assert.Throws<ArgumentNullException>(() => RfmCalculator.Default.Score(null!)).ParamName);
        Assert.Equal("customerId", Assert.Throws<ArgumentNullException>(() => RfmCalculator.Default.Calculate(Ladder(), AsOf).TryGetCustomer(null!, out _)).ParamName);
    }
}
