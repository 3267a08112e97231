using FsCheck.Xunit;
using Rfm.Scoring;

namespace Rfm.Tests;

/// <summary>
/// Properties of the built-in scoring strategies, alone and through <see cref="RfmCalculator"/>, over 2 to 10
/// scores and columns with heavy ties (see <see cref="Generators"/>).
/// </summary>
[Properties(Arbitrary = [typeof(Generators)])]
public sealed class ScoringPropertyTests
{
    // ---- 1. Every score is in 1..bins ----

    [Property(MaxTest = 1000)]
    public void Quantile_Scores_AreWithinOneToBins(ScoringCase column) =>
        AssertWithinOneToBins(Score(ScoringStrategies.Quantile, column), column.Bins);

    [Property(MaxTest = 1000)]
    public void RankQuantile_Scores_AreWithinOneToBins(ScoringCase column) =>
        AssertWithinOneToBins(Score(ScoringStrategies.RankQuantile, column), column.Bins);

    [Property(MaxTest = 1000)]
    public void FixedThresholds_Scores_AreWithinOneToBins(FixedThresholdsCase column)
    {
        var scores = Score(column.Strategy, column.Column.Values, column.Bins);
        AssertWithinOneToBins(scores, column.Bins);

        // And they are what the thresholds say: 1 + the number of thresholds strictly below the value.
        for (var i = 0; i < scores.Length; i++)
        {
            Assert.Equal(1 + column.Bounds.Count(b => b < column.Column.Exact[i]), scores[i]);
        }
    }

    // ---- 2. Monotone in the value ----

    [Property(MaxTest = 1000)]
    public void Quantile_Scores_AreMonotoneInValue(ScoringCase column) =>
        AssertMonotone(column.Values, Score(ScoringStrategies.Quantile, column));

    [Property(MaxTest = 1000)]
    public void RankQuantile_Scores_AreMonotoneInValueThenPosition(ScoringCase column)
    {
        var scores = Score(ScoringStrategies.RankQuantile, column);
        AssertMonotone(column.Values, scores);

        // Stronger: ties are ranked by position, so in (value, position) order the scores never go down.
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => column.Values[i]).ThenBy(i => i).ToArray();
        for (var i = 1; i < order.Length; i++)
        {
            if (scores[order[i - 1]] > scores[order[i]])
            {
                Assert.Fail($"positions {order[i - 1]} and {order[i]} are out of order");
            }
        }
    }

    [Property(MaxTest = 1000)]
    public void FixedThresholds_Scores_AreMonotoneInValue(FixedThresholdsCase column) =>
        AssertMonotone(column.Column.Values, Score(column.Strategy, column.Column.Values, column.Bins));

    [Property(MaxTest = 1000)]
    public void Calculate_Scores_AreMonotoneInMetrics_WithRecencyReversed(TransactionLog log, CalculatorCase calculator)
    {
        var result = calculator.Calculator.Calculate(log.Rows, log.AsOf);
        var bins = calculator.Calculator.Scoring.Bins;
        var customers = result.Customers;
        foreach (var c in customers)
        {
            Assert.InRange(c.Score.R, 1, bins);
            Assert.InRange(c.Score.F, 1, bins);
            Assert.InRange(c.Score.M, 1, bins);
        }

        foreach (var x in customers)
        {
            foreach (var y in customers)
            {
                // A larger recency (an older last purchase) never gets a larger R score.
                if (x.Metrics.Recency > y.Metrics.Recency && x.Score.R > y.Score.R)
                {
                    Assert.Fail($"R: {x} vs {y}");
                }

                if (x.Metrics.Frequency > y.Metrics.Frequency && x.Score.F < y.Score.F)
                {
                    Assert.Fail($"F: {x} vs {y}");
                }

                if (x.Metrics.Monetary > y.Metrics.Monetary && x.Score.M < y.Score.M)
                {
                    Assert.Fail($"M: {x} vs {y}");
                }
            }
        }
    }

    // ---- 3. Quantile: equal values share a score ----

    [Property(MaxTest = 1000)]
    public void Quantile_EqualValues_ShareScore(ScoringCase column) =>
        AssertEqualValuesShareScore(column.Values, Score(ScoringStrategies.Quantile, column));

    [Property(MaxTest = 1000)]
    public void FixedThresholds_EqualValues_ShareScore(FixedThresholdsCase column) =>
        AssertEqualValuesShareScore(column.Column.Values, Score(column.Strategy, column.Column.Values, column.Bins));

    [Property(MaxTest = 1000)]
    public void Calculate_DefaultPreset_EqualMetrics_ShareScores(TransactionLog log)
    {
        // Monetary totals are decimals: 1.5 and 1.50 are equal and must share a score after the conversion to double.
        var customers = RfmCalculator.Default.Calculate(log.Rows, log.AsOf).Customers;
        foreach (var x in customers)
        {
            foreach (var y in customers)
            {
                if (x.Metrics.Recency == y.Metrics.Recency && x.Score.R != y.Score.R)
                {
                    Assert.Fail($"R: {x} vs {y}");
                }

                if (x.Metrics.Frequency == y.Metrics.Frequency && x.Score.F != y.Score.F)
                {
                    Assert.Fail($"F: {x} vs {y}");
                }

                if (x.Metrics.Monetary == y.Metrics.Monetary && x.Score.M != y.Score.M)
                {
                    Assert.Fail($"M: {x} vs {y}");
                }
            }
        }
    }

    // ---- 4. RankQuantile: score sizes ----
    //
    // With ranks 1..n and exact arithmetic, pandas' qcut puts rank r in score k when e(k-1) < r <= e(k), where
    // e(k) = 1 + (n - 1) k / bins; so the number of ranks with a score <= k is E(k) = 1 + floor((n - 1) k / bins),
    // the sizes differ by at most one, every score is used when n >= bins, and each score is used at most once
    // when n < bins.
    //
    // In floating point (numpy's linspace probabilities i * (1 / bins), times n - 1, then a lerp) an edge that is
    // exactly a rank can come out one ulp below it; that rank then moves up one score. numpy and pandas do the
    // same, so the library must too: pd.qcut(ranks 1..19, 6) has sizes 4,3,3,3,2,4, and pd.qcut(ranks 1..8, 7)
    // leaves score 5 empty (2,1,1,1,0,2,1). For n up to 20,000 it happens only with 6, 7 and 9 bins, where some
    // i * (1 / bins) rounds below i / bins. So the precise invariant tested is:
    //   count(score <= k) == E(k), or E(k) - 1 where the exact edge e(k) is itself a rank ((n - 1) k % bins == 0);
    // and, as consequences that always hold, each score is used at most once when n < bins, and when no exact
    // edge is a rank (gcd(n - 1, bins) == 1) and n >= bins, every score is used and sizes differ by at most one.

    [Property(MaxTest = 1000)]
    public void RankQuantile_CumulativeCounts_MatchExactQcut_ExceptOneRankOnAnEdgeThatIsARank(ScoringCase column)
    {
        var n = column.Values.Length;
        var bins = column.Bins;
        var scores = Score(ScoringStrategies.RankQuantile, column);
        for (var k = 1; k <= bins; k++)
        {
            var actual = scores.Count(s => s <= k);
            var exact = n == 0 ? 0 : 1 + ((n - 1) * k / bins);
            var edgeIsARank = (n - 1) * k % bins == 0;
            Assert.True(
                actual == exact || (actual == exact - 1 && edgeIsARank && k < bins),
                $"n {n}, bins {bins}: {actual} scores <= {k}, exact qcut has {exact}");
        }
    }

    [Property(MaxTest = 1000)]
    public void RankQuantile_FewerValuesThanBins_EachScoreUsedAtMostOnce(ScoringCase column)
    {
        var values = column.Values[..Math.Min(column.Values.Length, column.Bins - 1)];
        var scores = Score(ScoringStrategies.RankQuantile, values, column.Bins);
        Assert.Equal(scores.Length, scores.Distinct().Count());
        if (values.Length >= 1)
        {
            Assert.Contains(1, scores);
        }

        if (values.Length >= 2)
        {
            Assert.Contains(column.Bins, scores);
        }
    }

    [Property(MaxTest = 1000)]
    public void RankQuantile_NoEdgeOnARank_EveryScoreUsed_SizesDifferByAtMostOne(ScoringCase column)
    {
        // Lengthen the column to at least bins values (cycling its values, so ties stay), then shorten it to the
        // longest length n with gcd(n - 1, bins) == 1: no exact edge is a rank. n = bins always qualifies.
        var bins = column.Bins;
        var n = bins + column.Values.Length;
        while (Gcd(n - 1, bins) != 1)
        {
            n--;
        }

        var values = Enumerable.Range(0, n).Select(i => column.Values.Length == 0 ? 0.0 : column.Values[i % column.Values.Length]).ToArray();
        var scores = Score(ScoringStrategies.RankQuantile, values, bins);
        var sizes = Enumerable.Range(1, bins).Select(k => scores.Count(s => s == k)).ToArray();
        Assert.True(sizes.Min() >= 1 && sizes.Max() - sizes.Min() <= 1, $"n {n}, bins {bins}: sizes {string.Join(",", sizes)}");
    }

    // ---- 5. Results do not depend on input order ----

    [Property(MaxTest = 1000)]
    public void Calculate_ShuffledRows_GiveIdenticalResults(ShuffledCase shuffled)
    {
        var calculator = shuffled.Calculator.Calculator;
        var expected = calculator.Calculate(shuffled.Log.Rows, shuffled.Log.AsOf);
        var actual = calculator.Calculate(shuffled.Shuffled, shuffled.Log.AsOf);
        AssertSameResult(expected, actual);
    }

    // ---- 6. Scores do not depend on the unit of the values ----
    //
    // Multiplying by a power of two only changes a double's exponent, so (barring overflow and subnormals, far
    // outside these values) every product, difference and lerp on the scaled values is exactly 2^k times the one on
    // the original values: the same comparisons, the same scores, bit for bit. Other factors round: (3 * a) is not
    // always exactly 3 times a, and the lerp b - (b - a) * (1 - g) that lands exactly on a data value b at one scale
    // can land one ulp below it at another, which moves that value (and its ties) up one score. With factors such as
    // 3, 10, 100, 0.1 or 1.1 that happens on about one column in 1,500 to 2,500 of these (numpy and pandas do the
    // same), too often for a strict equality to pass 1,000 cases reliably. See
    // Quantile_AnyPositiveScaling_ChangesScoresOnlyOnAnExactEdge_ByOne for the precise invariant that holds then.

    [Property(MaxTest = 1000)]
    public void Quantile_Scores_AreUnchangedByPowerOfTwoScaling(ScoringCase column, PowerOfTwo factor) =>
        Assert.Equal(
            Score(ScoringStrategies.Quantile, column),
            Score(ScoringStrategies.Quantile, Array.ConvertAll(column.Values, v => v * factor.Value), column.Bins));

    [Property(MaxTest = 1000)]
    public void RankQuantile_Scores_AreUnchangedByPowerOfTwoScaling(ScoringCase column, PowerOfTwo factor) =>
        Assert.Equal(
            Score(ScoringStrategies.RankQuantile, column),
            Score(ScoringStrategies.RankQuantile, Array.ConvertAll(column.Values, v => v * factor.Value), column.Bins));

    [Property(MaxTest = 1000)]
    public void RankQuantile_Scores_AreUnchangedByAnyPositiveScaling(ScoringCase column, PositiveFactor factor) =>
        // Only the order of the values matters, and multiplying by a positive factor keeps it (these values are
        // far more than an ulp apart, so none collapse into a tie).
        Assert.Equal(
            Score(ScoringStrategies.RankQuantile, column),
            Score(ScoringStrategies.RankQuantile, Array.ConvertAll(column.Values, v => v * factor.Value), column.Bins));

    [Property(MaxTest = 1000)]
    public void Quantile_AnyPositiveScaling_ChangesScoresOnlyOnAnExactEdge_ByOne(ScoringCase column, PositiveFactor factor)
    {
        var before = Score(ScoringStrategies.Quantile, column);
        var after = Score(ScoringStrategies.Quantile, Array.ConvertAll(column.Values, v => v * factor.Value), column.Bins);
        var edges = ExactEdgesTimesBins(column.Exact, column.Bins);
        for (var i = 0; i < before.Length; i++)
        {
            if (before[i] != after[i])
            {
                var onEdge = edges.Contains(column.Exact[i] * column.Bins);
                Assert.True(
                    Math.Abs(before[i] - after[i]) == 1 && onEdge,
                    $"value {column.Exact[i]} scored {before[i]}, times {factor.Value:R} scored {after[i]} (on an exact edge: {onEdge})");
            }
        }
    }

    // ---- 7. Quantile matches independent references ----

    [Property(MaxTest = 1000)]
    public void Quantile_MatchesNumpyType7Reference(ScoringCase column)
    {
        var scores = new int[column.Values.Length];
        var edges = ScoringStrategies.Quantile.Score(column.Values, column.Bins, scores);
        var (expectedEdges, expectedScores) = NumpyQcut(column.Values, column.Bins);
        Assert.Equal(expectedEdges, edges.ToArray());
        Assert.Equal(expectedScores, scores);
    }

    [Property(MaxTest = 1000)]
    public void RankQuantile_MatchesQcutOfFirstRanksReference(ScoringCase column)
    {
        // pandas: qcut(x.rank(method="first"), bins): rank 1..n in (value, position) order, then qcut the ranks.
        var n = column.Values.Length;
        var order = Enumerable.Range(0, n).OrderBy(i => column.Values[i]).ThenBy(i => i).ToArray();
        var ranks = new double[n];
        for (var rank = 0; rank < n; rank++)
        {
            ranks[order[rank]] = rank + 1;
        }

        var (_, expected) = NumpyQcut(ranks, column.Bins);
        Assert.Equal(expected, Score(ScoringStrategies.RankQuantile, column));
    }

    [Property(MaxTest = 1000)]
    public void Quantile_MatchesExactArithmetic_ExceptOneUlpBelowAnEdgeOnAValue(ScoringCase column)
    {
        // The type-7 edges in exact decimal arithmetic: floating point can only put an edge that lands exactly on a
        // data value one ulp below it (see the RankQuantile notes above), which moves that value up one score.
        var scores = Score(ScoringStrategies.Quantile, column);
        var edges = ExactEdgesTimesBins(column.Exact, column.Bins);
        for (var i = 0; i < scores.Length; i++)
        {
            var scaled = column.Exact[i] * column.Bins;
            var exact = 1 + edges.Skip(1).Take(column.Bins - 1).Count(e => e < scaled);
            if (scores[i] != exact && !(scores[i] == exact + 1 && edges[exact] == scaled))
            {
                Assert.Fail($"value {column.Exact[i]}: scored {scores[i]}, exact arithmetic gives {exact}");
            }
        }
    }

    // ---- Helpers ----

    private static int[] Score(IScoringStrategy strategy, ScoringCase column) => Score(strategy, column.Values, column.Bins);

    private static int[] Score(IScoringStrategy strategy, double[] values, int bins)
    {
        var scores = new int[values.Length];
        strategy.Score(values, bins, scores);
        return scores;
    }

    private static void AssertWithinOneToBins(int[] scores, int bins)
    {
        foreach (var score in scores)
        {
            Assert.InRange(score, 1, bins);
        }
    }

    private static void AssertMonotone(double[] values, int[] scores)
    {
        for (var i = 0; i < values.Length; i++)
        {
            for (var j = 0; j < values.Length; j++)
            {
                if (values[i] < values[j] && scores[i] > scores[j])
                {
                    Assert.Fail($"{values[i]} scored {scores[i]} but {values[j]} scored {scores[j]}");
                }
            }
        }
    }

    private static void AssertEqualValuesShareScore(double[] values, int[] scores)
    {
        for (var i = 0; i < values.Length; i++)
        {
            for (var j = 0; j < values.Length; j++)
            {
                if (values[i] == values[j] && scores[i] != scores[j])
                {
                    Assert.Fail($"{values[i]} scored {scores[i]} and {scores[j]}");
                }
            }
        }
    }

    /// <summary>
    /// numpy.quantile(x, numpy.linspace(0, 1, bins + 1)) (method "linear", type 7), then pandas' cut with those
    /// edges (right-closed, include_lowest): written from numpy's and pandas' source, step by step, so that it
    /// rounds exactly as they do. A textbook version (p = k / bins, lerp a + (b - a) g) is all but exact arithmetic,
    /// and so differs from numpy wherever numpy puts an edge that lands on a data value one ulp below it: on about 1%
    /// of these columns. It is no reference for a library whose contract is to agree with pandas to the last customer;
    /// Quantile_MatchesExactArithmetic_ExceptOneUlpBelowAnEdgeOnAValue bounds that difference instead.
    /// </summary>
    private static (double[] Edges, int[] Scores) NumpyQcut(double[] values, int bins)
    {
        if (values.Length == 0)
        {
            return ([], []);
        }

        // numpy.linspace(0, 1, num): step = 1 / (num - 1); y = arange(0, num) * step; y[-1] = stop.
        var step = 1.0 / bins;
        var probabilities = Enumerable.Range(0, bins + 1).Select(i => i == bins ? 1.0 : i * step).ToArray();

        // numpy _quantile: virtual index (n - 1) * q; previous = floor, next = previous + 1, both clipped to the
        // last element; gamma = index - previous; _lerp(a, b, t) = a + (b - a) t, or b - (b - a)(1 - t) where t >= 0.5.
        var sorted = values.Order().ToArray();
        var last = sorted.Length - 1;
        var edges = probabilities.Select(q =>
        {
            var index = (sorted.Length - 1) * q;
            var previous = Math.Floor(index);
            var a = sorted[Math.Min((int)previous, last)];
            var b = sorted[Math.Min((int)previous + 1, last)];
            var gamma = index - previous;
            var difference = b - a;
            return gamma >= 0.5 ? b - (difference * (1 - gamma)) : a + (difference * gamma);
        }).ToArray();

        // pandas _bins_to_cuts(right=True, include_lowest=True): ids = edges.searchsorted(x, side="left"), and
        // x == edges[0] gets id 1; labels=False gives ids - 1, so the 1-based score is the id.
        var scores = values.Select(x => x == edges[0] ? 1 : SearchSortedLeft(edges, x)).ToArray();
        return (edges, scores);
    }

    /// <summary>The first index whose edge is not less than x (numpy.searchsorted, side="left").</summary>
    private static int SearchSortedLeft(double[] edges, double x)
    {
        int low = 0, high = edges.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (edges[middle] < x)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>
    /// The bins + 1 exact type-7 edges, each times bins so that they stay exact in decimal: with h = (n - 1) k / bins,
    /// lower = floor(h) and r = (n - 1) k mod bins, bins * edge(k) = bins * s[lower] + (s[lower + 1] - s[lower]) r.
    /// </summary>
    private static decimal[] ExactEdgesTimesBins(decimal[] values, int bins)
    {
        if (values.Length == 0)
        {
            return [];
        }

        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        return [.. Enumerable.Range(0, bins + 1).Select(k =>
        {
            var lower = (n - 1) * k / bins;
            var remainder = (n - 1) * k % bins;
            return lower >= n - 1
                ? sorted[n - 1] * bins
                : (sorted[lower] * bins) + ((sorted[lower + 1] - sorted[lower]) * remainder);
        })];
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    private static void AssertSameResult(RfmResult expected, RfmResult actual)
    {
        Assert.Equal(expected.AsOf, actual.AsOf);
        Assert.Equal(expected.Customers.ToArray(), actual.Customers.ToArray());
        Assert.Equal(expected.Segments.ToArray(), actual.Segments.ToArray());
        Assert.Equal(expected.Scoring.Length, actual.Scoring.Length);
        for (var i = 0; i < expected.Scoring.Length; i++)
        {
            var e = expected.Scoring[i];
            var a = actual.Scoring[i];
            Assert.Equal((e.Metric, e.Strategy, e.Bins), (a.Metric, a.Strategy, a.Bins));
            Assert.Equal(e.Edges.ToArray(), a.Edges.ToArray());
            Assert.Equal(e.Bands.ToArray(), a.Bands.ToArray());
        }

        AssertSameIngestion(expected.Ingestion, actual.Ingestion);
    }

    private static void AssertSameIngestion(IngestionSummary expected, IngestionSummary actual)
    {
        Assert.Equal(
            (expected.RowsRead, expected.AmountRead, expected.RowsUsed, expected.AmountUsed, expected.Customers),
            (actual.RowsRead, actual.AmountRead, actual.RowsUsed, actual.AmountUsed, actual.Customers));
        Assert.Equal(expected.Exclusions.ToArray(), actual.Exclusions.ToArray());
    }
}
