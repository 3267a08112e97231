using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Tests.Segmentation;

public sealed class SegmentMapsTests
{
    // DESIGN's classic grid, rows F = 5..1, columns R = 1..5.
    private static readonly string[][] ClassicGrid =
    [
        ["cant_lose", "cant_lose", "loyal_customers", "loyal_customers", "champions"],
        ["at_risk", "at_risk", "loyal_customers", "loyal_customers", "champions"],
        ["at_risk", "at_risk", "need_attention", "potential_loyalists", "potential_loyalists"],
        ["hibernating", "hibernating", "about_to_sleep", "potential_loyalists", "potential_loyalists"],
        ["hibernating", "hibernating", "about_to_sleep", "promising", "new_customers"],
    ];

    [Fact]
    public void Classic_EveryCell_MatchesTheGrid()
    {
        for (var f = 5; f >= 1; f--)
        {
            for (var r = 1; r <= 5; r++)
            {
                for (var m = 1; m <= 5; m++)
                {
                    Assert.Equal(ClassicGrid[5 - f][r - 1], SegmentMaps.Classic.Assign(new RfmScore(r, f, m)).Key);
                }
            }
        }
    }

    [Fact]
    public void Classic_R4F4_IsLoyalCustomers()
    {
        // Some transcriptions of the grid print "potential loyalist" here; the published code and results use loyal_customers.
        Assert.Same(Segments.LoyalCustomers, SegmentMaps.Classic.Assign(new RfmScore(4, 4, 1)));
    }

    [Theory]
    // The worked example of the classic RFM tutorial: Customer1, Customer2, Customer3 and Customer1000.
    [InlineData(1, 4, 5, "at_risk")]
    [InlineData(4, 5, 4, "loyal_customers")]
    [InlineData(5, 1, 3, "new_customers")]
    [InlineData(2, 4, 4, "at_risk")]
    public void Classic_TutorialExampleTable_GivesItsSegments(int r, int f, int m, string segment)
    {
        var score = new RfmScore(r, f, m);

        Assert.Equal(segment, SegmentMaps.Classic.Assign(score).Key);
        Assert.Equal($"{r}{f}{m}", score.ToString());
    }

    [Fact]
    public void Classic_Segments_AreTheTenKeysThenOther()
    {
        Assert.Equal(
            ["champions", "loyal_customers", "potential_loyalists", "new_customers", "promising", "need_attention", "about_to_sleep", "at_risk", "cant_lose", "hibernating", "other"],
            SegmentMaps.Classic.Segments.Select(s => s.Key));
    }

    [Fact]
    public void Classic_ScoresBeyondFive_FallToOther()
    {
        Assert.Same(Segments.Other, SegmentMaps.Classic.Assign(new RfmScore(6, 1, 1)));
    }

    [Fact]
    public void ElevenSegments_Coverage_ShowsShadowedRulesAndGaps()
    {
        var coverage = SegmentMaps.Coverage(SegmentMaps.ElevenSegments).ToDictionary(c => c.Segment.Key, c => c.Cells.Length);

        Assert.Equal(125, coverage.Values.Sum());
        Assert.Equal(0, coverage["new_customers"]);
        Assert.Equal(0, coverage["promising"]);
        Assert.Equal(0, coverage["cant_lose"]);
        Assert.Equal(0, coverage["lost"]);
        Assert.Equal(2 * 2 * 2, coverage["champions"]);
        Assert.True(coverage["other"] > 0);
    }

    [Theory]
    [InlineData(5, 5, 5, "champions")]
    [InlineData(3, 4, 4, "loyal_customers")]
    [InlineData(5, 1, 1, "potential_loyalists")]
    [InlineData(2, 2, 2, "need_attention")]
    [InlineData(1, 5, 5, "at_risk")]
    [InlineData(1, 1, 1, "hibernating")]
    [InlineData(5, 5, 1, "other")]
    public void ElevenSegments_FirstMatchWins(int r, int f, int m, string segment)
    {
        Assert.Equal(segment, SegmentMaps.ElevenSegments.Assign(new RfmScore(r, f, m)).Key);
    }

    [Fact]
    public void FromPatterns_ThreeScorePatternAndWildcard_MatchAnchored()
    {
        var high = new Segment("high", "High");
        var low = new Segment("low", "Low");
        var map = SegmentMaps.FromPatterns("custom", [new("5.[4-5]", high), new("[1-2][1-2]", low)]);

        Assert.Same(high, map.Assign(new RfmScore(5, 1, 4)));
        Assert.Same(Segments.Other, map.Assign(new RfmScore(5, 1, 3)));
        Assert.Same(low, map.Assign(new RfmScore(2, 1, 9)));
        Assert.Same(Segments.Other, map.Assign(new RfmScore(3, 1, 1)));
    }

    [Theory]
    [InlineData("[1-2", "position 5")]
    [InlineData("[2-1]5", "reversed")]
    [InlineData("0[1-2]", "position 1")]
    [InlineData("5", "at least two")]
    [InlineData("1234", "at most three")]
    [InlineData("[1-x]5", "position 4")]
    public void FromPatterns_MalformedPattern_NamesPatternAndPosition(string pattern, string problem)
    {
        var ex = Assert.Throws<ArgumentException>(() => SegmentMaps.FromPatterns("bad", [new(pattern, Segments.Champions)]));

        Assert.Contains($"'{pattern}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromGrid_EveryCell_GetsItsSegment()
    {
        var good = new Segment("good", "Good");
        var bad = new Segment("bad", "Bad");
        var map = SegmentMaps.FromGrid("grid", 3, (r, f) => r + f >= 5 ? good : bad);

        Assert.Same(good, map.Assign(new RfmScore(3, 2, 1)));
        Assert.Same(bad, map.Assign(new RfmScore(1, 3, 1)));
        Assert.Same(Segments.Other, map.Assign(new RfmScore(4, 3, 1)));
        Assert.Equal(3, map.Bins);
        Assert.Equal(["good", "bad", "other"], map.Segments.Select(s => s.Key)); // from the best cell down
    }

    [Fact]
    public void FromRules_TwoSegmentsWithOneKey_Throws()
    {
        var a = new Segment("same", "A");
        var b = new Segment("same", "B");

        var ex = Assert.Throws<ArgumentException>(() => SegmentMaps.FromRules("x", [new(a, ScoreRange.Exactly(1), ScoreRange.Any), new(b, ScoreRange.Exactly(2), ScoreRange.Any)]));
        Assert.Contains("'same'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromRules_ArgValidation()
    {
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => SegmentMaps.FromRules(null!, [])).ParamName);
        Assert.Equal("rules", Assert.Throws<ArgumentNullException>(() => SegmentMaps.FromRules("x", null!)).ParamName);
        Assert.Equal("cell", Assert.Throws<ArgumentNullException>(() => SegmentMaps.FromGrid("x", 5, null!)).ParamName);
        Assert.Equal("bins", Assert.Throws<ArgumentOutOfRangeException>(() => SegmentMaps.FromGrid("x", 11, (_, _) => Segments.Other)).ParamName);
        Assert.Equal("map", Assert.Throws<ArgumentNullException>(() => SegmentMaps.Coverage(null!)).ParamName);
    }

    [Fact]
    public void SegmentRule_EmptyRangeOrNullSegment_Throws()
    {
        var rule = new SegmentRule(Segments.Champions, ScoreRange.Exactly(5), ScoreRange.Any);

        Assert.Equal("Recency", Assert.Throws<ArgumentException>(() => new SegmentRule(Segments.Champions, default, ScoreRange.Any)).ParamName);
        Assert.Throws<ArgumentException>(() => rule with { Monetary = default });
        Assert.Throws<ArgumentNullException>(() => rule with { Segment = null! });
        Assert.Throws<ArgumentNullException>(() => new SegmentRule(null!, ScoreRange.Any, ScoreRange.Any));
    }

    [Fact]
    public void Assign_ScoreOutsideOneToTen_Throws()
    {
        Assert.Equal("score", Assert.Throws<ArgumentOutOfRangeException>(() => SegmentMaps.Classic.Assign(new RfmScore(0, 1, 1))).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => SegmentMaps.Classic.Assign(new RfmScore(1, 11, 1)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("has space")]
    public void Segment_InvalidKey_Throws(string key)
    {
        Assert.ThrowsAny<ArgumentException>(() => new Segment(key, "Name"));
    }

    [Fact]
    public void BuiltInSegments_HaveNameDescriptionAndAction()
    {
        foreach (var segment in SegmentMaps.ElevenSegments.Segments)
        {
            Assert.False(string.IsNullOrWhiteSpace(segment.Name));
            Assert.False(string.IsNullOrWhiteSpace(segment.Description));
            Assert.False(string.IsNullOrWhiteSpace(segment.SuggestedAction));
        }
    }

    [Fact]
    public void BuiltInSegments_HaveASuggestedChannel()
    {
        var segments = SegmentMaps.Classic.Segments.Concat(SegmentMaps.ElevenSegments.Segments).Append(Segments.Other).Distinct().ToArray();

        Assert.Equal(12, segments.Length);
        Assert.All(segments, segment => Assert.False(string.IsNullOrWhiteSpace(segment.SuggestedChannel), segment.Key));
    }

    [Fact]
    public void Segment_SuggestedChannel_IsKeptAndDefaultsToEmpty()
    {
        Assert.Equal("Email welcome series", new Segment("new", "New", "d", "a", "Email welcome series").SuggestedChannel);
        Assert.Equal(string.Empty, new Segment("new", "New").SuggestedChannel);
        Assert.Equal("suggestedChannel", Assert.Throws<ArgumentNullException>(() => new Segment("new", "New", "d", "a", null!)).ParamName);
    }

    [Fact]
    public void FromRules_ThousandRulesOfDistinctSegments_ListsThemInOrderAndTheFirstMatchWins()
    {
        // One rule per cell of ten scores, each its own segment, then a rule every cell shadows.
        var rules = (from r in Enumerable.Range(1, 10) from f in Enumerable.Range(1, 10) from m in Enumerable.Range(1, 10)
                     select new SegmentRule(new Segment($"c{r}_{f}_{m}", $"Cell {r} {f} {m}"), ScoreRange.Exactly(r), ScoreRange.Exactly(f), ScoreRange.Exactly(m))).ToList();

        var map = SegmentMaps.FromRules("cells", rules);

        Assert.Equal(1001, map.Segments.Count);
        Assert.Equal(rules.Select(rule => rule.Segment.Key).Append("other"), map.Segments.Select(s => s.Key));
        Assert.Equal("c7_3_10", map.Assign(new RfmScore(7, 3, 10)).Key);
        Assert.Throws<ArgumentException>(() => SegmentMaps.FromRules("cells", rules.Append(new SegmentRule(new Segment("c1_1_1", "Another"), ScoreRange.Any, ScoreRange.Any))));
    }

    [Fact]
    public void FromRules_200KRules_IsRefusedNamingTheBound()
    {
        var rules = Enumerable.Range(0, 200_000).Select(i => new SegmentRule(new Segment($"s{i}", $"S{i}"), ScoreRange.Exactly(1), ScoreRange.Any));

        var ex = Assert.Throws<ArgumentException>(() => SegmentMaps.FromRules("many", rules));

        Assert.Equal("rules", ex.ParamName);
        Assert.StartsWith("A segment map has at most 1,000 rules", ex.Message, StringComparison.Ordinal);
    }
}
