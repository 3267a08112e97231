using System.Collections.Immutable;
using System.Globalization;

namespace Rfm.Scoring;

/// <summary>
/// What a scoring strategy does, in terms another engine can act on: quantile, rank-quantile, fixed thresholds
/// (with the bounds), or custom code (with the number of scores it makes, when it says). <c>Rfm.Sql</c> runs the first
/// three in the database and refuses custom code by this description; the calculator refuses a strategy whose stated
/// number of scores differs from its scoring's. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// A description is a promise: a custom strategy that describes itself as <see cref="Quantile"/> is run as the built-in
/// quantile scoring wherever the scoring is translated (to SQL, say), so it must score exactly as that does.
/// </remarks>
public sealed class ScoringDescription
{
    private static readonly ScoringDescription UnknownBins = new(ScoringKind.Custom, null, []);

    private ScoringDescription(ScoringKind kind, int? bins, ImmutableArray<double> upperBounds)
    {
        Kind = kind;
        Bins = bins;
        UpperBounds = upperBounds;
    }

    /// <summary>Quantile scoring, exactly as <see cref="ScoringStrategies.Quantile"/>, for any number of scores.</summary>
    public static ScoringDescription Quantile { get; } = new(ScoringKind.Quantile, null, []);

    /// <summary>Rank-quantile scoring, exactly as <see cref="ScoringStrategies.RankQuantile"/>, for any number of scores.</summary>
    public static ScoringDescription RankQuantile { get; } = new(ScoringKind.RankQuantile, null, []);

    /// <summary>The kind of scoring.</summary>
    public ScoringKind Kind { get; }

    /// <summary>
    /// The number of scores the strategy makes, or <see langword="null"/> when it makes any number it is asked for
    /// (quantiles) or does not say (custom code).
    /// </summary>
    public int? Bins { get; }

    /// <summary>The upper bounds of <see cref="ScoringKind.FixedThresholds"/>, ascending; empty for the other kinds.</summary>
    public ImmutableArray<double> UpperBounds { get; }

    /// <summary>
    /// Fixed thresholds: a value up to and including <c>upperBounds[k]</c> scores k + 1, above the last it scores N,
    /// exactly as <see cref="ScoringStrategies.FixedThresholds(ReadOnlySpan{double})"/>; N - 1 bounds make N scores.
    /// </summary>
    /// <param name="upperBounds">Between 1 and 9 finite bounds, strictly increasing.</param>
    /// <returns>The description.</returns>
    /// <exception cref="ArgumentException">The bounds are not finite and strictly increasing, or there are too few or too many.</exception>
    public static ScoringDescription FixedThresholds(params ReadOnlySpan<double> upperBounds)
    {
        if (upperBounds.Length < ScoringStrategies.MinBins - 1 || upperBounds.Length > ScoringStrategies.MaxBins - 1)
        {
            throw new ArgumentException(
                $"Give between {ScoringStrategies.MinBins - 1} and {ScoringStrategies.MaxBins - 1} thresholds (for {ScoringStrategies.MinBins} to {ScoringStrategies.MaxBins} scores); got {upperBounds.Length}.",
                nameof(upperBounds));
        }

        for (var i = 0; i < upperBounds.Length; i++)
        {
            if (!double.IsFinite(upperBounds[i]))
            {
                throw new ArgumentException($"Threshold {i} is {upperBounds[i]}; thresholds must be finite.", nameof(upperBounds));
            }

            if (i > 0 && upperBounds[i] <= upperBounds[i - 1])
            {
                throw new ArgumentException(
                    $"Thresholds must be strictly increasing; threshold {i} ({upperBounds[i]}) is not above threshold {i - 1} ({upperBounds[i - 1]}).",
                    nameof(upperBounds));
            }
        }

        return new(ScoringKind.FixedThresholds, upperBounds.Length + 1, [.. upperBounds]);
    }

    /// <summary>Custom code, which only .NET can run.</summary>
    /// <param name="bins">The number of scores it makes, 2 to 10, or <see langword="null"/> when it makes any number it is asked for.</param>
    /// <returns>The description.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> is outside 2..10.</exception>
    public static ScoringDescription Custom(int? bins = null)
    {
        if (bins is not { } n)
        {
            return UnknownBins;
        }

        ScoringStrategies.CheckBins(n, nameof(bins));
        return new(ScoringKind.Custom, n, []);
    }

    /// <summary>
    /// The description in words, for messages: <c>quantile</c>, <c>rank-quantile</c>, <c>fixed thresholds 30/90/180/365</c>,
    /// <c>custom, 4 scores</c> or <c>custom, bins unknown</c>.
    /// </summary>
    /// <returns>The text.</returns>
    public override string ToString() => Kind switch
    {
        ScoringKind.Quantile => "quantile",
        ScoringKind.RankQuantile => "rank-quantile",
        ScoringKind.FixedThresholds => "fixed thresholds " + string.Join('/', UpperBounds.Select(b => b.ToString(CultureInfo.InvariantCulture))),
        _ => Bins is { } n ? string.Create(CultureInfo.InvariantCulture, $"custom, {n} scores") : "custom, bins unknown",
    };
}
