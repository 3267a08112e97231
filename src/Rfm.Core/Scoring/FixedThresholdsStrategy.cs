using System.Collections.Immutable;

namespace Rfm.Scoring;

/// <summary>
/// Scores by caller breakpoints: a value up to and including breakpoint k gets score k + 1. Made by
/// <see cref="ScoringStrategies.FixedThresholds(ReadOnlySpan{double})"/>; other engines read its bounds from its
/// <see cref="Description"/>. Immutable and thread-safe.
/// </summary>
internal sealed class FixedThresholdsStrategy(ScoringDescription description) : IScoringStrategy
{
    public ScoringDescription Description { get; } = description;

    public string Name => "fixed";

    public ImmutableArray<double> Score(ReadOnlySpan<double> values, int bins, Span<int> scores)
    {
        ScoringStrategies.CheckArguments(values, bins, scores);
        var upperBounds = Description.UpperBounds;
        if (bins != upperBounds.Length + 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(bins),
                bins,
                $"{upperBounds.Length} fixed thresholds make {upperBounds.Length + 1} scores, not {bins}.");
        }

        var bounds = upperBounds.AsSpan();
        for (var i = 0; i < values.Length; i++)
        {
            var score = 1;
            while (score <= bounds.Length && values[i] > bounds[score - 1])
            {
                score++;
            }

            scores[i] = score;
        }

        return upperBounds;
    }
}
