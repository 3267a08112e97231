using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Tests.Segmentation;

public sealed class SegmentMapJsonTests
{
    [Fact]
    public void FromJson_PatternsRangesAndRepeatedKeys_BuildTheMap()
    {
        var map = SegmentMaps.FromJson("""
            {
              "name": "shop",
              "other": { "key": "rest", "name": "The rest" },
              "segments": [
                { "key": "vip", "name": "VIP", "description": "Big and recent.", "action": "Call them.", "pattern": "[4-5].[4-5]" },
                { "key": "sleeping", "name": "Sleeping", "r": "1-2", "f": "1-3" },
                { "key": "vip", "r": 3, "m": "5" },
              ]
            }
            """);

        Assert.Equal("shop", map.Name);
        Assert.Equal(["vip", "sleeping", "rest"], map.Segments.Select(s => s.Key));
        Assert.Equal("VIP", map.Assign(new RfmScore(5, 1, 4)).Name);
        Assert.Equal("Call them.", map.Assign(new RfmScore(3, 5, 5)).SuggestedAction);
        Assert.Equal("sleeping", map.Assign(new RfmScore(2, 3, 1)).Key);
        Assert.Equal("rest", map.Assign(new RfmScore(2, 4, 1)).Key);
    }

    [Fact]
    public void FromJson_Channel_IsTheSegmentsSuggestedChannel()
    {
        var map = SegmentMaps.FromJson("""
            {
              "other": { "key": "rest", "channel": "None" },
              "segments": [
                { "key": "vip", "action": "Call them.", "channel": "Phone", "pattern": "5.." },
                { "key": "vip", "channel": "Phone", "r": "4", "f": "5" },
                { "key": "vip", "r": "4", "f": "4" },
                { "key": "quiet", "r": "1" }
              ]
            }
            """);

        Assert.Equal("Phone", map.Assign(new RfmScore(5, 1, 1)).SuggestedChannel);
        Assert.Equal("Phone", map.Assign(new RfmScore(4, 4, 1)).SuggestedChannel);
        Assert.Equal(string.Empty, map.Assign(new RfmScore(1, 1, 1)).SuggestedChannel);
        Assert.Equal("None", map.Assign(new RfmScore(2, 2, 2)).SuggestedChannel);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("{}", "\"segments\" array")]
    [InlineData("""{"segments": [{"name": "x", "r": "1"}]}""", "segments[0]: a segment needs a \"key\"")]
    [InlineData("""{"segments": [{"key": "x", "r": "0-3"}]}""", "segments[0].r: expected a score or a range")]
    [InlineData("""{"segments": [{"key": "x"}]}""", "segments[0]: a rule needs")]
    [InlineData("""{"segments": [{"key": "x", "pattern": "[1-2", "r": "1"}]}""", "not both")]
    [InlineData("""{"segments": [{"key": "x", "pattern": "[1-2"}]}""", "segments[0].pattern: Score pattern '[1-2'")]
    [InlineData("""{"segments": [{"key": "X Y", "r": "1"}]}""", "segments[0]: Segment key 'X Y'")]
    [InlineData("""{"segments": [{"key": "x", "name": "A", "r": "1"}, {"key": "x", "name": "B", "r": "2"}]}""", "segments[1]: segment 'x' is defined earlier")]
    [InlineData("""{"segments": [{"key": "x", "f": true}]}""", "segments[0].f: expected a string")]
    [InlineData("""{"segments": [{"key": "x", "channel": "Email", "r": "1"}, {"key": "x", "channel": "SMS", "r": "2"}]}""", "segments[1]: segment 'x' is defined earlier")]
    [InlineData("""{"segments": [{"key": "x", "r": "1"}, {"key": "x", "channel": "SMS", "r": "2"}]}""", "segments[1]: segment 'x' is defined earlier")]
    [InlineData("""{"segments": [{"key": "x", "channel": ["Email"], "r": "1"}]}""", "segments[0].channel: expected a string")]
    [InlineData("""{"segments": [{"key": "x", "Channel": "Email", "r": "1"}]}""", "unknown property \"Channel\"")]
    public void FromJson_InvalidMap_NamesTheEntryAndField(string json, string message)
    {
        var ex = Assert.Throws<FormatException>(() => SegmentMaps.FromJson(json));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"vip\"", "string")]
    [InlineData("1", "number")]
    [InlineData("[]", "array")]
    [InlineData("null", "null")]
    [InlineData("true", "true")]
    public void FromJson_AnEntryThatIsNotAnObject_IsAFormatError(string entry, string kind)
    {
        // Found by fuzzing: a string among the entries was listed for its properties and threw InvalidOperationException.
        var segments = Assert.Throws<FormatException>(() => SegmentMaps.FromJson($$"""{"segments": [{"key": "x", "r": "1"}, {{entry}}]}"""));
        var other = Assert.Throws<FormatException>(() => SegmentMaps.FromJson($$"""{"segments": [{"key": "x", "r": "1"}], "other": {{entry}}}"""));

        Assert.Equal($"segments[1]: expected a JSON object, got {kind}.", segments.Message);
        Assert.Equal($"other: expected a JSON object, got {kind}.", other.Message);
    }

    [Fact]
    public void FromJson_200KRules_IsRefusedNamingTheBound()
    {
        var rules = string.Join(",", Enumerable.Range(0, 200_000).Select(i => $$"""{"key":"s{{i}}","pattern":"[1-2].."}"""));

        var ex = Assert.Throws<FormatException>(() => SegmentMaps.FromJson($$"""{"segments":[{{rules}}]}"""));

        Assert.Equal("A segment map has at most 1,000 rules, one for each R, F, M cell of ten scores; this one has 200,000.", ex.Message);
    }

    [Theory]
    [InlineData("""{"name": "a", "name": "b", "segments": [{"key": "x", "r": "1"}]}""", "'name'")]
    [InlineData("""{"segments": [{"key": "x", "r": "1", "r": "2"}]}""", "'r'")]
    [InlineData("""{"segments": [{"key": "x", "r": "1"}], "segments": []}""", "'segments'")]
    public void FromJson_DuplicateProperty_IsRefusedNamingIt(string json, string name)
    {
        var ex = Assert.Throws<FormatException>(() => SegmentMaps.FromJson(json));

        Assert.Contains($"Duplicate property {name}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuiltIn_HoldsTheNamedMaps_CaseInsensitively()
    {
        Assert.Same(SegmentMaps.Classic, SegmentMaps.BuiltIn["classic"]);
        Assert.Same(SegmentMaps.ElevenSegments, SegmentMaps.BuiltIn["Eleven-Segments"]);
        Assert.Equal(2, SegmentMaps.BuiltIn.Count);
        Assert.Equal("json", Assert.Throws<ArgumentNullException>(() => SegmentMaps.FromJson(null!)).ParamName);
    }
}
