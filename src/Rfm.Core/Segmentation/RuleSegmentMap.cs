using System.Collections.Immutable;
using Rfm.Scoring;

namespace Rfm.Segmentation;

/// <summary>
/// A segment map made of rules tried in order: the first rule whose ranges cover the scores wins, and scores no
/// rule covers get <see cref="Other"/>. Immutable and thread-safe; assignment is a table look-up.
/// </summary>
public sealed class RuleSegmentMap : ISegmentMap
{
    /// <summary>The most rules a map may have: one for each R, F, M cell of ten scores is all any map needs.</summary>
    internal const int MaxRules = MaxScore * MaxScore * MaxScore;

    private const int MaxScore = 10;
    private const short OtherSlot = -1;
    private readonly short[] _cells = new short[MaxScore * MaxScore * MaxScore];
    private readonly ImmutableArray<Segment> _segments;

    internal RuleSegmentMap(string name, ImmutableArray<SegmentRule> rules, Segment other, int? bins)
    {
        Name = name;
        Rules = rules;
        Other = other;
        Bins = bins;

        // Each segment's slot once, by key, so that building stays linear in the rules.
        var segments = ImmutableArray.CreateBuilder<Segment>();
        var slots = new Dictionary<string, short>(StringComparer.Ordinal);
        var ruleSlots = new short[rules.Length];
        for (var i = 0; i < rules.Length; i++)
        {
            var segment = rules[i].Segment;
            if (slots.TryGetValue(segment.Key, out var slot))
            {
                ruleSlots[i] = segments[slot] == segment
                    ? slot
                    : throw new ArgumentException($"Two different segments share the key '{segment.Key}'.", nameof(rules));
                continue;
            }

            ruleSlots[i] = slots[segment.Key] = (short)segments.Count;
            segments.Add(segment);
        }

        if (slots.ContainsKey(other.Key))
        {
            throw new ArgumentException($"The fallback segment's key '{other.Key}' is also a rule's segment.", nameof(other));
        }

        segments.Add(other);
        _segments = segments.ToImmutable();

        for (var r = 1; r <= MaxScore; r++)
        {
            for (var f = 1; f <= MaxScore; f++)
            {
                for (var m = 1; m <= MaxScore; m++)
                {
                    var score = new RfmScore(r, f, m);
                    var rule = FirstMatch(rules, score);
                    _cells[Cell(score)] = rule < 0 ? OtherSlot : ruleSlots[rule];
                }
            }
        }
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The rules, in the order they are tried.</summary>
    public ImmutableArray<SegmentRule> Rules { get; }

    /// <summary>The segment of scores no rule covers.</summary>
    public Segment Other { get; }

    /// <inheritdoc />
    public IReadOnlyList<Segment> Segments => _segments;

    /// <inheritdoc />
    public int? Bins { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">A score is outside 1..10.</exception>
    public Segment Assign(RfmScore score)
    {
        CheckScore(score.R, "R");
        CheckScore(score.F, "F");
        CheckScore(score.M, "M");
        var slot = _cells[Cell(score)];
        return slot == OtherSlot ? Other : _segments[slot];
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    private static int Cell(RfmScore score) => ((score.R - 1) * MaxScore * MaxScore) + ((score.F - 1) * MaxScore) + (score.M - 1);

    private static int FirstMatch(ImmutableArray<SegmentRule> rules, RfmScore score)
    {
        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i].Matches(score))
            {
                return i;
            }
        }

        return -1;
    }

    private static void CheckScore(int value, string which)
    {
        if (value is < 1 or > MaxScore)
        {
            throw new ArgumentOutOfRangeException("score", value, $"The {which} score must be from 1 to {MaxScore}.");
        }
    }
}
