using System.Globalization;
using Rfm.Scoring;

namespace Rfm.Tests.Golden;

/// <summary>
/// Quantile and rank-quantile scoring on about 600 seeded columns against the scores pandas gives them
/// (tests/golden/qcut_cases.py, made with pandas <c>qcut</c>, independently of this library).
/// </summary>
public sealed class QcutGoldenTests
{
    private static readonly Lazy<List<GoldenCase>> Cases = new(ReadGolden);

    [Fact]
    public void Quantile_EveryCase_EqualsPandas() =>
        AssertEveryCase(ScoringStrategies.Quantile, c => c.Quantile);

    [Fact]
    public void RankQuantile_EveryCase_EqualsPandas() =>
        AssertEveryCase(ScoringStrategies.RankQuantile, c => c.RankQuantile);

    [Fact]
    public void Golden_CoversTheShapes()
    {
        var cases = Cases.Value;

        Assert.True(cases.Count >= 500, $"only {cases.Count} cases");
        Assert.All(cases, c => Assert.InRange(c.Bins, ScoringStrategies.MinBins, ScoringStrategies.MaxBins));
        Assert.Contains(cases, c => c.Values.Length == 1);
        Assert.Contains(cases, c => c.Values.Length >= 200);
        Assert.Contains(cases, c => c.Values.Any(v => v < 0));
        Assert.Contains(cases, c => c.Values.Length > 1 && c.Values.All(v => v == c.Values[0]));
    }

    private static void AssertEveryCase(IScoringStrategy strategy, Func<GoldenCase, int[]> expectedOf)
    {
        var mismatches = new List<string>();
        foreach (var c in Cases.Value)
        {
            var expected = expectedOf(c);
            var actual = new int[c.Values.Length];
            strategy.Score(c.Values, c.Bins, actual);
            if (!expected.SequenceEqual(actual))
            {
                mismatches.Add(
                    $"case {c.Id}, bins {c.Bins}, values [{c.ValuesText}]: expected [{string.Join(' ', expected)}], got [{string.Join(' ', actual)}]");
            }
        }

        Assert.True(
            mismatches.Count == 0,
            $"{strategy.Name}: {mismatches.Count} of {Cases.Value.Count} cases differ from pandas; first:{Environment.NewLine}{string.Join(Environment.NewLine, mismatches.Take(5))}");
    }

    private static List<GoldenCase> ReadGolden()
    {
        var lines = File.ReadAllLines(TestData.GoldenPath("qcut_cases.csv"));
        Assert.Equal("case,bins,values,quantile,rank_quantile", lines[0]);
        return
        [
            .. lines.Skip(1).Select(line =>
            {
                var f = line.Split(',');
                Assert.Equal(5, f.Length);
                var values = f[2].Split(' ').Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
                var quantile = Integers(f[3]);
                var rankQuantile = Integers(f[4]);
                Assert.Equal(values.Length, quantile.Length);
                Assert.Equal(values.Length, rankQuantile.Length);
                return new GoldenCase(f[0], int.Parse(f[1], CultureInfo.InvariantCulture), f[2], values, quantile, rankQuantile);
            }),
        ];
    }

    private static int[] Integers(string text) =>
        [.. text.Split(' ').Select(t => int.Parse(t, CultureInfo.InvariantCulture))];

    private sealed record GoldenCase(string Id, int Bins, string ValuesText, double[] Values, int[] Quantile, int[] RankQuantile);
}
