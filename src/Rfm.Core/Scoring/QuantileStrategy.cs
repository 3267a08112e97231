using System.Collections.Immutable;

namespace Rfm.Scoring;

/// <summary>Scores by linear quantile edges: equal values always share a score.</summary>
internal sealed class QuantileStrategy : IScoringStrategy
{
    public static QuantileStrategy Instance { get; } = new();

    public string Name => "quantile";

    public ScoringDescription Description => ScoringDescription.Quantile;

    public ImmutableArray<double> Score(ReadOnlySpan<double> values, int bins, Span<int> scores)
    {
        ScoringStrategies.CheckArguments(values, bins, scores);
        if (values.IsEmpty)
        {
            return [];
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        var edges = Quantiles.Edges(sorted, bins);
        for (var i = 0; i < values.Length; i++)
        {
            scores[i] = Quantiles.Bin(edges, values[i]);
        }

        return ImmutableArray.Create(edges);
    }
}
