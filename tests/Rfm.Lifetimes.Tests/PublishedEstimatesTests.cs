namespace Rfm.Lifetimes.Tests;

/// <summary>The published CDNOW estimates, reproduced to their printed precision.</summary>
public sealed class PublishedEstimatesTests
{
    private static readonly Dictionary<(string Model, string Parameter), double> Scipy =
        Cdnow.Golden("cdnow_fits.csv").Skip(1).ToDictionary(row => (row[0], row[1]), row => Cdnow.Number(row[2]));

    [Fact]
    public void BgNbd_matches_Fader_Hardie_and_Lee_2005()
    {
        var model = BgNbdModel.Fit(Cdnow.Sample.Customers);

        Assert.Equal(2357, model.Estimation!.Customers);
        Assert.Equal(0.243, Math.Round(model.R, 3));
        Assert.Equal(4.414, Math.Round(model.Alpha, 3));
        Assert.Equal(0.793, Math.Round(model.A, 3));
        Assert.Equal(2.426, Math.Round(model.B, 3));
        Assert.Equal(-9582.4, Math.Round(model.Estimation.LogLikelihood, 1));
        AssertCloseToScipy("bgnbd", model.Parameters, model.Estimation);
    }

    [Fact]
    public void ParetoNbd_matches_the_comparison_in_Fader_Hardie_and_Lee_2005()
    {
        var model = ParetoNbdModel.Fit(Cdnow.Sample.Customers);

        Assert.Equal(0.553, Math.Round(model.R, 3));
        Assert.Equal(10.578, Math.Round(model.Alpha, 3));
        Assert.Equal(0.606, Math.Round(model.S, 3));
        Assert.Equal(11.669, Math.Round(model.Beta, 3));
        Assert.Equal(-9595.0, Math.Round(model.Estimation!.LogLikelihood, 1));
        AssertCloseToScipy("pnbd", model.Parameters, model.Estimation);
    }

    [Fact]
    public void MbgNbd_matches_the_CDNOW_estimates_of_lifetimes_and_BTYDplus()
    {
        // lifetimes' test of ModifiedBetaGeoFitter (after BTYDplus): r = 0.525, α = 6.183, a = 0.891, b = 1.614.
        var model = MbgNbdModel.Fit(Cdnow.Sample.Customers);

        Assert.Equal(2357, model.Estimation!.Customers);
        Assert.Equal(0.525, Math.Round(model.R, 3));
        Assert.Equal(6.183, Math.Round(model.Alpha, 3));
        Assert.Equal(0.891, Math.Round(model.A, 3));
        Assert.Equal(1.614, Math.Round(model.B, 3));
        Assert.Equal(-9582.1, Math.Round(model.Estimation.LogLikelihood, 1));
        Assert.All(model.Parameters, p => Assert.NotNull(p.StandardError));

        // The same test holds the paper's example customer (x = 2, t_x = 30.43, T = 38.86) within 0.05 of BG/NBD's 1.226.
        var customer = Cdnow.Sample.Customers.Single(c => c.CustomerId == "00004");
        Assert.InRange(model.ExpectedPurchases(customer, 39), 1.226 - 0.05, 1.226 + 0.05);
    }

    [Fact]
    public void GammaGamma_matches_Fader_and_Hardie_2013()
    {
        var model = GammaGammaModel.Fit(Cdnow.Sample.Customers);

        Assert.Equal(946, model.Estimation!.Customers);
        Assert.Equal(6.25, Math.Round(model.P, 2));
        Assert.Equal(3.74, Math.Round(model.Q, 2));
        Assert.Equal(15.44, Math.Round(model.Gamma, 2));
        AssertCloseToScipy("gg", model.Parameters, model.Estimation);
    }

    [Fact]
    public void Standard_errors_come_from_the_observed_information()
    {
        // Published with the Pareto/NBD's CDNOW estimates (CLVTools' correctness suite): 0.0476, 0.843, 0.187, 6.21.
        var model = ParetoNbdModel.Fit(Cdnow.Sample.Customers);
        double[] published = [0.0476, 0.843, 0.187, 6.21];

        for (var i = 0; i < published.Length; i++)
        {
            var error = model.Parameters[i].StandardError;
            Assert.NotNull(error);
            Assert.InRange(error.Value / published[i], 0.98, 1.02);
        }
    }

    private static void AssertCloseToScipy(string model, IEnumerable<ModelParameter> parameters, ModelEstimation estimation)
    {
        foreach (var parameter in parameters)
        {
            Assert.InRange(parameter.Value / Scipy[(model, parameter.Name)], 1 - 1e-5, 1 + 1e-5);
        }

        Assert.Equal(Scipy[(model, "ll")], estimation.LogLikelihood, 1e-6);
    }
}
