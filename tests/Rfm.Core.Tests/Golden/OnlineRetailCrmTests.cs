using System.Globalization;
using Rfm.Analytics;

namespace Rfm.Tests.Golden;

/// <summary>
/// KPIs per month, week and quarter, the monthly cohort matrix and the simple CLV of the real UCI Online Retail data,
/// against tests/golden/online_retail_crm.py (pandas, independent of this library).
/// </summary>
public sealed class OnlineRetailCrmTests
{
    private static readonly Lazy<OrderHistory> History = new(() =>
    {
        using var reader = TestData.OpenOnlineRetail();
        var accumulator = new RfmAccumulator(new DateTime(2011, 12, 10), TransactionPolicy.Default, keepOrders: true);
        accumulator.Add(reader, TransactionColumns.OnlineRetail);
        return accumulator.History();
    });

    [Theory]
    [InlineData(PeriodUnit.Month, "online_retail_kpis_month.csv")]
    [InlineData(PeriodUnit.Week, "online_retail_kpis_week.csv")]
    [InlineData(PeriodUnit.Quarter, "online_retail_kpis_quarter.csv")]
    public void Kpis_EveryPeriod_EqualPandas(PeriodUnit unit, string golden)
    {
        var expected = Golden(golden);
        var kpis = History.Value.Kpis(new PeriodCalendar(unit));

        Assert.Equal(expected.Count, kpis.Length);
        for (var i = 0; i < kpis.Length; i++)
        {
            var want = expected[i];
            var got = kpis[i];
            var period = $"{unit} {want["period_start"]}";
            Assert.Equal(want["period_start"], Day(got.Start));
            Assert.Equal(want["period_end"], Day(got.End));
            Assert.Equal(want["complete"] == "1", got.Complete);
            AssertCount(want["active_customers"], got.ActiveCustomers, period);
            AssertCount(want["new_customers"], got.NewCustomers, period);
            AssertCount(want["returning_customers"], got.ReturningCustomers, period);
            AssertCount(want["customers_at_start"], got.CustomersAtStart, period);
            AssertCount(want["retained_customers"], got.RetainedCustomers, period);
            AssertCount(want["reactivated_customers"], got.ReactivatedCustomers, period);
            AssertCount(want["churned_customers"], got.ChurnedCustomers, period);
            AssertRate(want["retention_rate"], got.RetentionRate, period);
            AssertRate(want["churn_rate"], got.ChurnRate, period);
            AssertRate(want["acquisition_rate"], got.AcquisitionRate, period);
            AssertRate(want["repeat_purchase_rate"], got.RepeatPurchaseRate, period);
            AssertCount(want["orders"], got.Orders, period);
            Assert.Equal(decimal.Parse(want["revenue"], CultureInfo.InvariantCulture), got.Revenue);
            AssertRate(want["average_order_value"], (double?)got.AverageOrderValue, period);
            AssertRate(want["purchase_frequency"], got.PurchaseFrequency, period);
            AssertRate(want["revenue_growth_rate"], got.RevenueGrowthRate, period);
            AssertRate(want["customer_growth_rate"], got.CustomerGrowthRate, period);
        }
    }

    [Fact]
    public void Cohorts_Monthly_EqualPandas()
    {
        var expected = Golden("online_retail_cohorts_month.csv");
        var cells = History.Value.Cohorts(new PeriodCalendar(PeriodUnit.Month)).Cells;

        Assert.Equal(expected.Count, cells.Length);
        for (var i = 0; i < cells.Length; i++)
        {
            var want = expected[i];
            var got = cells[i];
            var cell = $"cohort {want["cohort"]} + {want["periods_since_acquisition"]}";
            Assert.Equal(want["cohort"], Day(got.Cohort));
            Assert.Equal(want["period_start"], Day(got.PeriodStart));
            AssertCount(want["periods_since_acquisition"], got.PeriodsSinceAcquisition, cell);
            AssertCount(want["cohort_size"], got.CohortSize, cell);
            AssertCount(want["active_customers"], got.ActiveCustomers, cell);
            AssertRate(want["retention_share"], got.RetentionShare, cell);
            AssertCount(want["orders"], got.Orders, cell);
            Assert.Equal(decimal.Parse(want["revenue"], CultureInfo.InvariantCulture), got.Revenue);
        }
    }

    [Fact]
    public void SimpleClv_EveryCustomer_EqualsPandas()
    {
        var expected = Golden("online_retail_clv.csv");
        var clv = SimpleClv.Compute(History.Value.Metrics.Customers, 0.10m);

        Assert.Equal(expected.Count, clv.Customers.Length);
        Assert.Equal(2845, clv.RepeatCustomers);
        for (var i = 0; i < expected.Count; i++)
        {
            var want = expected[i];
            var got = clv.Customers[i];
            Assert.Equal(want["customer_id"], got.CustomerId);
            AssertCount(want["frequency"], got.Frequency, got.CustomerId);
            Assert.Equal(decimal.Parse(want["monetary"], CultureInfo.InvariantCulture), got.Monetary);
            AssertRate(want["average_order_value"], (double)got.AverageOrderValue, got.CustomerId);
            AssertRate(want["purchase_frequency"], got.PurchaseFrequency, got.CustomerId);

            // Both sides divide exactly to 28 significant digits; only the last digit may differ in rounding.
            var clvWanted = decimal.Parse(want["clv"], CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(clvWanted - got.Clv) <= Math.Abs(clvWanted) * 1e-26m, $"{got.CustomerId}: clv {got.Clv}, expected {clvWanted}");
            AssertCount(want["clv_score"], got.Quartile, got.CustomerId);
            Assert.Equal(want["clv_segment"], got.ClvSegment);
        }
    }

    private static string Day(DateTime date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void AssertCount(string expected, long? actual, string where) =>
        Assert.True(
            expected.Length == 0 ? actual is null : actual == long.Parse(expected, CultureInfo.InvariantCulture),
            $"{where}: expected '{expected}', got {actual?.ToString(CultureInfo.InvariantCulture) ?? "null"}");

    private static void AssertRate(string expected, double? actual, string where)
    {
        if (expected.Length == 0)
        {
            Assert.True(actual is null, $"{where}: expected no value, got {actual}");
            return;
        }

        var want = double.Parse(expected, CultureInfo.InvariantCulture);
        Assert.True(actual is { } got && Math.Abs(got - want) <= Math.Abs(want) * 1e-12, $"{where}: expected {want:R}, got {actual:R}");
    }

    private static List<Dictionary<string, string>> Golden(string name)
    {
        var lines = File.ReadAllLines(TestData.GoldenPath(name));
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Select(line => header.Zip(line.Split(',')).ToDictionary(pair => pair.First, pair => pair.Second))];
    }
}
