namespace Rfm.Scoring;

/// <summary>How each metric is scored, and into how many scores. Immutable.</summary>
public sealed class RfmScoring
{
    /// <summary>Creates a scoring scheme.</summary>
    /// <param name="recency">The strategy for recency (the calculator reverses its scores: recent is high).</param>
    /// <param name="frequency">The strategy for frequency.</param>
    /// <param name="monetary">The strategy for monetary.</param>
    /// <param name="bins">The number of scores N, from 2 to 10.</param>
    /// <exception cref="ArgumentNullException">A strategy is null.</exception>
    /// <exception cref="ArgumentException">A strategy's <see cref="IScoringStrategy.Description"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> is outside 2..10, or a strategy's <see cref="IScoringStrategy.Description"/> states a different number of scores (fixed thresholds, or custom code that says).</exception>
    public RfmScoring(IScoringStrategy recency, IScoringStrategy frequency, IScoringStrategy monetary, int bins = 5)
    {
        ArgumentNullException.ThrowIfNull(recency);
        ArgumentNullException.ThrowIfNull(frequency);
        ArgumentNullException.ThrowIfNull(monetary);
        ScoringStrategies.CheckBins(bins, nameof(bins));
        CheckStatedBins(recency, bins, nameof(recency));
        CheckStatedBins(frequency, bins, nameof(frequency));
        CheckStatedBins(monetary, bins, nameof(monetary));
        Recency = recency;
        Frequency = frequency;
        Monetary = monetary;
        Bins = bins;
    }

    /// <summary>
    /// The default: quantile scoring of all three metrics into 5 scores, so that customers with equal values
    /// always share a score.
    /// </summary>
    public static RfmScoring Default { get; } = Quantile();

    /// <summary>
    /// The classic pandas tutorial: recency and monetary by quantile, frequency by rank quantile, 5 scores.
    /// </summary>
    public static RfmScoring Tutorial { get; } = new(ScoringStrategies.Quantile, ScoringStrategies.RankQuantile, ScoringStrategies.Quantile);

    /// <summary>The number of scores N.</summary>
    public int Bins { get; }

    /// <summary>The recency strategy.</summary>
    public IScoringStrategy Recency { get; }

    /// <summary>The frequency strategy.</summary>
    public IScoringStrategy Frequency { get; }

    /// <summary>The monetary strategy.</summary>
    public IScoringStrategy Monetary { get; }

    /// <summary>Quantile scoring of all three metrics.</summary>
    /// <param name="bins">The number of scores N, from 2 to 10.</param>
    /// <returns>The scheme.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> is outside 2..10.</exception>
    public static RfmScoring Quantile(int bins = 5) =>
        new(ScoringStrategies.Quantile, ScoringStrategies.Quantile, ScoringStrategies.Quantile, bins);

    /// <summary>The strategy for one metric.</summary>
    /// <param name="metric">The metric.</param>
    /// <returns>Its strategy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="metric"/> is not defined.</exception>
    public IScoringStrategy For(RfmMetric metric) => metric switch
    {
        RfmMetric.Recency => Recency,
        RfmMetric.Frequency => Frequency,
        RfmMetric.Monetary => Monetary,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not a defined metric."),
    };

    private static void CheckStatedBins(IScoringStrategy strategy, int bins, string parameter)
    {
        var description = strategy.Description ?? throw new ArgumentException($"The strategy '{strategy.Name}' gives no description.", parameter);
        if (description.Bins is not { } stated || stated == bins)
        {
            return;
        }

        throw new ArgumentOutOfRangeException(
            parameter,
            description.Kind == ScoringKind.FixedThresholds
                ? $"{description.UpperBounds.Length} fixed thresholds make {stated} scores, but the scheme has {bins}."
                : $"The strategy '{strategy.Name}' ({description}) makes {stated} scores, but the scheme has {bins}.");
    }
}
