namespace Rfm.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Calculate_OneCustomer_HasMetrics()
    {
        var asOf = new DateTime(2024, 1, 10);
        var result = RfmCalculator.Default.Calculate(
            [new Transaction("a", "1", new DateTime(2024, 1, 1), 10m), new Transaction("a", "2", new DateTime(2024, 1, 5, 12, 0, 0), 5.5m)],
            asOf);
        var customer = Assert.Single(result.Customers);
        Assert.Equal(4, customer.Metrics.Recency);
        Assert.Equal(2, customer.Metrics.Frequency);
        Assert.Equal(15.5m, customer.Metrics.Monetary);
    }
}
