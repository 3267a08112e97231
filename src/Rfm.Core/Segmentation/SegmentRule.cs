namespace Rfm.Segmentation;

/// <summary>A segment and the R, F and M score ranges it covers (all three must match).</summary>
/// <param name="Segment">The segment a matching customer gets.</param>
/// <param name="Recency">The recency scores covered.</param>
/// <param name="Frequency">The frequency scores covered.</param>
/// <param name="Monetary">The monetary scores covered; <see cref="ScoreRange.Any"/> to ignore monetary.</param>
public sealed record SegmentRule(Segment Segment, ScoreRange Recency, ScoreRange Frequency, ScoreRange Monetary)
{
    /// <summary>A rule on recency and frequency only.</summary>
    /// <param name="segment">The segment.</param>
    /// <param name="recency">The recency scores covered.</param>
    /// <param name="frequency">The frequency scores covered.</param>
    public SegmentRule(Segment segment, ScoreRange recency, ScoreRange frequency)
        : this(segment, recency, frequency, ScoreRange.Any)
    {
    }

    /// <summary>The segment a matching customer gets.</summary>
    public Segment Segment { get; init; } = Segment ?? throw new ArgumentNullException(nameof(Segment));

    /// <summary>Whether the rule covers a customer's scores.</summary>
    /// <param name="score">The scores.</param>
    /// <returns><see langword="true"/> when all three ranges contain their score.</returns>
    public bool Matches(Scoring.RfmScore score) =>
        Recency.Contains(score.R) && Frequency.Contains(score.F) && Monetary.Contains(score.M);

    /// <inheritdoc />
    public override string ToString() => $"{Segment.Key}: R {Recency}, F {Frequency}, M {Monetary}";
}
