using System.Collections.Immutable;

namespace Rfm.Scoring;

/// <summary>
/// Scores by quantiles of the ranks, ties ranked by position: pandas <c>qcut(x.rank(method="first"), n)</c>.
/// </summary>
internal sealed class RankQuantileStrategy : IScoringStrategy
{
    public static RankQuantileStrategy Instance { get; } = new();

    public string Name => "rank-quantile";

    public ScoringDescription Description => ScoringDescription.RankQuantile;

    public ImmutableArray<double> Score(ReadOnlySpan<double> values, int bins, Span<int> scores)
    {
        ScoringStrategies.CheckArguments(values, bins, scores);
        if (values.IsEmpty)
        {
            return [];
        }

        // Sorting (value, position) pairs gives a stable order: equal values keep their input order.
        var keyed = new (double Value, int Position)[values.Length];
        for (var i = 0; i < keyed.Length; i++)
        {
            keyed[i] = (values[i], i);
        }

        Array.Sort(keyed);

        var edges = Quantiles.RankEdges(keyed.Length, bins);
        for (var position = 0; position < keyed.Length; position++)
        {
            scores[keyed[position].Position] = Quantiles.Bin(edges, position + 1);
        }

        return ImmutableArray.Create(edges);
    }
}
