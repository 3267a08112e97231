using Rfm.Analytics;

namespace Rfm.Tests.Analytics;

/// <summary>The worked example of docs/kpis.md, number for number.</summary>
public sealed class KpisDocumentExampleTests
{
    private static readonly Transaction[] Rows =
    [
        new("A", "1", new DateTime(2024, 1, 5), 100m),
        new("A", "2", new DateTime(2024, 1, 20), 50m),
        new("B", "3", new DateTime(2024, 1, 11), 80m),
        new("A", "4", new DateTime(2024, 2, 3), 40m),
        new("C", "5", new DateTime(2024, 2, 14), 200m),
        new("B", "6", new DateTime(2024, 4, 2), 60m),
        new("C", "7", new DateTime(2024, 4, 9), 20m),
        new("D", "8", new DateTime(2024, 4, 30), 30m),
    ];

    private static OrderHistory History()
    {
        var accumulator = new RfmAccumulator(new DateTime(2024, 5, 1), keepOrders: true);
        accumulator.AddRange(Rows);
        return accumulator.History();
    }

    [Fact]
    public void Kpis_AreTheDocumentsTable()
    {
        var kpis = History().Kpis(new PeriodCalendar(PeriodUnit.Month));

        // month, A, N, S, R, reactivated, churned, retention, churn, acquisition, repeat rate, O, V, AOV, frequency, revenue growth, customer growth
        object?[][] expected =
        [
            [1, 2, 2, null, null, null, null, null, null, null, 0.5, 2 + 1, 230m, 230m / 3, 1.5, null, null],
            [2, 2, 1, 2, 1, 0, 1, 0.5, 0.5, 0.5, 0.0, 2, 240m, 120m, 1.0, (double)(10m / 230m), 0.0],
            [3, 0, 0, 2, 0, 0, 2, 0.0, 1.0, 0.0, null, 0, 0m, null, null, -1.0, -1.0],
            [4, 3, 1, 0, 0, 2, 0, null, null, null, 0.0, 3, 110m, 110m / 3, 1.0, null, null],
        ];
        Assert.Equal(expected.Length, kpis.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var k = kpis[i];
            object?[] actual =
            [
                k.Start.Month, k.ActiveCustomers, k.NewCustomers, k.CustomersAtStart, k.RetainedCustomers, k.ReactivatedCustomers,
                k.ChurnedCustomers, k.RetentionRate, k.ChurnRate, k.AcquisitionRate, k.RepeatPurchaseRate, (int)k.Orders, k.Revenue,
                k.AverageOrderValue, k.PurchaseFrequency, k.RevenueGrowthRate, k.CustomerGrowthRate,
            ];
            Assert.Equal(expected[i], actual);
            Assert.True(k.Complete);
        }
    }

    [Fact]
    public void Cohorts_AreTheDocumentsMatrix()
    {
        var cohorts = History().Cohorts(new PeriodCalendar(PeriodUnit.Month)).Cohorts;

        Assert.Equal([1, 2, 4], cohorts.Select(c => c.Start.Month));
        Assert.Equal([2, 1, 1], cohorts.Select(c => c.Size));
        Assert.Equal([1.0, 0.5, 0.0, 0.5], cohorts[0].Cells.Select(c => c.RetentionShare));
        Assert.Equal([1.0, 0.0, 1.0], cohorts[1].Cells.Select(c => c.RetentionShare));
        Assert.Equal([1.0], cohorts[2].Cells.Select(c => c.RetentionShare));
        Assert.Equal([230m, 40m, 0m, 60m], cohorts[0].Cells.Select(c => c.Revenue));
    }

    [Fact]
    public void SimpleClv_IsTheDocumentsTable()
    {
        var clv = SimpleClv.Compute(History().Metrics.Customers, 0.10m);

        Assert.Equal(0.25, clv.ChurnRate);
        Assert.Equal(["A", "B", "C", "D"], clv.Customers.Select(c => c.CustomerId));
        Assert.Equal([19.0m, 14.0m, 22.0m, 3.0m], clv.Customers.Select(c => c.Clv));
        Assert.Equal(["B", "C", "A", "D"], clv.Customers.Select(c => c.ClvSegment));
        Assert.Equal(58m, clv.Customers.Sum(c => c.Clv));
    }
}
