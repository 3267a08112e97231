using System.Collections.Immutable;

namespace Rfm.Scoring;

/// <summary>Scores by caller breakpoints: a value up to and including breakpoint k gets score k + 1.</summary>
internal sealed class FixedThresholdsStrategy(ImmutableArray<double> upperBounds) : IScoringStrategy
{
    public ImmutableArray<double> UpperBounds { get; } = upperBounds;

    public string Name => "fixed";

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
