using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using Rfm.Scoring;

namespace Rfm.Segmentation;

/// <summary>The built-in segment maps, and factories for custom ones.</summary>
public static class SegmentMaps
{
    /// <summary>
    /// The classic R x F grid of the widely used pandas RFM code (monetary is not used), for 5 scores:
    /// <code>
    /// F\R   1          2          3               4                    5
    ///  5    cant_lose  cant_lose  loyal_customers loyal_customers      champions
    ///  4    at_risk    at_risk    loyal_customers loyal_customers      champions
    ///  3    at_risk    at_risk    need_attention  potential_loyalists  potential_loyalists
    ///  2    hibernating hibernating about_to_sleep potential_loyalists potential_loyalists
    ///  1    hibernating hibernating about_to_sleep promising           new_customers
    /// </code>
    /// Every cell of a 5 x 5 grid is covered. The map is made for 5 scores: a calculator with other scoring refuses it.
    /// </summary>
    public static RuleSegmentMap Classic { get; } = FromPatterns(
        "classic",
        [
            new("5[4-5]", Segments.Champions),
            new("[3-4][4-5]", Segments.LoyalCustomers),
            new("[4-5][2-3]", Segments.PotentialLoyalists),
            new("51", Segments.NewCustomers),
            new("41", Segments.Promising),
            new("33", Segments.NeedAttention),
            new("3[1-2]", Segments.AboutToSleep),
            new("[1-2][3-4]", Segments.AtRisk),
            new("[1-2]5", Segments.CantLose),
            new("[1-2][1-2]", Segments.Hibernating),
        ],
        bins: 5);

    /// <summary>
    /// The widely circulated eleven-segment table of R/F/M score ranges (as in the documentation of R's
    /// <c>rfm</c> package), tried in this order, first match wins, for 5 scores:
    /// <code>
    /// segment              R    F    M
    /// champions            4-5  4-5  4-5
    /// loyal_customers      2-5  3-5  3-5
    /// potential_loyalists  3-5  1-3  1-3
    /// new_customers        4-5  1    1
    /// promising            3-4  1    1
    /// need_attention       2-3  2-3  2-3
    /// about_to_sleep       2-3  1-2  1-2
    /// at_risk              1-2  2-5  2-5
    /// cant_lose            1    4-5  4-5
    /// hibernating          1-2  1-2  1-2
    /// lost                 1-2  1-2  1-2
    /// </code>
    /// The ranges overlap and leave gaps, exactly as printed: <c>new_customers</c> and <c>promising</c> are
    /// shadowed by <c>potential_loyalists</c>, <c>cant_lose</c> by <c>at_risk</c>, <c>lost</c> by
    /// <c>hibernating</c>, and some combinations fall to <c>other</c>. <see cref="Coverage"/> shows which cells
    /// each segment gets.
    /// </summary>
    public static RuleSegmentMap ElevenSegments { get; } = FromRules(
        "eleven-segments",
        [
            new(Segments.Champions, new(4, 5), new(4, 5), new(4, 5)),
            new(Segments.LoyalCustomers, new(2, 5), new(3, 5), new(3, 5)),
            new(Segments.PotentialLoyalists, new(3, 5), new(1, 3), new(1, 3)),
            new(Segments.NewCustomers, new(4, 5), new(1, 1), new(1, 1)),
            new(Segments.Promising, new(3, 4), new(1, 1), new(1, 1)),
            new(Segments.NeedAttention, new(2, 3), new(2, 3), new(2, 3)),
            new(Segments.AboutToSleep, new(2, 3), new(1, 2), new(1, 2)),
            new(Segments.AtRisk, new(1, 2), new(2, 5), new(2, 5)),
            new(Segments.CantLose, new(1, 1), new(4, 5), new(4, 5)),
            new(Segments.Hibernating, new(1, 2), new(1, 2), new(1, 2)),
            new(Segments.Lost, new(1, 2), new(1, 2), new(1, 2)),
        ],
        bins: 5);

    /// <summary>
    /// Three tiers by the customer's mean score, for any number of scores N: with t = (R + F + M - 3) / (3N - 3), the
    /// position of the mean score between 1 and N, <c>top_tier</c> when t ≥ 2/3, <c>middle_tier</c> when t ≥ 1/3, else
    /// <c>bottom_tier</c>. With 5 scores, a total R + F + M of 11 or more is the top tier, 7 to 10 the middle. The map
    /// needs the number of scores: it assigns through <see cref="ISegmentMap.Assign(RfmScore, int)"/>, as the calculator
    /// and <c>Rfm.Sql</c> call it, and <see cref="ISegmentMap.Assign(RfmScore)"/> throws <see cref="NotSupportedException"/>.
    /// Named <c>tiers</c> in options (<see cref="RfmCalculatorOptions.SegmentMap"/>).
    /// </summary>
    public static ISegmentMap Tiers { get; } = new TierSegmentMap();

    /// <summary>The built-in maps by name: <c>classic</c> and <c>eleven-segments</c>.</summary>
    public static IReadOnlyDictionary<string, RuleSegmentMap> BuiltIn { get; } = new Dictionary<string, RuleSegmentMap>
    {
        [Classic.Name] = Classic,
        [ElevenSegments.Name] = ElevenSegments,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Every map the library ships, by name (case-insensitive): the rule maps of <see cref="BuiltIn"/> and
    /// <see cref="Tiers"/>. What options and the command line accept by name.
    /// </summary>
    public static IReadOnlyDictionary<string, ISegmentMap> Named { get; } = new Dictionary<string, ISegmentMap>
    {
        [Classic.Name] = Classic,
        [ElevenSegments.Name] = ElevenSegments,
        [Tiers.Name] = Tiers,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A rule map from JSON, for maps kept in configuration or files:
    /// <code>
    /// {
    ///   "name": "my-map",
    ///   "bins": 5,
    ///   "other": { "key": "other", "name": "Other" },
    ///   "segments": [
    ///     { "key": "vip", "name": "VIP", "description": "...", "action": "...", "pattern": "[4-5].[4-5]" },
    ///     { "key": "sleeping", "name": "Sleeping", "r": "1-2", "f": "1-3" }
    ///   ]
    /// }
    /// </code>
    /// Entries are rules tried in order; each has a segment (<c>key</c>, optional <c>name</c>, <c>description</c>,
    /// <c>action</c>) and either a <c>pattern</c> or score ranges <c>r</c>, <c>f</c>, <c>m</c> (a missing one matches any
    /// score). A key may repeat to give a segment several rules; a map has at most 1,000 rules. <c>name</c> defaults to <c>custom</c>, <c>other</c> to
    /// <see cref="Segments.Other"/>; <c>bins</c>, the number of scores the rules are written for, to any.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The map.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="FormatException">The text is not valid JSON or not a valid map; the message names the entry and field.</exception>
    public static RuleSegmentMap FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return SegmentMapJson.Parse(json);
    }

    /// <summary>A map from rules tried in order; the first rule that covers the scores wins.</summary>
    /// <param name="name">A short name for summaries.</param>
    /// <param name="rules">The rules, in the order they are tried.</param>
    /// <param name="other">The segment of scores no rule covers; <see langword="null"/> for <see cref="Segments.Other"/>.</param>
    /// <param name="bins">The number of scores the rules are written for, or <see langword="null"/> for any.</param>
    /// <returns>The map.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="rules"/> is null, or holds a null rule.</exception>
    /// <exception cref="ArgumentException">The name is empty, there are more than 1,000 rules, two different segments share a key, or the fallback's key is a rule's.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> is outside 2..10.</exception>
    public static RuleSegmentMap FromRules(string name, IEnumerable<SegmentRule> rules, Segment? other = null, int? bins = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(rules);
        if (bins is { } n)
        {
            ScoringStrategies.CheckBins(n, nameof(bins));
        }

        var list = rules.ToImmutableArray();
        if (list.Length > RuleSegmentMap.MaxRules)
        {
            throw new ArgumentException(TooManyRules(list.Length), nameof(rules));
        }

        foreach (var rule in list)
        {
            ArgumentNullException.ThrowIfNull(rule, nameof(rules));
        }

        return new RuleSegmentMap(name, list, other ?? Segments.Other, bins);
    }

    /// <summary>
    /// A map from anchored score patterns, tried in order: <c>[1-2][3-4]</c> is R 1-2 and F 3-4 (any M),
    /// <c>5[4-5]1</c> adds M = 1. Each score is a digit, a range in brackets, or <c>.</c> for any score.
    /// </summary>
    /// <param name="name">A short name for summaries.</param>
    /// <param name="patterns">Pattern and segment pairs, in the order they are tried.</param>
    /// <param name="other">The segment of scores no pattern covers; <see langword="null"/> for <see cref="Segments.Other"/>.</param>
    /// <param name="bins">The number of scores the patterns are written for, or <see langword="null"/> for any.</param>
    /// <returns>The map.</returns>
    /// <exception cref="ArgumentNullException">An argument or a segment is null.</exception>
    /// <exception cref="ArgumentException">A pattern is malformed (the message names the pattern and position), or the segments conflict.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> is outside 2..10.</exception>
    public static RuleSegmentMap FromPatterns(string name, IEnumerable<KeyValuePair<string, Segment>> patterns, Segment? other = null, int? bins = null)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var rules = new List<SegmentRule>();
        foreach (var (pattern, segment) in patterns)
        {
            ArgumentNullException.ThrowIfNull(segment, nameof(patterns));
            rules.Add(ScorePattern.Parse(pattern, segment));
        }

        return FromRules(name, rules, other, bins);
    }

    /// <summary>
    /// A map from an R x F grid: every cell names its segment (monetary is not used). Segments are listed from the
    /// best cell down (R and F high first), so that summaries follow value.
    /// </summary>
    /// <param name="name">A short name for summaries.</param>
    /// <param name="bins">The grid's size N, from 2 to 10; scores beyond it fall to <paramref name="other"/>.</param>
    /// <param name="cell">Given the R and F scores (1..N), the cell's segment.</param>
    /// <param name="other">The segment outside the grid; <see langword="null"/> for <see cref="Segments.Other"/>.</param>
    /// <returns>The map.</returns>
    /// <exception cref="ArgumentNullException">An argument is null, or <paramref name="cell"/> returns null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> is outside 2..10.</exception>
    public static RuleSegmentMap FromGrid(string name, int bins, Func<int, int, Segment> cell, Segment? other = null)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ScoringStrategies.CheckBins(bins, nameof(bins));
        var rules = new List<SegmentRule>(bins * bins);
        for (var r = bins; r >= 1; r--)
        {
            for (var f = bins; f >= 1; f--)
            {
                var segment = cell(r, f) ?? throw new ArgumentNullException(nameof(cell), $"The cell R {r}, F {f} has no segment.");
                rules.Add(new SegmentRule(segment, ScoreRange.Exactly(r), ScoreRange.Exactly(f)));
            }
        }

        return FromRules(name, rules, other, bins);
    }

    /// <summary>The message for a map of more rules than <see cref="RuleSegmentMap.MaxRules"/>.</summary>
    internal static string TooManyRules(int rules) =>
        string.Create(CultureInfo.InvariantCulture, $"A segment map has at most {RuleSegmentMap.MaxRules:N0} rules, one for each R, F, M cell of ten scores; this one has {rules:N0}.");

    /// <summary>
    /// Which score combinations each segment of a map gets, for scores 1..<paramref name="bins"/>: shows shadowed
    /// rules (segments with no cells) and gaps (cells of the fallback segment).
    /// </summary>
    /// <param name="map">The map.</param>
    /// <param name="bins">The number of scores N, from 2 to 10.</param>
    /// <returns>One entry per segment of <see cref="ISegmentMap.Segments"/>, in that order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="map"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> is outside 2..10.</exception>
    /// <exception cref="InvalidOperationException">The map assigns a segment it does not list.</exception>
    public static ImmutableArray<SegmentCoverage> Coverage(ISegmentMap map, int bins = 5)
    {
        ArgumentNullException.ThrowIfNull(map);
        ScoringStrategies.CheckBins(bins, nameof(bins));
        var cells = map.Segments.ToDictionary(s => s, _ => ImmutableArray.CreateBuilder<RfmScore>());
        for (var r = 1; r <= bins; r++)
        {
            for (var f = 1; f <= bins; f++)
            {
                for (var m = 1; m <= bins; m++)
                {
                    var score = new RfmScore(r, f, m);
                    var segment = map.Assign(score, bins);
                    if (!cells.TryGetValue(segment, out var list))
                    {
                        throw new InvalidOperationException($"The map '{map.Name}' assigns '{segment.Key}', which its Segments do not list.");
                    }

                    list.Add(score);
                }
            }
        }

        return [.. map.Segments.Select(s => new SegmentCoverage(s, cells[s].ToImmutable()))];
    }
}
