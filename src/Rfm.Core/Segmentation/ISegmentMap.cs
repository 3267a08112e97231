using Rfm.Scoring;

namespace Rfm.Segmentation;

/// <summary>Names a customer's segment from their scores.</summary>
/// <remarks>Implementations must be thread-safe and deterministic: the same scores always give the same segment.</remarks>
public interface ISegmentMap
{
    /// <summary>A short name for summaries, e.g. <c>classic</c>.</summary>
    string Name { get; }

    /// <summary>Every segment the map can assign, from the most to the least valuable, the fallback last.</summary>
    IReadOnlyList<Segment> Segments { get; }

    /// <summary>The segment for a customer's scores.</summary>
    /// <param name="score">The scores, each from 1 to 10.</param>
    /// <returns>The segment; never null (unmatched scores get the map's fallback segment).</returns>
    Segment Assign(RfmScore score);
}
