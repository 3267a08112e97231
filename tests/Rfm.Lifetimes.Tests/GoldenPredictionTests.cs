namespace Rfm.Lifetimes.Tests;

/// <summary>
/// The summary and every prediction against tests/golden/cdnow_*.csv, made independently with pandas and scipy
/// (tests/golden/cdnow_lifetimes.py) at the published parameters.
/// </summary>
public sealed class GoldenPredictionTests
{
    [Fact]
    public void The_summary_matches_pandas_for_every_customer()
    {
        var summary = Cdnow.Sample;
        var golden = Cdnow.Golden("cdnow_summary.csv");
        Assert.Equal(["customer_id", "x", "t_x", "T", "m_x", "holdout_x", "holdout_spend"], golden[0]);
        var customers = summary.Customers.ToDictionary(c => c.CustomerId);

        Assert.Equal(golden.Count - 1, customers.Count);
        Assert.Equal(0, summary.CustomersFirstSeenInHoldout);
        Assert.Equal(0, summary.OrdersAfterEnd);
        foreach (var row in golden.Skip(1))
        {
            var customer = customers[row[0]];
            Assert.Equal(int.Parse(row[1]), customer.RepeatPurchases);
            Assert.Equal(Cdnow.Number(row[2]), customer.TimeOfLastPurchase, 1e-12);
            Assert.Equal(Cdnow.Number(row[3]), customer.Age, 1e-12);
            Assert.Equal(row[4].Length == 0 ? null : decimal.Parse(row[4]), customer.MeanRepeatSpend is { } m ? Math.Round(m, 12) : (decimal?)null);
            Assert.Equal(int.Parse(row[5]), customer.HoldoutPurchases);
            Assert.Equal(decimal.Parse(row[6]), customer.HoldoutSpend);
        }
    }

    [Fact]
    public void Every_customer_prediction_matches_scipy()
    {
        var golden = Cdnow.Golden("cdnow_predictions.csv");
        Assert.Equal(
            ["customer_id", "bgnbd_p_alive", "bgnbd_expected_39", "bgnbd_expected_52", "pnbd_p_alive", "pnbd_expected_39", "pnbd_expected_52", "gg_expected_spend", "bgnbd_clv_52", "pnbd_clv_52"],
            golden[0]);
        var customers = Cdnow.Sample.Customers.ToDictionary(c => c.CustomerId);
        var (bg, pareto, spend) = (Cdnow.PublishedBgNbd, Cdnow.PublishedParetoNbd, Cdnow.PublishedGammaGamma);
        var bgValue = new ClvCalculator(bg, spend, 52, TimeUnit.Week, 0.10);
        var paretoValue = new ClvCalculator(pareto, spend, 52, TimeUnit.Week, 0.10);

        foreach (var row in golden.Skip(1))
        {
            var customer = customers[row[0]];
            AssertClose(row[1], bg.ProbabilityAlive(customer), customer);
            AssertClose(row[2], bg.ExpectedPurchases(customer, 39), customer);
            AssertClose(row[3], bg.ExpectedPurchases(customer, 52), customer);
            AssertClose(row[4], pareto.ProbabilityAlive(customer), customer);
            AssertClose(row[5], pareto.ExpectedPurchases(customer, 39), customer);
            AssertClose(row[6], pareto.ExpectedPurchases(customer, 52), customer);
            AssertClose(row[7], spend.ExpectedAverageSpend(customer), customer);
            AssertClose(row[8], bgValue.Calculate(customer).LifetimeValue, customer);
            AssertClose(row[9], paretoValue.Calculate(customer).LifetimeValue, customer);
        }
    }

    [Fact]
    public void Predicting_many_at_once_gives_each_ones_prediction()
    {
        var calculator = new ClvCalculator(Cdnow.PublishedParetoNbd, Cdnow.PublishedGammaGamma, 13, TimeUnit.Week, 0.1);

        var many = calculator.Calculate(Cdnow.Sample.Customers);

        Assert.Equal(Cdnow.Sample.Customers.Select(calculator.Calculate), many);
    }

    [Fact]
    public void The_papers_example_customer_expects_1_226_purchases_in_39_weeks()
    {
        // FHL 2005: a customer with x = 2, t_x = 30.43, T = 38.86 weeks.
        var customer = new CustomerActivity("example", 2, 30.43, 38.86, 20m);

        Assert.Equal(1.226, Math.Round(Cdnow.PublishedBgNbd.ExpectedPurchases(customer, 39), 3));
    }

    [Fact]
    public void Population_probabilities_and_expectations_match_scipy()
    {
        var golden = Cdnow.Golden("cdnow_population.csv");
        Assert.Equal(["model", "t", "n", "probability"], golden[0]);
        foreach (var row in golden.Skip(1))
        {
            IPurchaseModel model = row[0] == "bgnbd" ? Cdnow.PublishedBgNbd : Cdnow.PublishedParetoNbd;
            var (t, n, expected) = (Cdnow.Number(row[1]), int.Parse(row[2]), Cdnow.Number(row[3]));
            var actual = n < 0 ? model.ExpectedPurchases(t) : model.ProbabilityOfPurchases(n, t);
            Assert.True(Math.Abs(actual - expected) <= 1e-10 + (1e-9 * Math.Abs(expected)), $"{row[0]} t={t} n={n}: {actual} vs {expected}");
        }
    }

    private static void AssertClose(string expectedText, double actual, CustomerActivity customer)
    {
        var expected = Cdnow.Number(expectedText);
        Assert.True(Math.Abs(actual - expected) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"customer {customer.CustomerId}: {actual} vs {expected}");
    }
}
