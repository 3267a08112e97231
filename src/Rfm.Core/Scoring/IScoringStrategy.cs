using System.Collections.Immutable;

namespace Rfm.Scoring;

/// <summary>
/// Turns one metric's column of values into scores 1..N, where a larger value never gets a smaller score.
/// </summary>
/// <remarks>
/// <para>
/// The calculator passes the values in ascending customer-id order (ordinal), which is the stable order a
/// strategy may use to break ties. It reverses recency itself (score N + 1 - s), so a strategy always scores
/// "larger value, larger score".
/// </para>
/// <para>Implementations must be thread-safe: one instance serves concurrent calculations.</para>
/// </remarks>
public interface IScoringStrategy
{
    /// <summary>A short name for summaries, e.g. <c>quantile</c>.</summary>
    string Name { get; }

    /// <summary>
    /// What the strategy does, for engines that translate scoring (<c>Rfm.Sql</c>) and for checks of the number of
    /// scores. A strategy that does not say is <see cref="ScoringDescription.Custom(int?)"/> with the number of scores
    /// unknown; a custom strategy that makes a fixed number of scores should say so with
    /// <c>ScoringDescription.Custom(n)</c>, so that a scheme of another size is refused when it is built.
    /// </summary>
    ScoringDescription Description => ScoringDescription.Custom();

    /// <summary>Scores a column of values.</summary>
    /// <param name="values">One value per customer, in ascending customer-id order.</param>
    /// <param name="bins">The number of scores N, from 2 to 10.</param>
    /// <param name="scores">Receives one score from 1 to <paramref name="bins"/> per value; as long as <paramref name="values"/>.</param>
    /// <returns>
    /// The edges the strategy used, in its own terms (see each built-in strategy); reported with the result so
    /// that users can see the thresholds.
    /// </returns>
    ImmutableArray<double> Score(ReadOnlySpan<double> values, int bins, Span<int> scores);
}
