using System.Collections.Immutable;

namespace Rfm.Scoring;

/// <summary>
/// Scores by caller breakpoints: a value up to and including breakpoint k gets score k + 1. Made by
/// <see cref="ScoringStrategies.FixedThresholds(ReadOnlySpan{double})"/>; a package that translates scoring elsewhere (to
/// SQL, say) recognises it by this type and reads its breakpoints. Immutable and thread-safe.
/// </summary>
public sealed class FixedThresholdsStrategy : IScoringStrategy
{
    internal FixedThresholdsStrategy(ImmutableArray<double> upperBounds) => UpperBounds = upperBounds;

    /// <summary>The breakpoints, ascending: one fewer than the scores they make.</summary>
    public ImmutableArray<double> UpperBounds { get; }

    /// <inheritdoc/>
    public string Name => "fixed";

    /// <inheritdoc/>
    public ImmutableArray<double> Score(ReadOnlySpan<double> values, int bins, Span<int> scores)
    {
        ScoringStrategies.CheckArguments(values, bins, scores);
        if (bins != UpperBounds.Length + 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(bins),
                bins,
                $"{UpperBounds.Length} fixed thresholds make {UpperBounds.Length + 1} scores, not {bins}.");
        }

        var bounds = UpperBounds.AsSpan();
        for (var i = 0; i < values.Length; i++)
        {
            var score = 1;
            while (score <= bounds.Length && values[i] > bounds[score - 1])
            {
                score++;
            }

            scores[i] = score;
        }

        return UpperBounds;
    }
}
