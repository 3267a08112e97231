using Rfm.Scoring;

namespace Rfm.Segmentation;

/// <summary>Three tiers by the mean score, for any number of scores: <see cref="SegmentMaps.Tiers"/>.</summary>
internal sealed class TierSegmentMap : ISegmentMap
{
    private static readonly Segment Top = new(
        "top_tier",
        "Top tier",
        "Scores in the top third of the scale on average: recent, frequent, high-spending.",
        "Reward and retain them: loyalty benefits, early access, personal thanks.",
        "Loyalty programme and personalised email.");

    private static readonly Segment Middle = new(
        "middle_tier",
        "Middle tier",
        "Scores in the middle third of the scale on average.",
        "Grow them: recommendations, bundles and reasons to buy again.",
        "Personalised email and seasonal promotions.");

    private static readonly Segment Bottom = new(
        "bottom_tier",
        "Bottom tier",
        "Scores in the bottom third of the scale on average: lapsed, rare or low-spending.",
        "Win back the ones worth it with a low-cost offer; keep the rest on general campaigns.",
        "Low-cost email win-back.");

    public string Name => "tiers";

    public IReadOnlyList<Segment> Segments { get; } = [Top, Middle, Bottom];

    public Segment Assign(RfmScore score) =>
        throw new NotSupportedException("The tiers map places scores on their scale, so it needs the number of scores: call Assign(score, bins).");

    public Segment Assign(RfmScore score, int bins)
    {
        ScoringStrategies.CheckBins(bins, nameof(bins));
        Check(score.R, bins, "R");
        Check(score.F, bins, "F");
        Check(score.M, bins, "M");

        // total / span is the mean score's place between 1 and N; compared in whole numbers, so no edge is rounded.
        var total = score.R + score.F + score.M - 3;
        var span = 3 * (bins - 1);
        return 3 * total >= 2 * span ? Top : 3 * total >= span ? Middle : Bottom;
    }

    public override string ToString() => Name;

    private static void Check(int value, int bins, string which)
    {
        if (value < 1 || value > bins)
        {
            throw new ArgumentOutOfRangeException("score", value, $"The {which} score must be from 1 to {bins}.");
        }
    }
}
