using Rfm.Analytics;

namespace Rfm.Tests.Analytics;

/// <summary><see cref="OrderHistory.Cohorts"/> on a hand-computed matrix.</summary>
public sealed class CohortTableTests
{
    private static readonly DateTime AsOf = new(2024, 4, 30);

    // Five customers over January to April 2024:
    //
    //   customer  order  time    amount
    //   u1        1      01-04    10.00
    //   u1        2      01-18    20.00
    //   u2        3      01-22     5.00
    //   u1        4      02-02    15.00
    //   u3        5      02-09     7.50
    //   u2        6      03-11     9.99
    //   u3        7      03-12     1.00
    //   u3        8      03-28     2.00
    //   u1        9      04-01    30.00
    //   u4        10     04-05    60.00   two lines of one order: 100.00
    //   u4        10     04-05    40.00
    //   u5        11     04-29    50.01
    //
    // First orders: u1 and u2 in January, u3 in February, nobody in March, u4 and u5 in April. So three cohorts
    // (March has none and is left out); k is the number of months since acquisition:
    //
    //   cohort  size  k=0 (active/orders/revenue)  k=1             k=2            k=3
    //   Jan     2     2 / 3 / 35.00                u1: 1/1/15.00   u2: 1/1/9.99   u1: 1/1/30.00
    //   Feb     1     1 / 1 / 7.50                 u3: 1/2/3.00    0/0/0
    //   Apr     2     2 / 2 / 150.01
    //
    // Retention shares: Jan 1, 1/2, 1/2, 1/2; Feb 1, 1, 0; Apr 1.
    private static readonly Transaction[] Rows =
    [
        new("u1", "1", new DateTime(2024, 1, 4), 10.00m),
        new("u1", "2", new DateTime(2024, 1, 18), 20.00m),
        new("u2", "3", new DateTime(2024, 1, 22), 5.00m),
        new("u1", "4", new DateTime(2024, 2, 2), 15.00m),
        new("u3", "5", new DateTime(2024, 2, 9), 7.50m),
        new("u2", "6", new DateTime(2024, 3, 11), 9.99m),
        new("u3", "7", new DateTime(2024, 3, 12), 1.00m),
        new("u3", "8", new DateTime(2024, 3, 28), 2.00m),
        new("u1", "9", new DateTime(2024, 4, 1), 30.00m),
        new("u4", "10", new DateTime(2024, 4, 5), 60.00m),
        new("u4", "10", new DateTime(2024, 4, 5), 40.00m),
        new("u5", "11", new DateTime(2024, 4, 29), 50.01m),
    ];

    private static readonly PeriodCalendar Monthly = new(PeriodUnit.Month);

    [Fact]
    public void Cohorts_Matrix_OneRowPerAcquisitionPeriodWithNewCustomers()
    {
        var table = History(Rows).Cohorts(Monthly);

        Assert.Same(Monthly, table.Calendar);
        Assert.Equal([Month(1), Month(2), Month(4)], table.Cohorts.Select(c => c.Start));
        Assert.Equal([2, 1, 2], table.Cohorts.Select(c => c.Size));
        Assert.Equal([4, 3, 1], table.Cohorts.Select(c => c.Cells.Length));
    }

    [Fact]
    public void Cohorts_Matrix_CellsPerPeriodSinceAcquisition()
    {
        var cohorts = History(Rows).Cohorts(Monthly).Cohorts;

        var january = cohorts[0].Cells;
        Assert.Equal([0, 1, 2, 3], january.Select(c => c.PeriodsSinceAcquisition));
        Assert.Equal([Month(1), Month(2), Month(3), Month(4)], january.Select(c => c.PeriodStart));
        Assert.Equal([2, 1, 1, 1], january.Select(c => c.ActiveCustomers));
        Assert.Equal([3L, 1, 1, 1], january.Select(c => c.Orders));
        Assert.Equal([35.00m, 15.00m, 9.99m, 30.00m], january.Select(c => c.Revenue));
        Assert.Equal([1, 0.5, 0.5, 0.5], january.Select(c => c.RetentionShare));

        var february = cohorts[1].Cells;
        Assert.Equal([Month(2), Month(3), Month(4)], february.Select(c => c.PeriodStart));
        Assert.Equal([1, 1, 0], february.Select(c => c.ActiveCustomers));
        Assert.Equal([1L, 2, 0], february.Select(c => c.Orders));
        Assert.Equal([7.50m, 3.00m, 0m], february.Select(c => c.Revenue));
        Assert.Equal([1, 1, 0], february.Select(c => c.RetentionShare));

        var april = Assert.Single(cohorts[2].Cells);
        Assert.Equal(new CohortCell(Month(4), 0, Month(4), false, 2, 2, 2, 150.01m), april);
        Assert.Equal(1, april.RetentionShare);

        // Every cell names its cohort and the cohort's size.
        Assert.All(cohorts, cohort => Assert.All(cohort.Cells, cell => Assert.Equal((cohort.Start, cohort.Size), (cell.Cohort, cell.CohortSize))));
    }

    [Fact]
    public void Cohorts_Cells_AreTheMatrixRowsInOrder()
    {
        var table = History(Rows).Cohorts(Monthly);

        Assert.Equal(table.Cohorts.SelectMany(c => c.Cells).ToArray(), table.Cells.ToArray());
        Assert.Equal(
            [
                (Month(1), 0), (Month(1), 1), (Month(1), 2), (Month(1), 3),
                (Month(2), 0), (Month(2), 1), (Month(2), 2),
                (Month(4), 0),
            ],
            table.Cells.Select(c => (c.Cohort, c.PeriodsSinceAcquisition)));
    }

    [Fact]
    public void Cohorts_AddUpToTheKpis()
    {
        var history = History(Rows);
        var cells = history.Cohorts(Monthly).Cells;
        var kpis = history.Kpis(Monthly);

        // Per period, the cohorts together are the period's active customers, orders and revenue; their sizes are the new customers.
        foreach (var period in kpis)
        {
            var inPeriod = cells.Where(c => c.PeriodStart == period.Start).ToArray();
            Assert.Equal(period.ActiveCustomers, inPeriod.Sum(c => c.ActiveCustomers));
            Assert.Equal(period.Orders, inPeriod.Sum(c => c.Orders));
            Assert.Equal(period.Revenue, inPeriod.Sum(c => c.Revenue));
            Assert.Equal(period.NewCustomers, inPeriod.Where(c => c.PeriodsSinceAcquisition == 0).Sum(c => c.CohortSize));
        }

        Assert.Equal(5, history.Cohorts(Monthly).Cohorts.Sum(c => c.Size));
    }

    [Fact]
    public void Cohorts_Quarterly_OneCohortPerQuarter()
    {
        // Q1: u1, u2, u3 acquired; Q2: u1 back, u4 and u5 acquired.
        var cohorts = History(Rows).Cohorts(new PeriodCalendar(PeriodUnit.Quarter)).Cohorts;

        Assert.Equal([Month(1), Month(4)], cohorts.Select(c => c.Start));
        Assert.Equal([3, 2], cohorts.Select(c => c.Size));
        Assert.Equal([3, 1], cohorts[0].Cells.Select(c => c.ActiveCustomers));
        Assert.Equal([8L, 1], cohorts[0].Cells.Select(c => c.Orders));
        Assert.Equal([70.49m, 30.00m], cohorts[0].Cells.Select(c => c.Revenue));
        Assert.Equal(new CohortCell(Month(4), 0, Month(4), false, 2, 2, 2, 150.01m), Assert.Single(cohorts[1].Cells));
    }

    [Fact]
    public void Cohorts_SingleCustomer_IsOneCohortOfOne()
    {
        var table = History([new("a", "1", new DateTime(2024, 2, 10), 3.00m)]).Cohorts(Monthly);

        // The periods run to the analysis date (30 April): the customer is inactive in March and April, and April is partial.
        var cohort = Assert.Single(table.Cohorts);
        Assert.Equal((Month(2), 1), (cohort.Start, cohort.Size));
        Assert.Equal<CohortCell>(
            [
                new CohortCell(Month(2), 0, Month(2), true, 1, 1, 1, 3.00m),
                new CohortCell(Month(2), 1, Month(3), true, 1, 0, 0, 0m),
                new CohortCell(Month(2), 2, Month(4), false, 1, 0, 0, 0m),
            ],
            table.Cells);
    }

    private static DateTime Month(int month) => new(2024, month, 1);

    private static OrderHistory History(Transaction[] rows)
    {
        var accumulator = new RfmAccumulator(AsOf, keepOrders: true);
        accumulator.AddRange(rows);
        return accumulator.History();
    }
}
