using Rfm.Analytics;

namespace Rfm.Tests.Analytics;

/// <summary><see cref="SimpleClv.Compute"/> on a hand-computed example, and its errors.</summary>
public sealed class SimpleClvTests
{
    // Four customers, margin 0.10:
    //
    //   customer  frequency  monetary  AOV = M/F  PF = F/N  CLV = AOV x PF / churn x margin  quartile
    //   p         1            100.00    100       1/4       100 x 0.25 / 0.5 x 0.10 =  5.00  2 (C)
    //   q         2            300.00    150       2/4       150 x 0.50 / 0.5 x 0.10 = 15.00  3 (B)
    //   r         1             50.00     50       1/4        50 x 0.25 / 0.5 x 0.10 =  2.50  1 (D)
    //   s         4           1000.00    250       4/4       250 x 1.00 / 0.5 x 0.10 = 50.00  4 (A)
    //
    // Repeat customers q and s: repeat rate 2/4, churn rate 1 - 2/4 = 1/2; each CLV is M x margin / 2 (the two
    // one-time customers). The values add up to the average customer's: (1450 / 4) / 0.5 x 0.10 x 4 = 72.50.
    // Quartile edges of 2.5, 5, 15, 50 (linear, as numpy): 2.5, 4.375, 10, 23.75, 50.
    private static readonly CustomerMetrics[] Customers =
    [
        Customer("p", 1, 100.00m),
        Customer("q", 2, 300.00m),
        Customer("r", 1, 50.00m),
        Customer("s", 4, 1000.00m),
    ];

    [Fact]
    public void Compute_WorkedExample_Rates()
    {
        var clv = SimpleClv.Compute(Customers, 0.10m);

        Assert.Equal(0.10m, clv.Margin);
        Assert.Equal(2, clv.RepeatCustomers);
        Assert.Equal(0.5, clv.RepeatRate);
        Assert.Equal(0.5, clv.ChurnRate);
    }

    [Fact]
    public void Compute_WorkedExample_EveryCustomerInTheOrderGiven()
    {
        var customers = SimpleClv.Compute(Customers, 0.10m).Customers;

        Assert.Equal(["p", "q", "r", "s"], customers.Select(c => c.CustomerId));
        Assert.Equal([1, 2, 1, 4], customers.Select(c => c.Frequency));
        Assert.Equal([100.00m, 300.00m, 50.00m, 1000.00m], customers.Select(c => c.Monetary));
        Assert.Equal([100m, 150m, 50m, 250m], customers.Select(c => c.AverageOrderValue));
        Assert.Equal([0.25, 0.5, 0.25, 1], customers.Select(c => c.PurchaseFrequency));
        Assert.Equal([5.00m, 15.00m, 2.50m, 50.00m], customers.Select(c => c.Clv));
        Assert.Equal([2, 3, 1, 4], customers.Select(c => c.Quartile));
        Assert.Equal(["C", "B", "D", "A"], customers.Select(c => c.ClvSegment));
        Assert.Equal(72.50m, customers.Sum(c => c.Clv));
    }

    [Fact]
    public void Compute_WorkedExample_MatchesTheTextbookProduct()
    {
        var clv = SimpleClv.Compute(Customers, 0.10m);

        // AOV x PF / churn x margin, term by term, agrees with the exact M x margin / one-time customers.
        foreach (var c in clv.Customers)
        {
            var textbook = (double)c.AverageOrderValue * c.PurchaseFrequency / clv.ChurnRate * 0.10;
            Assert.Equal(textbook, (double)c.Clv, 12);
        }
    }

    [Fact]
    public void Compute_WorkedExample_QuartileEdges()
    {
        Assert.Equal([2.5, 4.375, 10, 23.75, 50], SimpleClv.Compute(Customers, 0.10m).QuartileEdges.ToArray());
    }

    [Fact]
    public void Compute_ThreeOneTimeCustomers_DividesExactlyToTwentyEightDigits()
    {
        // One-time customers a, b, c and repeat customer d: CLV = M x 0.25 / 3.
        CustomerMetrics[] customers = [Customer("a", 1, 10m), Customer("b", 1, 1m), Customer("c", 1, 7m), Customer("d", 3, 100m)];

        var clv = SimpleClv.Compute(customers, 0.25m);

        Assert.Equal([10m * 0.25m / 3, 1m * 0.25m / 3, 7m * 0.25m / 3, 100m * 0.25m / 3], clv.Customers.Select(c => c.Clv));
        Assert.Equal(0.8333333333333333333333333333m, clv.Customers[0].Clv);
        Assert.Equal(0.75, clv.ChurnRate);
        Assert.Equal(0.25, clv.RepeatRate);
        Assert.Equal(100m / 3, clv.Customers[3].AverageOrderValue);
    }

    [Fact]
    public void Compute_MarginOfOne_IsAllowed()
    {
        var clv = SimpleClv.Compute(Customers, 1m);

        Assert.Equal([50m, 150m, 25m, 500m], clv.Customers.Select(c => c.Clv));
    }

    [Fact]
    public void Compute_FromASnapshot_ValuesEveryCustomer()
    {
        var accumulator = new RfmAccumulator(new DateTime(2024, 6, 1));
        accumulator.AddRange<Transaction>(
        [
            new("x", "1", new DateTime(2024, 1, 1), 10.00m),
            new("x", "2", new DateTime(2024, 2, 1), 30.00m),
            new("y", "3", new DateTime(2024, 3, 1), 20.00m),
        ]);

        var clv = SimpleClv.Compute(accumulator.Snapshot().Customers, 0.5m);

        // One one-time customer (y): CLV = M x 0.5 / 1.
        Assert.Equal([20.00m, 10.00m], clv.Customers.Select(c => c.Clv));
        Assert.Equal([20.00m, 20.00m], clv.Customers.Select(c => c.AverageOrderValue));
        Assert.Equal(["A", "D"], clv.Customers.Select(c => c.ClvSegment));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.1")]
    [InlineData("1.01")]
    [InlineData("100")]
    public void Compute_MarginOutOfRange_Throws(string margin)
    {
        var value = decimal.Parse(margin, System.Globalization.CultureInfo.InvariantCulture);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SimpleClv.Compute(Customers, value));

        Assert.Equal("margin", ex.ParamName);
    }

    [Fact]
    public void Compute_ArgValidation()
    {
        Assert.Equal("customers", Assert.Throws<ArgumentNullException>(() => SimpleClv.Compute(null!, 0.1m)).ParamName);
        Assert.Equal("customers", Assert.Throws<ArgumentException>(() => SimpleClv.Compute([], 0.1m)).ParamName);
    }

    [Fact]
    public void Compute_EveryCustomerRepeats_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => SimpleClv.Compute([Customer("a", 2, 1m), Customer("b", 5, 1m)], 0.1m));

        Assert.Equal("customers", ex.ParamName);
        Assert.Contains("churn rate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_CustomerWithoutOrder_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => SimpleClv.Compute([Customer("a", 1, 1m), Customer("b", 0, 1m)], 0.1m));

        Assert.Equal("customers", ex.ParamName);
        Assert.Contains("'b'", ex.Message, StringComparison.Ordinal);
    }

    private static CustomerMetrics Customer(string id, int frequency, decimal monetary) =>
        new(id, Recency: 10, frequency, monetary, new DateTime(2024, 1, 1), new DateTime(2024, 5, 1), Lines: frequency, Tenure: 150);
}
