using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Rfm.Scoring;

namespace Rfm.Benchmarks;

/// <summary>
/// Quantile and rank-quantile scoring of one metric column into 5 scores, against a plain sort of a copy of the
/// same values (both strategies sort a copy first, so the ratio shows what scoring adds to the sort).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ScoringBenchmarks
{
    private const int Bins = 5;

    private double[] _values = [];
    private int[] _scores = [];

    /// <summary>Customers scored.</summary>
    [Params(10_000, 100_000, 1_000_000)]
    public int Count { get; set; }

    /// <summary>
    /// Monetary-like values: log-normal (median about 300, long right tail), rounded to cents, so large columns
    /// have ties the way real monetary totals do.
    /// </summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(OnlineRetailGenerator.DefaultSeed);
        _values = new double[Count];
        for (var i = 0; i < _values.Length; i++)
        {
            // Box-Muller: a standard normal from two uniforms.
            var normal = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
            _values[i] = Math.Round(Math.Exp(5.7 + (1.3 * normal)), 2);
        }

        _scores = new int[Count];
    }

    /// <summary>Copies and sorts the values: the floor under any sort-based scoring.</summary>
    /// <returns>The sorted copy.</returns>
    [Benchmark(Baseline = true, Description = "Array.Sort (copy)")]
    public double[] ArraySort()
    {
        var copy = _values.ToArray();
        Array.Sort(copy);
        return copy;
    }

    /// <summary><see cref="ScoringStrategies.Quantile"/>.</summary>
    /// <returns>The edges.</returns>
    [Benchmark(Description = "Quantile")]
    public ImmutableArray<double> Quantile() => ScoringStrategies.Quantile.Score(_values, Bins, _scores);

    /// <summary><see cref="ScoringStrategies.RankQuantile"/>.</summary>
    /// <returns>The edges.</returns>
    [Benchmark(Description = "RankQuantile")]
    public ImmutableArray<double> RankQuantile() => ScoringStrategies.RankQuantile.Score(_values, Bins, _scores);
}
