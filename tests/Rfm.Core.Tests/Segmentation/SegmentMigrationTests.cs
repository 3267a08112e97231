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

    [Fact]
    public void Between_TwoDates_GivesEachMoveAndTheMatrix()
    {
        Transaction[] rows =
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
        var before = Fixed.Calculate(rows, Before);
        var after = Fixed.Calculate(rows.Where(r => r.CustomerId != "carol").ToArray(), After);

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
    public void Between_ArgValidation()
    {
        var result = RfmCalculator.Default.Calculate<Transaction>([new("a", "1", Before, 1m)], Before);

        Assert.Equal("before", Assert.Throws<ArgumentNullException>(() => SegmentMigration.Between(null!, result, SegmentMaps.Classic)).ParamName);
        Assert.Equal("after", Assert.Throws<ArgumentNullException>(() => SegmentMigration.Between(result, null!, SegmentMaps.Classic)).ParamName);
        Assert.Equal("map", Assert.Throws<ArgumentNullException>(() => SegmentMigration.Between(result, result, null!)).ParamName);
    }
}
