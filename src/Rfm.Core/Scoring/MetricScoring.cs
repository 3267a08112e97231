using System.Collections.Immutable;

namespace Rfm.Scoring;

/// <summary>How one metric was scored: the strategy, its edges, and the value range behind every score used.</summary>
public sealed record MetricScoring
{
    internal MetricScoring(RfmMetric metric, string strategy, ScoringDescription description, int bins, ImmutableArray<double> edges, ImmutableArray<ScoreBand> bands)
    {
        Metric = metric;
        Strategy = strategy;
        Description = description;
        Bins = bins;
        Edges = edges;
        Bands = bands;
    }

    /// <summary>The metric.</summary>
    public RfmMetric Metric { get; }

    /// <summary>The strategy's name.</summary>
    public string Strategy { get; }

    /// <summary>What the strategy says it does (<see cref="IScoringStrategy.Description"/>): its kind, and for fixed thresholds the bounds.</summary>
    public ScoringDescription Description { get; }

    /// <summary>The number of scores N the strategy was asked for.</summary>
    public int Bins { get; }

    /// <summary>The edges the strategy reported, in its own terms: ascending in the value, before recency is reversed.</summary>
    public ImmutableArray<double> Edges { get; }

    /// <summary>One band per score that at least one customer received, in ascending score order.</summary>
    public ImmutableArray<ScoreBand> Bands { get; }

    /// <summary>How many different scores were given; fewer than <see cref="Bins"/> when edges coincided.</summary>
    public int DistinctScores => Bands.Length;

    /// <summary>
    /// Whether some scores went unused: coinciding quantile edges, fewer customers than scores, or a rank-quantile
    /// edge rounded onto a neighbouring rank.
    /// </summary>
    public bool HasUnusedScores => Bands.Length < Bins;
}
