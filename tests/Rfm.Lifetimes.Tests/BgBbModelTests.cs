using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Rfm.Lifetimes.Tests;

/// <summary>
/// The BG/BB model against Fader, Hardie and Shang (2010), "Customer-Base Analysis in a Discrete-Time Noncontractual
/// Setting", Marketing Science 29(6): the repeat donations of the 11,104 first-time supporters of 1995 over the six
/// annual opportunities 1996-2001 (their table 1), and the outputs that lifetimes' tests take from the paper and
/// from Hardie's BG/BB spreadsheet.
/// </summary>
public sealed class BgBbModelTests
{
    // (x, t_x, n = 6, customers): the paper's table 1, also lifetimes' datasets/donations.csv.
    private static readonly DiscreteActivity[] Donations =
    [
        new(6, 6, 6, 1203), new(5, 6, 6, 728), new(4, 6, 6, 512), new(3, 6, 6, 357), new(2, 6, 6, 234), new(1, 6, 6, 129),
        new(5, 5, 6, 335), new(4, 5, 6, 284), new(3, 5, 6, 225), new(2, 5, 6, 173), new(1, 5, 6, 119),
        new(4, 4, 6, 240), new(3, 4, 6, 181), new(2, 4, 6, 155), new(1, 4, 6, 78),
        new(3, 3, 6, 322), new(2, 3, 6, 255), new(1, 3, 6, 129),
        new(2, 2, 6, 613), new(1, 2, 6, 277),
        new(1, 1, 6, 1091),
        new(0, 0, 6, 3464),
    ];

    private static readonly Lazy<BgBbModel> Fitted = new(() => BgBbModel.Fit(Donations));

    [Fact]
    public void Fit_reproduces_the_papers_estimates()
    {
        var model = Fitted.Value;

        Assert.Equal(11_104, model.Estimation!.Customers);
        Assert.Equal(1.204, Math.Round(model.Alpha, 3));
        Assert.Equal(0.750, Math.Round(model.Beta, 3));
        Assert.Equal(0.657, Math.Round(model.Gamma, 3));
        Assert.Equal(2.783, Math.Round(model.Delta, 3));
        Assert.Equal(-33_225.6, Math.Round(model.Estimation.LogLikelihood, 1));
        Assert.All(model.Parameters, p => Assert.NotNull(p.StandardError));
    }

    [Fact]
    public void Probability_alive_reproduces_the_papers_table_6()
    {
        // P(alive in 2002) of the 1995 donor who never gave again, of one who gave twice, last in 1999, and of one who gave every year.
        var model = Fitted.Value;

        Assert.Equal(0.11, Math.Round(model.ProbabilityAlive(new DiscreteActivity(0, 0, 6)), 2));
        Assert.Equal(0.59, Math.Round(model.ProbabilityAlive(new DiscreteActivity(2, 4, 6)), 2));
        Assert.Equal(0.93, Math.Round(model.ProbabilityAlive(new DiscreteActivity(6, 6, 6)), 2));
    }

    [Fact]
    public void Expectations_reproduce_Hardies_spreadsheet()
    {
        var model = Fitted.Value;

        // The donations expected in 2002-2006 summed over the donors (the spreadsheet's conditional expectations, 12,884.2).
        var conditional = Donations.Sum(h => h.Customers * model.ExpectedTransactions(h, 5));
        Assert.Equal(12_884.2, conditional, 0.1);

        // The donors expected to give in 0 and in all 6 of 1996-2001 (its in-sample fit, 3,454.9 and 1,253.1).
        Assert.Equal(3_454.9, 11_104 * model.ProbabilityOfTransactions(0, 6), 0.1);
        Assert.Equal(1_253.1, 11_104 * model.ProbabilityOfTransactions(6, 6), 0.1);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(6, 5)]
    [InlineData(12, 20)]
    public void Over_every_history_the_conditional_quantities_average_to_the_unconditional_ones(int n, int future)
    {
        // Each (x, t_x, n) is C(t_x − 1, x − 1) strings of n opportunities (1 for x = 0), each of likelihood L: the
        // likelihoods sum to 1, and weighted by them P(alive) averages to E[(1 − θ)^(n+1)] and the conditional
        // expectation of the next n* to E[X(n + n*)] − E[X(n)].
        var model = new BgBbModel(1.204, 0.750, 0.657, 2.783);
        double total = 0, alive = 0, expected = 0;
        foreach (var history in AllHistories(n))
        {
            var weight = Strings(history) * Math.Exp(model.LogLikelihood(history));
            (total, alive, expected) = (total + weight, alive + (weight * model.ProbabilityAlive(history)), expected + (weight * model.ExpectedTransactions(history, future)));
        }

        var survival = Enumerable.Range(0, n + 1).Aggregate(1.0, (product, j) => product * (model.Delta + j) / (model.Gamma + model.Delta + j));
        Assert.Equal(1, total, 1e-12);
        Assert.Equal(survival, alive, 1e-12);
        Assert.Equal(model.ExpectedTransactions(n + future) - model.ExpectedTransactions(n), expected, 1e-10);

        // A customer just acquired is a new customer.
        Assert.Equal(model.ExpectedTransactions(future), model.ExpectedTransactions(new DiscreteActivity(0, 0, 0), future), 1e-12);
        Assert.Equal(model.Delta / (model.Gamma + model.Delta), model.ProbabilityAlive(new DiscreteActivity(0, 0, 0)), 1e-12);
    }

    private static IEnumerable<DiscreteActivity> AllHistories(int n)
    {
        yield return new DiscreteActivity(0, 0, n);
        for (var tx = 1; tx <= n; tx++)
        {
            for (var x = 1; x <= tx; x++)
            {
                yield return new DiscreteActivity(x, tx, n);
            }
        }
    }

    // C(t_x − 1, x − 1): the strings with x transactions, the last at t_x.
    private static double Strings(DiscreteActivity h) =>
        h.Transactions == 0 ? 1 : Enumerable.Range(1, h.Transactions - 1).Aggregate(1.0, (c, i) => c * (h.LastTransaction - i) / i);

    [Property(MaxTest = 300, Arbitrary = [typeof(BgBbGenerators)])]
    public void Probabilities_of_x_transactions_sum_to_one_with_the_expected_mean(BgBbModel model, byte opportunities)
    {
        var n = opportunities % 40;
        double total = 0, mean = 0;
        for (var x = 0; x <= n; x++)
        {
            var p = model.ProbabilityOfTransactions(x, n);
            Assert.InRange(p, 0, 1);
            (total, mean) = (total + p, mean + (x * p));
        }

        Assert.Equal(1, total, 1e-10);
        Assert.Equal(model.ExpectedTransactions(n), mean, 1e-9 * Math.Max(1, mean));
        Assert.Equal(0, model.ProbabilityOfTransactions(n + 1, n));
    }

    [Property(MaxTest = 1000, Arbitrary = [typeof(BgBbGenerators)])]
    public void Palive_is_a_probability_and_expectations_grow_with_the_opportunities(BgBbModel model, DiscreteActivity history, byte future)
    {
        Assert.InRange(model.ProbabilityAlive(history), 0, 1);
        Assert.True(double.IsFinite(model.LogLikelihood(history)) && model.LogLikelihood(history) <= 0);
        var (shorter, longer) = (model.ExpectedTransactions(history, future), model.ExpectedTransactions(history, future + 1));
        Assert.True(shorter >= 0 && longer > shorter, $"E[{future}] = {shorter}, E[{future + 1}] = {longer}");
    }

    [Fact]
    public void The_expectations_are_continuous_through_gamma_one()
    {
        // The closed form in the paper divides by γ − 1; the sum over the opportunities does not.
        var history = new DiscreteActivity(2, 4, 6);
        var (below, at, above) = (new BgBbModel(1.2, 0.75, 1 - 1e-7, 2.8), new BgBbModel(1.2, 0.75, 1, 2.8), new BgBbModel(1.2, 0.75, 1 + 1e-7, 2.8));
        Assert.InRange(at.ExpectedTransactions(history, 5), below.ExpectedTransactions(history, 5) - 1e-6, above.ExpectedTransactions(history, 5) + 1e-6);
        Assert.InRange(at.ExpectedTransactions(5), above.ExpectedTransactions(5) - 1e-6, below.ExpectedTransactions(5) + 1e-6);
    }

    [Fact]
    public void Histories_are_checked_naming_the_value()
    {
        Assert.Contains("not 7", Assert.Throws<ArgumentException>("transactions", () => new DiscreteActivity(7, 6, 6)).Message);
        Assert.Contains("not 3", Assert.Throws<ArgumentException>("lastTransaction", () => new DiscreteActivity(0, 3, 6)).Message);
        Assert.Contains("not 2", Assert.Throws<ArgumentException>("lastTransaction", () => new DiscreteActivity(3, 2, 6)).Message);
        Assert.Contains("not -1", Assert.Throws<ArgumentException>("opportunities", () => new DiscreteActivity(0, 0, -1)).Message);
        Assert.Contains("not 0", Assert.Throws<ArgumentException>("customers", () => new DiscreteActivity(0, 0, 6, 0)).Message);

        var history = DiscreteActivity.FromOpportunities(6, [2, 4, 2]);
        Assert.Equal((2, 4, 6, 1), (history.Transactions, history.LastTransaction, history.Opportunities, history.Customers));
        Assert.Equal((0, 0), (DiscreteActivity.FromOpportunities(6, []).Transactions, DiscreteActivity.FromOpportunities(6, []).LastTransaction));
        Assert.Contains("Opportunity 7", Assert.Throws<ArgumentException>("transacted", () => DiscreteActivity.FromOpportunities(6, [7])).Message);
        Assert.Contains("Opportunity 0", Assert.Throws<ArgumentException>("transacted", () => DiscreteActivity.FromOpportunities(6, [0])).Message);
    }

    [Fact]
    public void Fit_refuses_data_without_customers_or_transactions_and_reports_what_does_not_converge()
    {
        Assert.Contains("there are none", Assert.Throws<ArgumentException>("histories", () => BgBbModel.Fit([])).Message);
        Assert.Contains("none of the 10 has one", Assert.Throws<ArgumentException>("histories", () => BgBbModel.Fit([new DiscreteActivity(0, 0, 6, 10)])).Message);
        Assert.Throws<ArgumentNullException>("histories", () => BgBbModel.Fit(null!));

        var error = Assert.Throws<ModelFitException>(() => BgBbModel.Fit(Donations, new FitOptions { MaxIterations = 3 }));
        Assert.Equal("BG/BB", error.Model);

        // Every customer giving at every opportunity: the likelihood rises toward p = 1 and θ = 0, where no estimate is.
        var everyTime = Assert.Throws<ArgumentException>("histories", () => BgBbModel.Fit([new DiscreteActivity(6, 6, 6, 100), new DiscreteActivity(3, 3, 3, 50)]));
        Assert.Contains("every one of the 150 transacted at every opportunity", everyTime.Message);

        // No heterogeneity to speak of: a parameter runs off, and the fit says so rather than returning it.
        var runaway = Assert.Throws<ModelFitException>(() => BgBbModel.Fit(
            [new DiscreteActivity(3, 6, 6, 100), new DiscreteActivity(2, 5, 6, 100), new DiscreteActivity(4, 6, 6, 100), new DiscreteActivity(0, 0, 6, 30)]));
        Assert.Contains("ran to", runaway.Message);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        var model = new BgBbModel(1, 1, 1, 1);
        Assert.Throws<ArgumentOutOfRangeException>("gamma", () => new BgBbModel(1, 1, 0, 1));
        Assert.Throws<ArgumentNullException>("history", () => model.ProbabilityAlive(null!));
        Assert.Throws<ArgumentOutOfRangeException>("opportunities", () => model.ExpectedTransactions(new DiscreteActivity(0, 0, 1), -1));
        Assert.Throws<ArgumentOutOfRangeException>("opportunities", () => model.ExpectedTransactions(-1));
        Assert.Throws<ArgumentOutOfRangeException>("transactions", () => model.ProbabilityOfTransactions(-1, 3));
    }
}

/// <summary>BG/BB parameters and histories in the ranges seen in practice: shapes 0.1..10, up to 30 opportunities.</summary>
public static class BgBbGenerators
{
    private static Gen<double> Between(double low, double high) =>
        Gen.Choose(0, 1_000_000).Select(i => low * Math.Pow(high / low, i / 1_000_000.0));

    public static Arbitrary<BgBbModel> BgBb() =>
        (from alpha in Between(0.1, 10) from beta in Between(0.1, 10) from gamma in Between(0.1, 10) from delta in Between(0.1, 10)
         select new BgBbModel(alpha, beta, gamma, delta)).ToArbitrary();

    public static Arbitrary<DiscreteActivity> Histories() =>
        (from n in Gen.Choose(0, 30)
         from x in Gen.Choose(0, n)
         from last in Gen.Choose(x, n)
         select new DiscreteActivity(x, x == 0 ? 0 : Math.Max(last, 1), n)).ToArbitrary();
}
