using Rfm.Lifetimes.Numerics;

namespace Rfm.Lifetimes.Tests;

/// <summary>
/// CLV over long horizons: the built-in models' discounted purchases under one integral, at a cost that does not grow
/// with the horizon, against the same sum taken unit by unit.
/// </summary>
public sealed class LongHorizonTests
{
    public static TheoryData<string, int, double> Horizons => new()
    {
        { "BG/NBD", 105, 0.1 },
        { "BG/NBD", 520, 0.1 },
        { "BG/NBD", 2_000, 0.03 },
        { "MBG/NBD", 105, 0.1 },
        { "MBG/NBD", 2_000, 0.03 },
        { "Pareto/NBD", 105, 0.1 },
        { "Pareto/NBD", 520, 0.1 },
        { "Pareto/NBD", 2_000, 0.03 },
    };

    [Theory]
    [MemberData(nameof(Horizons))]
    public void Discounted_value_over_a_long_horizon_is_the_unit_by_unit_sum(string model, int horizon, double rate)
    {
        IPurchaseModel purchases = model switch
        {
            "BG/NBD" => Cdnow.PublishedBgNbd,
            "MBG/NBD" => Cdnow.PublishedMbgNbd,
            _ => Cdnow.PublishedParetoNbd,
        };
        var customers = Cdnow.Sample.Customers.Where((_, i) => i % 25 == 0).ToList();

        var integrated = new ClvCalculator(purchases, Cdnow.PublishedGammaGamma, horizon, TimeUnit.Week, rate).Calculate(customers);
        var summed = new ClvCalculator(new SummedUnitByUnit(purchases), Cdnow.PublishedGammaGamma, horizon, TimeUnit.Week, rate).Calculate(customers);

        // The integral itself gave every value: a fallback to the sum would make this comparison prove nothing.
        var logDiscount = -TimeUnit.Week.Days() / TimeUnits.DaysPerYear * Math.Log(1 + rate);
        Assert.All(customers, customer => Assert.True(double.IsFinite(purchases switch
        {
            BgNbdModel bg => bg.DiscountedPurchasesIfAlive(customer, horizon, logDiscount),
            MbgNbdModel mbg => mbg.DiscountedPurchasesIfAlive(customer, horizon, logDiscount),
            ParetoNbdModel pareto => pareto.DiscountedPurchasesIfAlive(customer, horizon, logDiscount),
            _ => double.NaN,
        })));

        foreach (var (fast, slow) in integrated.Zip(summed))
        {
            Assert.Equal(slow.ExpectedPurchases, fast.ExpectedPurchases);
            Assert.True(Math.Abs(fast.LifetimeValue - slow.LifetimeValue) <= 1e-10 * Math.Max(1, slow.LifetimeValue), $"customer {fast.Customer.CustomerId}: {fast.LifetimeValue} vs {slow.LifetimeValue}");
        }
    }

    [Theory]
    [InlineData(TimeUnit.Day)]
    [InlineData(TimeUnit.Week)]
    public void A_horizon_of_100000_units_completes_and_adds_less_and_less(TimeUnit unit)
    {
        foreach (IPurchaseModel purchases in new IPurchaseModel[] { Cdnow.PublishedBgNbd, Cdnow.PublishedParetoNbd })
        {
            var shorter = new ClvCalculator(purchases, Cdnow.PublishedGammaGamma, 50_000, unit).Calculate(Cdnow.Sample.Customers);
            var longer = new ClvCalculator(purchases, Cdnow.PublishedGammaGamma, 100_000, unit).Calculate(Cdnow.Sample.Customers);
            var undiscounted = new ClvCalculator(purchases, Cdnow.PublishedGammaGamma, 100_000, unit, 0).Calculate(Cdnow.Sample.Customers);

            for (var i = 0; i < longer.Length; i++)
            {
                Assert.True(double.IsFinite(longer[i].LifetimeValue));
                Assert.InRange(longer[i].LifetimeValue, shorter[i].LifetimeValue * (1 - 1e-12), undiscounted[i].LifetimeValue);
            }
        }
    }

    [Theory]
    [InlineData(0.05, 1.0)]
    [InlineData(0.79, 2.43)]
    [InlineData(3.5, 60.0)]
    public void Double_exponential_rules_give_the_Gamma_and_Beta_means(double a, double b)
    {
        var gamma = DoubleExponential.Converge(h => DoubleExponential.Gamma(a, h).Mean(v => v));
        var beta = DoubleExponential.Converge(h => DoubleExponential.Beta(a, b, h).Mean(p => p));
        var total = DoubleExponential.Converge(h => DoubleExponential.Beta(a, b, h).Mean(_ => 1));

        Assert.Equal(a, gamma, 1e-12 * a);
        Assert.Equal(a / (a + b), beta, 1e-12 * a / (a + b));
        Assert.Equal(1, total, 1e-12);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(500)]
    [InlineData(5_000)]
    public void BgNbd_expected_purchases_by_the_integral_are_those_of_the_series(double time)
    {
        var model = Cdnow.PublishedBgNbd;
        foreach (var customer in Cdnow.Sample.Customers.Where((_, i) => i % 100 == 0))
        {
            var x = customer.RepeatPurchases;
            var series = model.ExpectedPurchasesIfAlive(customer, time);

            var integral = BgNbdModel.ExpectedPurchasesByIntegral(model.A, model.R + x, model.B + x, model.Alpha + customer.Age, time);

            Assert.Equal(series, integral, 1e-10 * series);
        }
    }

    [Fact]
    public void Double_exponential_rules_refuse_a_mass_beyond_their_reach()
    {
        Assert.True(double.IsNaN(DoubleExponential.Converge(h => DoubleExponential.Gamma(1e-7, h).Mean(v => v))));
    }

    /// <summary>A built-in model as any other model: the calculator then sums its units one by one.</summary>
    private sealed class SummedUnitByUnit(IPurchaseModel model) : IPurchaseModel
    {
        public string Name => model.Name;

        public System.Collections.Immutable.ImmutableArray<ModelParameter> Parameters => model.Parameters;

        public ModelEstimation? Estimation => model.Estimation;

        public double LogLikelihood(CustomerActivity customer) => model.LogLikelihood(customer);

        public double ProbabilityAlive(CustomerActivity customer) => model.ProbabilityAlive(customer);

        public double ExpectedPurchases(CustomerActivity customer, double time) => model.ExpectedPurchases(customer, time);

        public double ExpectedPurchasesIfAlive(CustomerActivity customer, double time) => model.ExpectedPurchasesIfAlive(customer, time);

        public double ExpectedPurchases(double time) => model.ExpectedPurchases(time);

        public double ProbabilityOfPurchases(int purchases, double time) => model.ProbabilityOfPurchases(purchases, time);
    }
}
