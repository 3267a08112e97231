using FsCheck.Xunit;
using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Tests.Segmentation;

[Properties(Arbitrary = [typeof(Generators)])]
public sealed class CampaignTargetsTests
{
    private static readonly DateTime Before = new(2011, 6, 1);
    private static readonly DateTime After = Before.AddDays(100);

    // R by days since the last purchase (30/60/90/120), F by orders (1/2/3/4): each customer's cell is known.
    private static readonly RfmCalculator Fixed = new(
        scoring: new RfmScoring(ScoringStrategies.FixedThresholds(30, 60, 90, 120), ScoringStrategies.FixedThresholds(1, 2, 3, 4), ScoringStrategies.Quantile));

    private static readonly Transaction[] Rows =
    [
        // alice: 5 orders just before the first date, nothing after. Champions, then can't lose.
        .. Enumerable.Range(0, 5).Select(i => new Transaction("alice", $"a{i}", Before.AddDays(-10 - i), 50m)),

        // ann and bob: one old order, then four recent ones. Hibernating, then champions.
        new("bob", "b0", Before.AddDays(-200), 20m),
        .. Enumerable.Range(1, 4).Select(i => new Transaction("bob", $"b{i}", After.AddDays(-i), 20m)),
        new("ann", "n0", Before.AddDays(-210), 25m),
        .. Enumerable.Range(1, 4).Select(i => new Transaction("ann", $"n{i}", After.AddDays(-i - 1), 25m)),

        // carol: one order 45 days before the first date. Promising, then hibernating.
        new("carol", "c0", Before.AddDays(-45), 10m),

        // dave: first order after the first date. New.
        new("dave", "d0", After.AddDays(-5), 30m),
    ];

    private static readonly RfmResult Earlier = Fixed.Calculate(Rows, Before);
    private static readonly RfmResult Later = Fixed.Calculate(Rows, After);

    [Fact]
    public void Select_ListsTheChosenSegments_InTheKeysOrder_ThenByCustomerId()
    {
        var targets = CampaignTargets.Select(Later, SegmentMaps.Classic, ["new_customers", "champions", "cant_lose"]);

        Assert.Equal(["dave", "ann", "bob", "alice"], targets.Select(t => t.CustomerId));
        Assert.Equal<Segment>([Segments.NewCustomers, Segments.Champions, Segments.Champions, Segments.CantLose], targets.Select(t => t.Segment));
        Assert.Equal(Segments.CantLose.SuggestedAction, targets[3].SuggestedAction);
        Assert.Equal(Segments.CantLose.SuggestedChannel, targets[3].SuggestedChannel);
        Assert.NotEmpty(targets[3].SuggestedChannel);
        Later.TryGetCustomer("alice", out var alice);
        Assert.Equal(alice, targets[3].Customer);
    }

    [Fact]
    public void Select_WithoutPrevious_HasNoPreviousSegmentNorChange()
    {
        var targets = CampaignTargets.Select(Later, SegmentMaps.Classic, ["champions"]);

        Assert.All(targets, target =>
        {
            Assert.Null(target.PreviousSegment);
            Assert.Null(target.Change);
            Assert.Null(target.ChangedSegment);
        });
    }

    [Fact]
    public void Select_ASegmentWithoutCustomers_ListsNobody()
    {
        Assert.DoesNotContain(Later.Segments, s => s.Segment == Segments.AtRisk);

        Assert.Empty(CampaignTargets.Select(Later, SegmentMaps.Classic, ["at_risk"]));
        Assert.Equal(["alice"], CampaignTargets.Select(Later, SegmentMaps.Classic, ["at_risk", "cant_lose"]).Select(t => t.CustomerId));
    }

    [Fact]
    public void Select_WithPrevious_GivesTheEarlierSegmentAndTheChange()
    {
        var targets = CampaignTargets.Select(Later, SegmentMaps.Classic, ["cant_lose", "champions", "new_customers"], Earlier);

        Assert.Equal<CampaignTarget>(
            [
                new CampaignTarget(Customer(Later, "alice"), Segments.Champions, MigrationDirection.Downgrade),
                new CampaignTarget(Customer(Later, "ann"), Segments.Hibernating, MigrationDirection.Upgrade),
                new CampaignTarget(Customer(Later, "bob"), Segments.Hibernating, MigrationDirection.Upgrade),
                new CampaignTarget(Customer(Later, "dave"), null, MigrationDirection.New),
            ],
            targets);

        // A customer absent from the earlier result is new, and has changed segment (from none).
        Assert.All(targets, target => Assert.True(target.ChangedSegment));
    }

    [Fact]
    public void Select_AgainstItself_ChangesNobody()
    {
        var targets = CampaignTargets.Select(Later, SegmentMaps.Classic, ["champions", "cant_lose"], Later);

        Assert.Equal(3, targets.Length);
        Assert.All(targets, target =>
        {
            Assert.Equal(target.Segment, target.PreviousSegment);
            Assert.Equal(MigrationDirection.Unchanged, target.Change);
            Assert.False(target.ChangedSegment);
        });
    }

    [Fact]
    public void Select_PreviousAssignments_EqualThePreviousResult()
    {
        // What a nightly job keeps: each customer's segment, in no particular order; carol is gone since.
        var lastNight = Earlier.Customers.Reverse().ToDictionary(c => c.CustomerId, c => c.Segment);
        string[] keys = ["champions", "hibernating", "cant_lose", "new_customers"];

        Assert.Equal<CampaignTarget>(
            CampaignTargets.Select(Later, SegmentMaps.Classic, keys, Earlier),
            CampaignTargets.Select(Later, SegmentMaps.Classic, keys, lastNight));
    }

    [Theory]
    [InlineData(new[] { "at_risk", "vip" }, "Segment key 'vip' is not a segment of the map 'classic'; its keys are champions, loyal_customers, potential_loyalists, new_customers, promising, need_attention, about_to_sleep, at_risk, cant_lose, hibernating, other.")]
    [InlineData(new[] { "At_Risk" }, "Segment key 'At_Risk' is not a segment of the map 'classic'; its keys are")]
    [InlineData(new[] { "at_risk", "cant_lose", "at_risk" }, "Segment key 'at_risk' is given twice.")]
    [InlineData(new string[0], "No segment key given: name at least one segment to target.")]
    [InlineData(new[] { "at_risk", null }, "A segment key is null.")]
    public void Select_WrongKeys_AreRejectedNamingTheKeyAndListingTheMaps(string[] keys, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => CampaignTargets.Select(Later, SegmentMaps.Classic, keys));
        var withPrevious = Assert.Throws<ArgumentException>(() => CampaignTargets.Select(Later, SegmentMaps.Classic, keys, Earlier));

        Assert.Equal("segmentKeys", ex.ParamName);
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
        Assert.Equal(ex.Message, withPrevious.Message);
    }

    [Fact]
    public void Select_AResultOfAnotherMap_IsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => CampaignTargets.Select(Later, SegmentMaps.Tiers, ["top_tier"]));

        Assert.Equal("current", ex.ParamName);
        Assert.Matches(@"^The result holds segment '\w+', which the segment map 'tiers' does not have; give the map the result was made with\.", ex.Message);
    }

    [Fact]
    public void Select_PreviousOfAnotherMap_IsRejectedNamingTheCustomer()
    {
        var vip = new Segment("vip", "VIP");
        var fromResult = Assert.Throws<ArgumentException>(() =>
            CampaignTargets.Select(Later, SegmentMaps.Classic, ["champions"], new RfmCalculator(segmentMap: SegmentMaps.Tiers).Calculate(Rows, Before)));
        var fromPairs = Assert.Throws<ArgumentException>(() =>
            CampaignTargets.Select(Later, SegmentMaps.Classic, ["champions"], [KeyValuePair.Create("alice", Segments.Champions), KeyValuePair.Create("zoe", vip)]));

        Assert.Equal("previous", fromResult.ParamName);
        Assert.Matches(@"^Customer '\w+' in previous has segment '\w+', which the segment map 'classic' does not have; give results made with the same map\.", fromResult.Message);
        Assert.Equal("previous", fromPairs.ParamName);
        Assert.StartsWith("Customer 'zoe' in previous has segment 'vip', which the segment map 'classic' does not have; give results made with the same map.", fromPairs.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_PreviousWithACustomerTwiceOrANull_IsRejectedNamingPrevious()
    {
        KeyValuePair<string, Segment>[] twice = [new("bob", Segments.Champions), new("alice", Segments.Champions), new("bob", Segments.AtRisk)];
        KeyValuePair<string, Segment>[] nullSegment = [new("alice", null!)];

        var duplicate = Assert.Throws<ArgumentException>(() => CampaignTargets.Select(Later, SegmentMaps.Classic, ["champions"], twice));
        var missing = Assert.Throws<ArgumentException>(() => CampaignTargets.Select(Later, SegmentMaps.Classic, ["champions"], nullSegment));

        Assert.Equal("previous", duplicate.ParamName);
        Assert.StartsWith("Customer 'bob' appears more than once in previous.", duplicate.Message, StringComparison.Ordinal);
        Assert.Equal("previous", missing.ParamName);
        Assert.StartsWith("Customer 'alice' in previous has a null segment.", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_ArgValidation()
    {
        string[] keys = ["champions"];
        var pairs = new Dictionary<string, Segment>();

        Assert.Equal("current", Assert.Throws<ArgumentNullException>(() => CampaignTargets.Select(null!, SegmentMaps.Classic, keys)).ParamName);
        Assert.Equal("map", Assert.Throws<ArgumentNullException>(() => CampaignTargets.Select(Later, null!, keys)).ParamName);
        Assert.Equal("segmentKeys", Assert.Throws<ArgumentNullException>(() => CampaignTargets.Select(Later, SegmentMaps.Classic, null!)).ParamName);
        Assert.Equal("current", Assert.Throws<ArgumentNullException>(() => CampaignTargets.Select(null!, SegmentMaps.Classic, keys, Earlier)).ParamName);
        Assert.Equal("map", Assert.Throws<ArgumentNullException>(() => CampaignTargets.Select(Later, null!, keys, Earlier)).ParamName);
        Assert.Equal("segmentKeys", Assert.Throws<ArgumentNullException>(() => CampaignTargets.Select(Later, SegmentMaps.Classic, null!, Earlier)).ParamName);
        Assert.Equal("previous", Assert.Throws<ArgumentNullException>(() => CampaignTargets.Select(Later, SegmentMaps.Classic, keys, (RfmResult)null!)).ParamName);
        Assert.Equal("current", Assert.Throws<ArgumentNullException>(() => CampaignTargets.Select(null!, SegmentMaps.Classic, keys, pairs)).ParamName);
        Assert.Equal("map", Assert.Throws<ArgumentNullException>(() => CampaignTargets.Select(Later, null!, keys, pairs)).ParamName);
        Assert.Equal("segmentKeys", Assert.Throws<ArgumentNullException>(() => CampaignTargets.Select(Later, SegmentMaps.Classic, null!, pairs)).ParamName);
        Assert.Equal(
            "previous",
            Assert.Throws<ArgumentNullException>(() => CampaignTargets.Select(Later, SegmentMaps.Classic, keys, (IEnumerable<KeyValuePair<string, Segment>>)null!)).ParamName);
    }

    [Property(MaxTest = 1000)]
    public void Targets_AreEveryCustomerOfTheChosenSegments_Once_InKeyThenIdOrder(TargetsCase c)
    {
        var result = RfmCalculator.Default.Calculate(c.Log.Rows, c.Log.AsOf);

        var targets = CampaignTargets.Select(result, SegmentMaps.Classic, c.Keys);

        var expected = c.Keys.SelectMany(key => result.Customers.Where(customer => customer.Segment.Key == key).OrderBy(customer => customer.CustomerId, StringComparer.Ordinal));
        Assert.Equal(expected, targets.Select(target => target.Customer));
        Assert.All(targets, target => Assert.Contains(target.Segment.Key, c.Keys));
        Assert.Equal(targets.Length, targets.Select(target => target.CustomerId).Distinct(StringComparer.Ordinal).Count());
    }

    [Property(MaxTest = 1000)]
    public void Targets_CarryTheEarlierSegment_AndChangeExactlyWhenItDiffers(TargetsCase c)
    {
        var previous = RfmCalculator.Default.Calculate(c.Log.Rows, c.Log.AsOf.AddDays(-60));
        var result = RfmCalculator.Default.Calculate(c.Log.Rows, c.Log.AsOf);

        var targets = CampaignTargets.Select(result, SegmentMaps.Classic, c.Keys, previous);

        Assert.Equal(CampaignTargets.Select(result, SegmentMaps.Classic, c.Keys).Select(t => t.Customer), targets.Select(t => t.Customer));
        foreach (var target in targets)
        {
            var wasThere = previous.TryGetCustomer(target.CustomerId, out var before);
            Assert.Equal(wasThere ? before.Segment : null, target.PreviousSegment);
            Assert.Equal(!wasThere || before.Segment != target.Segment, target.ChangedSegment);
            Assert.Equal(!wasThere, target.Change == MigrationDirection.New);
        }
    }

    private static CustomerRfm Customer(RfmResult result, string id) =>
        result.TryGetCustomer(id, out var customer) ? customer : throw new InvalidOperationException(id);
}
