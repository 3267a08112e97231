namespace Rfm.Scoring;

/// <summary>What kind of scoring a strategy does, as <see cref="ScoringDescription.Kind"/> states it.</summary>
public enum ScoringKind
{
    /// <summary>Code of its own, which only .NET can run; it may state its number of scores.</summary>
    Custom = 0,

    /// <summary>Linear quantile edges, as <see cref="ScoringStrategies.Quantile"/>.</summary>
    Quantile,

    /// <summary>Quantiles of the ranks, ties ranked by position, as <see cref="ScoringStrategies.RankQuantile"/>.</summary>
    RankQuantile,

    /// <summary>Fixed upper bounds, as <see cref="ScoringStrategies.FixedThresholds(ReadOnlySpan{double})"/>.</summary>
    FixedThresholds,
}
