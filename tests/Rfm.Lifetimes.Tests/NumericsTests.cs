using FsCheck.Xunit;
using Rfm.Lifetimes.Numerics;

namespace Rfm.Lifetimes.Tests;

/// <summary>
/// The numerical parts against closed forms and against each other, and the models at their edges: removable
/// singularities, equal scales, the last purchase at the end of calibration, thousands of purchases, scales thousands
/// of times apart, and data that do not identify the parameters.
/// </summary>
public sealed class NumericsTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.999)]
    public void Hypergeometric_matches_closed_forms(double z)
    {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z and ₂F₁(a, b; b; z) = (1 − z)^−a.
        Assert.Equal(-Math.Log(1 - z) / z, Math.Exp(Hypergeometric.Log(1, 1, 2, z)), 1e-12 * (-Math.Log(1 - z) / z));
        Assert.Equal(Math.Pow(1 - z, -2.5), Math.Exp(Hypergeometric.Log(2.5, 3.7, 3.7, z)), 1e-11 * Math.Pow(1 - z, -2.5));
    }

    [Theory]
    [InlineData(0.3, 2.1, -0.4, 0.2)]
    [InlineData(1.7, 0.6, -0.85, 0.6)]
    public void Hypergeometric_with_a_negative_c_satisfies_Eulers_transformation(double a, double b, double c, double z)
    {
        var direct = Hypergeometric.Value(a, b, c, z);
        var euler = Math.Pow(1 - z, c - a - b) * Hypergeometric.Value(c - a, c - b, c, z);

        Assert.Equal(euler, direct, 1e-11 * Math.Abs(euler));
    }

    [Fact]
    public void Hypergeometric_outside_its_domain_is_NaN_not_a_number_that_looks_right()
    {
        Assert.True(double.IsNaN(Hypergeometric.Log(1, 1, 2, 1)));
        Assert.True(double.IsNaN(Hypergeometric.Value(1, 1, -2, 0.5)));
        Assert.True(double.IsNaN(Hypergeometric.Log(1, 1, 2, 0.99999)));
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(ModelGenerators)])]
    public void ParetoNbd_series_and_integrals_agree(ParetoNbdModel m, CustomerActivity c, Horizon horizon)
    {
        var (r, alpha, s, beta) = (m.R, m.Alpha, m.S, m.Beta);
        var series = ParetoNbdModel.LogA0BySeries(c.RepeatPurchases, c.TimeOfLastPurchase, c.Age, r, alpha, s, beta);
        if (!double.IsNaN(series))
        {
            Assert.Equal(series, ParetoNbdModel.LogA0ByIntegral(c.RepeatPurchases, c.TimeOfLastPurchase, c.Age, r, alpha, s, beta), 1e-8 * Math.Max(1, Math.Abs(series)));
        }

        for (var n = 0; n <= 5; n++)
        {
            var died = ParetoNbdModel.LogDiedBySeries(n, horizon.Value, r, alpha, s, beta);
            if (!double.IsNaN(died))
            {
                Assert.Equal(Math.Exp(died), Math.Exp(ParetoNbdModel.LogDiedByIntegral(n, horizon.Value, r, alpha, s, beta)), 1e-10);
            }
        }
    }

    [Theory]
    [InlineData(3000)]
    [InlineData(1.0 / 3000)]
    public void ParetoNbd_with_scales_thousands_of_times_apart_stays_a_distribution(double ratio)
    {
        var model = new ParetoNbdModel(0.5, 10, 0.6, 10 * ratio);
        var customer = new CustomerActivity("c", 3, 20, 39, 10m);

        Assert.InRange(model.ProbabilityAlive(customer), 0, 1);
        Assert.True(double.IsFinite(model.LogLikelihood(customer)));
        var total = Enumerable.Range(0, 200).Sum(n => model.ProbabilityOfPurchases(n, 10));
        Assert.Equal(1, total, 1e-8);
    }

    [Fact]
    public void Removable_singularities_give_the_limit()
    {
        // BG/NBD at a = 1 and at a + b = 1, MBG/NBD at a = 1, Pareto/NBD at s = 1: the value lies between its neighbours either side.
        AssertBetweenNeighbours(a => new BgNbdModel(0.3, 4, a, 2).ExpectedPurchases(39), 1);
        AssertBetweenNeighbours(a => new BgNbdModel(0.3, 4, a, 0.6).ExpectedPurchases(39), 0.4);
        AssertBetweenNeighbours(a => new BgNbdModel(0.3, 4, a, 0.6).ExpectedPurchases(new CustomerActivity("c", 0, 0, 20), 39), 0.4);
        AssertBetweenNeighbours(a => new MbgNbdModel(0.3, 4, a, 2).ExpectedPurchases(39), 1);
        AssertBetweenNeighbours(a => new MbgNbdModel(0.3, 4, a, 2).ExpectedPurchases(new CustomerActivity("c", 2, 10, 30, 5m), 39), 1);
        AssertBetweenNeighbours(s => new ParetoNbdModel(0.5, 10, s, 11).ExpectedPurchases(39), 1);
        AssertBetweenNeighbours(s => new ParetoNbdModel(0.5, 10, s, 11).ExpectedPurchases(new CustomerActivity("c", 2, 10, 30, 5m), 39), 1);
    }

    [Fact]
    public void Edge_histories_give_finite_answers()
    {
        var pareto = new ParetoNbdModel(0.55, 10.6, 0.61, 10.6); // α = β
        var lastDay = new CustomerActivity("c", 4, 39, 39, 10m); // bought on calibration's last day
        Assert.Equal(1, pareto.ProbabilityAlive(lastDay), 1e-12);
        Assert.True(double.IsFinite(pareto.LogLikelihood(lastDay)));

        var frequent = new CustomerActivity("c", 5000, 39, 39, 10m); // 128 purchases a week, the last on the last day
        foreach (IPurchaseModel model in new IPurchaseModel[] { Cdnow.PublishedBgNbd, Cdnow.PublishedParetoNbd, pareto })
        {
            Assert.InRange(model.ProbabilityAlive(frequent), 0.99, 1);
            Assert.True(double.IsFinite(model.LogLikelihood(frequent)));
            Assert.InRange(model.ExpectedPurchases(frequent, 39), 1000, 10000);
        }

        var newcomer = new CustomerActivity("c", 0, 0, 0);
        Assert.Equal(Cdnow.PublishedBgNbd.ExpectedPurchases(52), Cdnow.PublishedBgNbd.ExpectedPurchases(newcomer, 52), 1e-12);
    }

    [Fact]
    public void Data_that_do_not_identify_the_parameters_are_an_error_or_need_a_penalty()
    {
        CustomerActivity[] two = [new("a", 1, 4 / 7.0, 30 / 7.0, 10m), new("b", 1, 1, 29 / 7.0, 7m)];

        var error = Assert.Throws<ModelFitException>(() => BgNbdModel.Fit(two));
        Assert.Contains("a penalty", error.Message);
        Assert.True(error.Evaluations > 0);

        var penalised = BgNbdModel.Fit(two, new FitOptions { Penalty = 0.1 });
        Assert.All(penalised.Parameters, p => Assert.InRange(p.Value, 1e-6, 1e6));
    }

    [Fact]
    public void Expected_spend_refuses_a_non_positive_mean_spend()
    {
        var error = Assert.Throws<ArgumentException>(() => Cdnow.PublishedGammaGamma.ExpectedAverageSpend(new CustomerActivity("refunds", 2, 3, 5, -40m)));

        Assert.Contains("'refunds'", error.Message);
    }

    private static void AssertBetweenNeighbours(Func<double, double> f, double at)
    {
        var (below, value, above) = (f(at - 1e-4), f(at), f(at + 1e-4));
        Assert.True(double.IsFinite(value));
        Assert.InRange(value, Math.Min(below, above) - 1e-9, Math.Max(below, above) + 1e-9);
    }
}
