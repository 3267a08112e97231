using System.Collections.Immutable;
using Rfm.Scoring;

namespace Rfm.Segmentation;

/// <summary>The score combinations a map sends to one segment.</summary>
/// <param name="Segment">The segment.</param>
/// <param name="Cells">Every R, F, M combination (within the bins examined) that gets the segment.</param>
public sealed record SegmentCoverage(Segment Segment, ImmutableArray<RfmScore> Cells);
