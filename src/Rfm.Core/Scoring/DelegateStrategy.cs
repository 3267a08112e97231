using System.Collections.Immutable;

namespace Rfm.Scoring;

/// <summary>Scores each value with a caller function.</summary>
internal sealed class DelegateStrategy(string name, Func<double, int, int> score) : IScoringStrategy
{
    public string Name { get; } = name;

    public ImmutableArray<double> Score(ReadOnlySpan<double> values, int bins, Span<int> scores)
    {
        ScoringStrategies.CheckArguments(values, bins, scores);
        for (var i = 0; i < values.Length; i++)
        {
            scores[i] = score(values[i], bins);
        }

        return [];
    }
}
