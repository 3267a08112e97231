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
    public Segment Segment { get; init => field = value ?? throw new ArgumentNullException(nameof(value)); } = Segment ?? throw new ArgumentNullException(nameof(Segment));

    /// <summary>The recency scores covered.</summary>
    public ScoreRange Recency { get; init => field = Valid(value, nameof(Recency)); } = Valid(Recency, nameof(Recency));

    /// <summary>The frequency scores covered.</summary>
    public ScoreRange Frequency { get; init => field = Valid(value, nameof(Frequency)); } = Valid(Frequency, nameof(Frequency));

    /// <summary>The monetary scores covered.</summary>
    public ScoreRange Monetary { get; init => field = Valid(value, nameof(Monetary)); } = Valid(Monetary, nameof(Monetary));

    /// <summary>Whether the rule covers a customer's scores.</summary>
    /// <param name="score">The scores.</param>
    /// <returns><see langword="true"/> when all three ranges contain their score.</returns>
    public bool Matches(Scoring.RfmScore score) =>
        Recency.Contains(score.R) && Frequency.Contains(score.F) && Monetary.Contains(score.M);

    /// <inheritdoc />
    public override string ToString() => $"{Segment.Key}: R {Recency}, F {Frequency}, M {Monetary}";

    // default(ScoreRange) is 0..0, which covers nothing: a rule that can never match is a mistake, not a choice.
    private static ScoreRange Valid(ScoreRange range, string name) =>
        range.Min >= 1 ? range : throw new ArgumentException($"The {name.ToLowerInvariant()} range is empty (default); use ScoreRange.Any to match every score.", name);
}
