using Rfm.Scoring;

namespace Rfm.Segmentation;

/// <summary>Names a customer's segment from their scores.</summary>
/// <remarks>Implementations must be thread-safe and deterministic: the same scores always give the same segment.</remarks>
public interface ISegmentMap
{
    /// <summary>A short name for summaries, e.g. <c>classic</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Every segment the map can assign, the fallback last. The built-in maps list them from the most to the least
    /// valuable; rule maps in the order their rules first name them.
    /// </summary>
    IReadOnlyList<Segment> Segments { get; }

    /// <summary>
    /// The number of scores N the map is made for, or <see langword="null"/> when it works with any. A calculator
    /// refuses a map whose N differs from its scoring's, since the cells would mean something else.
    /// </summary>
    int? Bins => null;

    /// <summary>The segment for a customer's scores.</summary>
    /// <param name="score">The scores, each from 1 to 10.</param>
    /// <returns>The segment; never null (unmatched scores get the map's fallback segment).</returns>
    /// <exception cref="NotSupportedException">The map adapts to the number of scores and cannot place scores without it
    /// (<see cref="SegmentMaps.Tiers"/>): call <see cref="Assign(RfmScore, int)"/>, as the library always does.</exception>
    Segment Assign(RfmScore score);

    /// <summary>
    /// The segment for a customer's scores out of <paramref name="bins"/>: what the calculator, <c>Rfm.Sql</c> and
    /// <see cref="SegmentMaps.Coverage(ISegmentMap, int)"/> call, so that a map can adapt to the number of scores
    /// (<see cref="SegmentMaps.Tiers"/> does). By default the number is ignored and <see cref="Assign(RfmScore)"/> decides.
    /// </summary>
    /// <param name="score">The scores, each from 1 to <paramref name="bins"/>.</param>
    /// <param name="bins">The number of scores N the scoring gives, 2 to 10.</param>
    /// <returns>The segment; never null.</returns>
    Segment Assign(RfmScore score, int bins) => Assign(score);
}
