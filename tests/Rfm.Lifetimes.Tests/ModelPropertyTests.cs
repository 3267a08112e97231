using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Rfm.Lifetimes.Tests;

/// <summary>
/// Identities every parameter set must satisfy: the probabilities of n purchases sum to 1 with the mean the
/// expectation gives, a customer just acquired is a new customer, P(alive) is a probability, expectations grow with
/// time, expected spend lies between the population's and the customer's own, and discounting only lowers CLV.
/// </summary>
[Properties(Arbitrary = [typeof(ModelGenerators)])]
public sealed class ModelPropertyTests
{
    // Up to 20 units, where 3,000 purchases hold all but a negligible tail even for a customer who never leaves.
    [Property(MaxTest = 300)]
    public void BgNbd_probabilities_of_n_purchases_sum_to_one_with_the_expected_mean(BgNbdModel model, Horizon horizon) =>
        AssertADistributionWithTheExpectedMean(model, Math.Min(horizon.Value, 20), 3000);

    [Property(MaxTest = 300)]
    public void MbgNbd_probabilities_of_n_purchases_sum_to_one_with_the_expected_mean(MbgNbdModel model, Horizon horizon) =>
        AssertADistributionWithTheExpectedMean(model, Math.Min(horizon.Value, 20), 3000);

    // Slower per term (a hypergeometric series for each j ≤ n), so fewer cases, and up to 20 units, where 400 purchases
    // hold all but a negligible tail even for a customer who never leaves (at most 3·20/5 = 12 expected).
    [Property(MaxTest = 100)]
    public void ParetoNbd_probabilities_of_n_purchases_sum_to_one_with_the_expected_mean(ParetoNbdModel model, Horizon horizon) =>
        AssertADistributionWithTheExpectedMean(model, Math.Min(horizon.Value, 20), 400);

    [Property(MaxTest = 1000)]
    public void A_customer_just_acquired_expects_what_a_new_customer_does(BgNbdModel bg, ParetoNbdModel pareto, Horizon horizon)
    {
        var justAcquired = new CustomerActivity("new", 0, 0, 0);
        foreach (IPurchaseModel model in new IPurchaseModel[] { bg, pareto })
        {
            var (conditional, unconditional) = (model.ExpectedPurchases(justAcquired, horizon.Value), model.ExpectedPurchases(horizon.Value));
            Assert.Equal(unconditional, conditional, 1e-9 * Math.Max(1, unconditional));
            Assert.Equal(1, model.ProbabilityAlive(justAcquired), 1e-12);
        }
    }

    [Property(MaxTest = 1000)]
    public void An_MbgNbd_customer_just_acquired_expects_what_a_new_customer_does_and_may_have_left(MbgNbdModel model, Horizon horizon)
    {
        // MBG/NBD's customers may leave at the first purchase: one just acquired is alive with probability E[1 − p] = b/(a+b).
        var justAcquired = new CustomerActivity("new", 0, 0, 0);
        var (conditional, unconditional) = (model.ExpectedPurchases(justAcquired, horizon.Value), model.ExpectedPurchases(horizon.Value));
        Assert.Equal(unconditional, conditional, 1e-9 * Math.Max(1, unconditional));
        Assert.Equal(model.B / (model.A + model.B), model.ProbabilityAlive(justAcquired), 1e-12);
    }

    [Property(MaxTest = 1000)]
    public void MbgNbd_is_BgNbd_with_one_more_chance_to_leave(MbgNbdModel mbg, CustomerActivity customer, Horizon horizon)
    {
        // Alive after x + 1 opportunities under MBG/NBD is alive after x under BG/NBD with b one larger, and
        // a customer who stays a while without buying is less likely alive than BG/NBD's always-alive x = 0.
        var bg = new BgNbdModel(mbg.R, mbg.Alpha, mbg.A, mbg.B + 1);
        if (customer.RepeatPurchases > 0)
        {
            Assert.Equal(bg.ProbabilityAlive(customer), mbg.ProbabilityAlive(customer), 1e-12);
        }

        Assert.Equal(bg.ExpectedPurchasesIfAlive(customer, horizon.Value), mbg.ExpectedPurchasesIfAlive(customer, horizon.Value), 1e-12 * Math.Max(1, mbg.ExpectedPurchasesIfAlive(customer, horizon.Value)));
        Assert.True(mbg.ProbabilityAlive(customer) < 1);
    }

    [Property(MaxTest = 1000)]
    public void Palive_is_a_probability_and_expectations_grow_with_time(BgNbdModel bg, MbgNbdModel mbg, FarApart pareto, CustomerActivity customer, Horizon horizon)
    {
        foreach (IPurchaseModel model in new IPurchaseModel[] { bg, mbg, pareto.Model })
        {
            Assert.InRange(model.ProbabilityAlive(customer), 0, 1);
            Assert.True(double.IsFinite(model.LogLikelihood(customer)));
            var (shorter, longer) = (model.ExpectedPurchases(customer, horizon.Value), model.ExpectedPurchases(customer, horizon.Value * 2));
            Assert.True(shorter >= 0 && longer >= shorter * (1 - 1e-12), $"{model.Name}: E[{horizon.Value}] = {shorter}, E[{horizon.Value * 2}] = {longer}");
        }
    }

    [Property(MaxTest = 1000)]
    public void Expected_spend_lies_between_the_population_mean_and_the_customers_own(GammaGammaModel model, CustomerActivity customer)
    {
        if (model.PopulationMeanSpend is not { } population || customer.MeanRepeatSpend is not { } own)
        {
            return;
        }

        var expected = model.ExpectedAverageSpend(customer);
        var (low, high) = (Math.Min(population, (double)own), Math.Max(population, (double)own));
        Assert.InRange(expected, low * (1 - 1e-12), high * (1 + 1e-12));
    }

    [Property(MaxTest = 200)]
    public void Without_discounting_CLV_is_spend_times_purchases_and_discounting_lowers_it(BgNbdModel bg, MbgNbdModel mbg, CustomerActivity customer)
    {
        foreach (IPurchaseModel model in new IPurchaseModel[] { bg, mbg })
        {
            AssertDiscountingLowersClv(model, customer);
        }
    }

    private static void AssertDiscountingLowersClv(IPurchaseModel model, CustomerActivity customer)
    {
        var spend = new GammaGammaModel(6.25, 3.74, 15.44);
        var plain = new ClvCalculator(model, spend, 26, TimeUnit.Week, 0).Calculate(customer);
        var discounted = new ClvCalculator(model, spend, 26, TimeUnit.Week, 0.2).Calculate(customer);

        Assert.Equal(plain.ExpectedAverageSpend * model.ExpectedPurchases(customer, 26), plain.LifetimeValue, 1e-9 * Math.Max(1, plain.LifetimeValue));
        Assert.True(discounted.LifetimeValue <= plain.LifetimeValue);
        Assert.Equal(plain.ExpectedPurchases, discounted.ExpectedPurchases);
    }

    private static void AssertADistributionWithTheExpectedMean(IPurchaseModel model, double t, int upTo)
    {
        double total = 0, mean = 0;
        for (var n = 0; n <= upTo; n++)
        {
            var p = model.ProbabilityOfPurchases(n, t);
            Assert.InRange(p, 0, 1);
            (total, mean) = (total + p, mean + (n * p));
        }

        Assert.Equal(1, total, 1e-8);
        Assert.Equal(model.ExpectedPurchases(t), mean, 1e-6 * Math.Max(1, mean));
    }
}

/// <summary>A positive length of time.</summary>
public sealed record Horizon(double Value);

/// <summary>A Pareto/NBD model whose scales may lie up to 10,000 times apart, where the series give way to integrals.</summary>
public sealed record FarApart(ParetoNbdModel Model);

/// <summary>Parameters and histories in the ranges seen in practice (weeks): shapes 0.1..5, scales 0.5..50, up to 40 repeat purchases.</summary>
public static class ModelGenerators
{
    private static Gen<double> Between(double low, double high) =>
        Gen.Choose(0, 1_000_000).Select(i => low * Math.Pow(high / low, i / 1_000_000.0));

    public static Arbitrary<BgNbdModel> BgNbd() =>
        (from r in Between(0.1, 5) from alpha in Between(0.5, 50) from a in Between(0.1, 5) from b in Between(0.1, 5) select new BgNbdModel(r, alpha, a, b)).ToArbitrary();

    public static Arbitrary<MbgNbdModel> MbgNbd() =>
        (from r in Between(0.1, 5) from alpha in Between(0.5, 50) from a in Between(0.1, 5) from b in Between(0.1, 5) select new MbgNbdModel(r, alpha, a, b)).ToArbitrary();

    // Rates low enough that 400 purchases hold all but a negligible tail of the distribution.
    public static Arbitrary<ParetoNbdModel> ParetoNbd() =>
        (from r in Between(0.1, 3) from alpha in Between(5, 50) from s in Between(0.1, 5) from beta in Between(0.5, 50) select new ParetoNbdModel(r, alpha, s, beta)).ToArbitrary();

    public static Arbitrary<FarApart> FarApart() =>
        (from r in Between(0.1, 3) from alpha in Between(0.01, 100) from s in Between(0.1, 5) from beta in Between(0.01, 100)
         select new FarApart(new ParetoNbdModel(r, alpha, s, beta))).ToArbitrary();

    public static Arbitrary<GammaGammaModel> GammaGamma() =>
        (from p in Between(0.5, 10) from q in Between(0.5, 10) from gamma in Between(1, 100) select new GammaGammaModel(p, q, gamma)).ToArbitrary();

    public static Arbitrary<Horizon> Horizons() => Between(0.5, 52).Select(t => new Horizon(t)).ToArbitrary();

    public static Arbitrary<CustomerActivity> Customers() =>
        (from x in Gen.Choose(0, 40)
         from ageDays in Gen.Choose(0, 730)
         from lastDay in Gen.Choose(0, 730)
         from cents in Gen.Choose(1, 50_000)
         let tx = x == 0 ? 0 : Math.Min(lastDay, ageDays) / 7.0
         select new CustomerActivity("c", x, tx, ageDays / 7.0, x == 0 ? null : cents / 100m)).ToArbitrary();
}
