namespace Rfm.Lifetimes.Tests;

/// <summary>Bad input and failed fits give errors that say what is wrong, never NaN or a silent default.</summary>
public sealed class FitErrorTests
{
    [Fact]
    public void Fitting_no_customers_is_refused()
    {
        Assert.Contains("there are none", Assert.Throws<ArgumentException>(() => BgNbdModel.Fit([])).Message);
        Assert.Contains("there are none", Assert.Throws<ArgumentException>(() => MbgNbdModel.Fit([])).Message);
        Assert.Contains("there are none", Assert.Throws<ArgumentException>(() => ParetoNbdModel.Fit([])).Message);
        Assert.Contains("there are none", Assert.Throws<ArgumentException>(() => GammaGammaModel.Fit([])).Message);
    }

    [Fact]
    public void Fitting_customers_without_repeat_purchases_is_refused()
    {
        CustomerActivity[] once = [new("a", 0, 0, 10), new("b", 0, 0, 3)];

        Assert.Contains("none of the 2 has one", Assert.Throws<ArgumentException>(() => BgNbdModel.Fit(once)).Message);
        Assert.Contains("The MBG/NBD model needs customers with repeat purchases", Assert.Throws<ArgumentException>(() => MbgNbdModel.Fit(once)).Message);
        Assert.Contains("repeat purchases", Assert.Throws<ArgumentException>(() => GammaGammaModel.Fit(once)).Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2.50")]
    public void The_spend_model_refuses_a_customer_whose_spend_is_not_positive(string spend)
    {
        var customers = Cdnow.Sample.Customers.Append(new CustomerActivity("bad-1", 3, 2, 5, decimal.Parse(spend)));

        var error = Assert.Throws<ArgumentException>(() => GammaGammaModel.Fit(customers));

        Assert.Contains("'bad-1'", error.Message);
        Assert.Contains(spend, error.Message);
    }

    [Fact]
    public void A_fit_that_does_not_converge_says_where_it_stopped()
    {
        var error = Assert.Throws<ModelFitException>(() => BgNbdModel.Fit(Cdnow.Sample.Customers, new FitOptions { MaxIterations = 3 }));

        Assert.Equal("BG/NBD", error.Model);
        Assert.Equal(["r", "alpha", "a", "b"], error.LastParameters.Select(p => p.Name));
        Assert.All(error.LastParameters, p => Assert.True(double.IsFinite(p.Value)));
        Assert.True(double.IsFinite(error.LastLogLikelihood));
        Assert.Contains("could not be fitted", error.Message);
        Assert.Contains("log-likelihood", error.Message);
    }

    [Fact]
    public void An_MbgNbd_fit_that_does_not_converge_is_an_error_not_an_answer()
    {
        var error = Assert.Throws<ModelFitException>(() => MbgNbdModel.Fit(Cdnow.Sample.Customers, new FitOptions { MaxIterations = 3 }));

        Assert.Equal("MBG/NBD", error.Model);
        Assert.Equal(["r", "alpha", "a", "b"], error.LastParameters.Select(p => p.Name));
        Assert.Contains("The MBG/NBD model could not be fitted", error.Message);
    }

    [Fact]
    public void A_penalty_shrinks_the_parameters_and_is_reported()
    {
        var plain = BgNbdModel.Fit(Cdnow.Sample.Customers);
        var penalised = BgNbdModel.Fit(Cdnow.Sample.Customers, new FitOptions { Penalty = 1 });

        Assert.Equal(1, penalised.Estimation!.Penalty);
        Assert.True(penalised.Alpha < plain.Alpha && penalised.B < plain.B);
        Assert.True(penalised.Estimation.LogLikelihood < plain.Estimation!.LogLikelihood);
    }

    [Fact]
    public void Bad_parameters_and_options_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BgNbdModel(0, 1, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParetoNbdModel(1, double.NaN, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GammaGammaModel(1, 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FitOptions { Penalty = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new FitOptions { MaxIterations = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => Cdnow.PublishedBgNbd.ExpectedPurchases(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cdnow.PublishedBgNbd.ProbabilityOfPurchases(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClvCalculator(Cdnow.PublishedBgNbd, Cdnow.PublishedGammaGamma, 0, TimeUnit.Week));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClvCalculator(Cdnow.PublishedBgNbd, Cdnow.PublishedGammaGamma, 52, TimeUnit.Week, -0.1));
    }

    [Fact]
    public void An_infinite_population_mean_spend_is_an_error_not_infinity()
    {
        var heavyTailed = new GammaGammaModel(2, 0.8, 10);

        Assert.Null(heavyTailed.PopulationMeanSpend);
        var error = Assert.Throws<InvalidOperationException>(() => heavyTailed.ExpectedAverageSpend(new CustomerActivity("one-off", 0, 0, 4)));
        Assert.Contains("'one-off'", error.Message);
    }
}
