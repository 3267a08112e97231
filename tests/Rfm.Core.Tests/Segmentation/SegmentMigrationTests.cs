using FsCheck.Xunit;
using Rfm.Scoring;
using Rfm.Segmentation;

namespace Rfm.Tests.Segmentation;

[Properties(Arbitrary = [typeof(Generators)])]
public sealed class SegmentMigrationTests
{
    private static readonly DateTime Before = new(2011, 6, 1);
    private static readonly DateTime After = Before.AddDays(100);

    // R by days since the last purchase (30/60/90/120), F by orders (1/2/3/4): each customer's cell is known.
    private static readonly RfmCalculator Fixed = new(
        scoring: new RfmScoring(ScoringStrategies.FixedThresholds(30, 60, 90, 120), ScoringStrategies.FixedThresholds(1, 2, 3, 4), ScoringStrategies.Quantile));

    // alice, bob and carol by the first date, dave only by the second; carol's rows are gone by then.
    private static readonly Transaction[] FourCustomers =
    [
        // alice: 5 orders, the last 10 days before the first date; nothing after. Champions, then can't lose.
        .. Enumerable.Range(0, 5).Select(i => new Transaction("alice", $"a{i}", Before.AddDays(-10 - i), 50m)),

        // bob: one old order, then three recent ones. Hibernating, then champions.
        new("bob", "b0", Before.AddDays(-200), 20m),
        .. Enumerable.Range(1, 4).Select(i => new Transaction("bob", $"b{i}", After.AddDays(-i), 20m)),

        // carol: one order 45 days before the first date, nothing after. Potential loyalist (R4, F1 is promising), then hibernating.
        new("carol", "c0", Before.AddDays(-45), 10m),

        // dave: first order after the first date. New.
        new("dave", "d0", After.AddDays(-5), 30m),
    ];

    private static (RfmResult Before, RfmResult After) FourCustomersAsOfBothDates() =>
        (Fixed.Calculate(FourCustomers, Before), Fixed.Calculate(FourCustomers.Where(r => r.CustomerId != "carol").ToArray(), After));

    [Fact]
    public void Between_TwoDates_GivesEachMoveAndTheMatrix()
    {
        var (before, after) = FourCustomersAsOfBothDates();

        var migration = SegmentMigration.Between(before, after, SegmentMaps.Classic);

        Assert.Equal<SegmentMove>(
            [
                new SegmentMove("alice", Segments.Champions, Segments.CantLose, MigrationDirection.Downgrade),
                new SegmentMove("bob", Segments.Hibernating, Segments.Champions, MigrationDirection.Upgrade),
                new SegmentMove("carol", Segments.Promising, null, MigrationDirection.Gone),
                new SegmentMove("dave", null, Segments.NewCustomers, MigrationDirection.New),
            ],
            migration.Moves);
        Assert.Equal<SegmentMove>(migration.Moves, migration.Changed);
        Assert.Equal(1, migration.Count(Segments.Champions, Segments.CantLose));
        Assert.Equal(1, migration.Count(null, Segments.NewCustomers));
        Assert.Equal(1, migration.Count(Segments.Promising, null));
        Assert.Equal(1, migration.Count(MigrationDirection.Upgrade));
        Assert.Equal<Segment>(SegmentMaps.Classic.Segments, migration.Segments);
        Assert.Equal(((SegmentMaps.Classic.Segments.Count + 1) * (SegmentMaps.Classic.Segments.Count + 1)) - 1, migration.Cells.Length);
        Assert.Equal(1.0, migration.Cells.Single(c => c.From == Segments.Champions && c.To == Segments.CantLose).ShareOfFrom);
    }

    [Property(MaxTest = 300)]
    public void Rows_SumToTheEarlierSegmentCounts_AndColumnsToTheLater(TransactionLog log)
    {
        var before = RfmCalculator.Default.Calculate(log.Rows, log.AsOf.AddDays(-60));
        var after = RfmCalculator.Default.Calculate(log.Rows, log.AsOf);

        var migration = SegmentMigration.Between(before, after, SegmentMaps.Classic);

        foreach (var segment in migration.Segments)
        {
            Assert.Equal(before.Customers.Count(c => c.Segment == segment), migration.Cells.Where(c => c.From == segment).Sum(c => c.Customers));
            Assert.Equal(after.Customers.Count(c => c.Segment == segment), migration.Cells.Where(c => c.To == segment).Sum(c => c.Customers));
            var shares = migration.Cells.Where(c => c.From == segment).Sum(c => c.ShareOfFrom);
            Assert.True(shares == 0 || Math.Abs(shares - 1) < 1e-9);
        }

        Assert.Equal(before.Customers.Select(c => c.CustomerId).Union(after.Customers.Select(c => c.CustomerId)).Count(), migration.Moves.Length);
        Assert.Equal(after.Customers.Length - before.Customers.Length, migration.Count(MigrationDirection.New) - migration.Count(MigrationDirection.Gone));
    }

    [Property(MaxTest = 300)]
    public void ResultToItself_ChangesNobody(TransactionLog log)
    {
        var result = RfmCalculator.Default.Calculate(log.Rows, log.AsOf);

        var migration = SegmentMigration.Between(result, result, SegmentMaps.Classic);

        Assert.Empty(migration.Changed);
        Assert.Equal(result.Customers.Length, migration.Count(MigrationDirection.Unchanged));
        Assert.All(migration.Cells.Where(c => c.From != c.To), cell => Assert.Equal(0, cell.Customers));
    }

    [Fact]
    public void SegmentOutsideTheMap_IsMoved_AndListedAfterTheMapsSegments()
    {
        var vip = new Segment("vip", "VIP");
        var byR = SegmentMaps.FromGrid("by-r", 5, (r, _) => r >= 4 ? vip : Segments.Hibernating);
        var calculator = new RfmCalculator(scoring: Fixed.Scoring, segmentMap: byR);
        Transaction[] rows = [new("a", "1", Before.AddDays(-1), 5m), new("b", "2", Before.AddDays(-300), 5m), new("c", "3", Before.AddDays(-2), 5m)];
        var before = calculator.Calculate(rows, Before);
        var after = calculator.Calculate(rows, After);

        var migration = SegmentMigration.Between(before, after, SegmentMaps.Classic);

        Assert.Equal<Segment>([.. SegmentMaps.Classic.Segments, vip], migration.Segments);
        Assert.Equal(new SegmentMove("a", vip, Segments.Hibernating, MigrationDirection.Moved), migration.Moves[0]);
    }

    [Fact]
    public void Between_Assignments_EqualsBetweenTheirResults()
    {
        var (before, after) = FourCustomersAsOfBothDates();

        // What a nightly job keeps: each customer's segment, in a dictionary (so in no particular order).
        var lastNight = before.Customers.Reverse().ToDictionary(c => c.CustomerId, c => c.Segment);
        var tonight = after.Customers.ToDictionary(c => c.CustomerId, c => c.Segment);

        AssertSame(SegmentMigration.Between(before, after, SegmentMaps.Classic), SegmentMigration.Between(lastNight, tonight, SegmentMaps.Classic));
    }

    [Property(MaxTest = 300)]
    public void Assignments_GiveTheMigrationOfTheirResults(TransactionLog log)
    {
        var before = RfmCalculator.Default.Calculate(log.Rows, log.AsOf.AddDays(-60));
        var after = RfmCalculator.Default.Calculate(log.Rows, log.AsOf);

        var migration = SegmentMigration.Between(
            before.Customers.Reverse().Select(c => KeyValuePair.Create(c.CustomerId, c.Segment)),
            after.Customers.Select(c => KeyValuePair.Create(c.CustomerId, c.Segment)),
            SegmentMaps.Classic);

        AssertSame(SegmentMigration.Between(before, after, SegmentMaps.Classic), migration);
    }

    [Property(MaxTest = 1000)]
    public void AssignmentsToThemselves_ChangeNobody(AssignmentsCase assignments)
    {
        var migration = SegmentMigration.Between(assignments.Before, assignments.Before.Reverse(), SegmentMaps.Classic);

        Assert.Empty(migration.Changed);
        Assert.Equal(assignments.Before.Length, migration.Count(MigrationDirection.Unchanged));
        Assert.Equal(assignments.Before.Select(p => p.Key).Order(StringComparer.Ordinal), migration.Moves.Select(m => m.CustomerId));
    }

    [Property(MaxTest = 1000)]
    public void AssignmentRows_SumToTheEarlierSegmentCounts_AndColumnsToTheLater(AssignmentsCase assignments)
    {
        var migration = SegmentMigration.Between(assignments.Before, assignments.After, SegmentMaps.Classic);

        foreach (var segment in migration.Segments)
        {
            Assert.Equal(assignments.Before.Count(p => p.Value == segment), migration.Cells.Where(c => c.From == segment).Sum(c => c.Customers));
            Assert.Equal(assignments.After.Count(p => p.Value == segment), migration.Cells.Where(c => c.To == segment).Sum(c => c.Customers));
        }

        Assert.Equal(assignments.After.Length, migration.Cells.Where(c => c.To is not null).Sum(c => c.Customers));
        Assert.Equal(assignments.Before.Length, migration.Cells.Where(c => c.From is not null).Sum(c => c.Customers));
        Assert.Equal(assignments.Before.Select(p => p.Key).Union(assignments.After.Select(p => p.Key)).Count(), migration.Moves.Length);
    }

    [Theory]
    [InlineData("before")]
    [InlineData("after")]
    public void Between_DuplicateCustomer_IsRejectedNamingTheIdAndTheSide(string side)
    {
        KeyValuePair<string, Segment>[] once = [new("a", Segments.Champions), new("b", Segments.Hibernating)];
        KeyValuePair<string, Segment>[] twice = [new("b", Segments.Champions), new("a", Segments.Champions), new("b", Segments.AtRisk)];

        var ex = Assert.Throws<ArgumentException>(() =>
            side == "before" ? SegmentMigration.Between(twice, once, SegmentMaps.Classic) : SegmentMigration.Between(once, twice, SegmentMaps.Classic));

        Assert.Equal(side, ex.ParamName);
        Assert.StartsWith($"Customer 'b' appears more than once in {side}.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Between_NullIdOrSegment_IsRejectedNamingTheSide()
    {
        KeyValuePair<string, Segment>[] valid = [new("a", Segments.Champions)];
        KeyValuePair<string, Segment>[] nullId = [new(null!, Segments.Champions)];
        KeyValuePair<string, Segment>[] nullSegment = [new("a", null!)];

        var id = Assert.Throws<ArgumentException>(() => SegmentMigration.Between(nullId, valid, SegmentMaps.Classic));
        var segment = Assert.Throws<ArgumentException>(() => SegmentMigration.Between(valid, nullSegment, SegmentMaps.Classic));

        Assert.Equal("before", id.ParamName);
        Assert.StartsWith("A customer id in before is null.", id.Message, StringComparison.Ordinal);
        Assert.Equal("after", segment.ParamName);
        Assert.StartsWith("Customer 'a' in after has a null segment.", segment.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Between_Assignments_ArgValidation()
    {
        var assignments = new Dictionary<string, Segment> { ["a"] = Segments.Champions };

        Assert.Equal("before", Assert.Throws<ArgumentNullException>(() => SegmentMigration.Between(null!, assignments, SegmentMaps.Classic)).ParamName);
        Assert.Equal("after", Assert.Throws<ArgumentNullException>(() => SegmentMigration.Between(assignments, null!, SegmentMaps.Classic)).ParamName);
        Assert.Equal("map", Assert.Throws<ArgumentNullException>(() => SegmentMigration.Between(assignments, assignments, null!)).ParamName);
    }

    [Fact]
    public void Between_ArgValidation()
    {
        var result = RfmCalculator.Default.Calculate<Transaction>([new("a", "1", Before, 1m)], Before);

        Assert.Equal("before", Assert.Throws<ArgumentNullException>(() => SegmentMigration.Between(null!, result, SegmentMaps.Classic)).ParamName);
        Assert.Equal("after", Assert.Throws<ArgumentNullException>(() => SegmentMigration.Between(result, null!, SegmentMaps.Classic)).ParamName);
        Assert.Equal("map", Assert.Throws<ArgumentNullException>(() => SegmentMigration.Between(result, result, null!)).ParamName);
    }

    private static void AssertSame(SegmentMigration expected, SegmentMigration actual)
    {
        Assert.Equal<Segment>(expected.Segments, actual.Segments);
        Assert.Equal<SegmentMove>(expected.Moves, actual.Moves);
        Assert.Equal<SegmentMove>(expected.Changed, actual.Changed);
        Assert.Equal<MigrationCell>(expected.Cells, actual.Cells);
    }
}
