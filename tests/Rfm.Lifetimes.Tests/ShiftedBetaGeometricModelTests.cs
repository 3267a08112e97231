namespace Rfm.Lifetimes.Tests;

/// <summary>
/// The sBG model against Fader and Hardie (2007), "How to Project Customer Retention", Journal of Interactive Marketing
/// 21(1): the survivors of two cohorts of 1,000 customers over years 0-12 (their table 1), fitted on years 0-7 as in
/// the paper, and the outputs documented by the reference implementation jdmaturen/shifted_beta_geometric_py.
/// </summary>
public sealed class ShiftedBetaGeometricModelTests
{
    // Survivors at the end of years 0..12; the paper fits years 0..7 and projects the rest.
    private static readonly int[] Regular = [1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173];
    private static readonly int[] HighEnd = [1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394];

    [Fact]
    public void Fit_reproduces_the_papers_estimates()
    {
        var regular = ShiftedBetaGeometricModel.Fit(Regular[..8]);
        var highEnd = ShiftedBetaGeometricModel.Fit(HighEnd[..8]);

        Assert.Equal(0.704, Math.Round(regular.Alpha, 3));
        Assert.Equal(1.182, Math.Round(regular.Beta, 3));
        Assert.Equal(0.668, Math.Round(highEnd.Alpha, 3));
        Assert.Equal(3.806, Math.Round(highEnd.Beta, 3));
        Assert.Equal(1000, highEnd.Estimation!.Customers);
        Assert.All(regular.Parameters.Concat(highEnd.Parameters), p => Assert.NotNull(p.StandardError));
    }

    [Fact]
    public void Projection_reproduces_the_reference_implementation()
    {
        var highEnd = ShiftedBetaGeometricModel.Fit(HighEnd[..8]);

        // jdmaturen/shifted_beta_geometric_py's README: the high-end survival projected for years 8-12, and DERL at
        // 10% after 7 renewals; its test: the log-likelihood at α = β = 1 is −2.115 per customer.
        double[] projected = [0.460, 0.436, 0.414, 0.395, 0.378];
        for (var year = 8; year <= 12; year++)
        {
            Assert.Equal(projected[year - 8], Math.Round(highEnd.Survival(year), 3));
        }

        Assert.Equal(7.530, Math.Round(highEnd.DiscountedExpectedResidualLifetime(7, 0.1), 3));
        Assert.InRange(new ShiftedBetaGeometricModel(1, 1).LogLikelihood(HighEnd[..8]) / 1000 / -2.115, 1 - 1e-3, 1 + 1e-3);
    }

    [Fact]
    public void Projection_follows_the_held_out_years_as_in_the_paper()
    {
        // The paper's figure 3: fitted on 7 years, the projection stays within a few points of the actual survival to year 12.
        foreach (var data in new[] { Regular, HighEnd })
        {
            var model = ShiftedBetaGeometricModel.Fit(data[..8]);
            for (var year = 8; year < data.Length; year++)
            {
                Assert.InRange(model.Survival(year) - (data[year] / 1000.0), -0.03, 0.03);
            }
        }
    }

    [Fact]
    public void Survival_retention_and_churn_agree()
    {
        var model = new ShiftedBetaGeometricModel(0.704, 1.182);

        Assert.Equal(1, model.Survival(0));
        Assert.Equal(0.704 / (0.704 + 1.182), model.ProbabilityOfChurn(1), 1e-14);
        var total = 0.0;
        for (var t = 1; t <= 200; t++)
        {
            Assert.Equal(model.Survival(t - 1) * model.Retention(t), model.Survival(t), 1e-13);
            Assert.Equal(model.Survival(t - 1) - model.Survival(t), model.ProbabilityOfChurn(t), 1e-13);
            Assert.True(model.Retention(t) > (t == 1 ? 0 : model.Retention(t - 1)), "retention rises with tenure");
            total += model.ProbabilityOfChurn(t);
        }

        Assert.Equal(1 - model.Survival(200), total, 1e-12);
    }

    [Fact]
    public void Expected_lifetime_is_finite_only_for_alpha_above_one()
    {
        Assert.Null(new ShiftedBetaGeometricModel(0.704, 1.182).ExpectedLifetime);

        // Σ S(t) over t ≥ 0, summed directly, against (α + β − 1)/(α − 1).
        var model = new ShiftedBetaGeometricModel(3, 2);
        var summed = Enumerable.Range(0, 200_000).Sum(model.Survival);
        Assert.Equal(2, model.ExpectedLifetime!.Value, 1e-12);
        Assert.Equal(2, summed, 1e-4);
    }

    [Fact]
    public void Derl_is_the_discounted_sum_of_survival_after_the_renewals()
    {
        var model = new ShiftedBetaGeometricModel(0.668, 3.806);
        for (var n = 0; n <= 10; n += 5)
        {
            // Σ_{k≥1} S(n+k)/S(n)·(1 + d)^−(k−1), summed directly.
            var direct = Enumerable.Range(1, 2000).Sum(k => model.Survival(n + k) / model.Survival(n) * Math.Pow(1.1, -(k - 1)));
            Assert.Equal(direct, model.DiscountedExpectedResidualLifetime(n, 0.1), 1e-9);
        }
    }

    [Fact]
    public void Fit_refuses_what_is_not_a_cohort_naming_the_period_and_value()
    {
        Assert.Throws<ArgumentNullException>("survivors", () => ShiftedBetaGeometricModel.Fit(null!));
        Assert.Contains("1 count(s)", Assert.Throws<ArgumentException>("survivors", () => ShiftedBetaGeometricModel.Fit([1000])).Message);
        Assert.Contains("Period 0", Assert.Throws<ArgumentException>("survivors", () => ShiftedBetaGeometricModel.Fit([0, 0])).Message);
        var rising = Assert.Throws<ArgumentException>("survivors", () => ShiftedBetaGeometricModel.Fit([1000, 600, 700]));
        Assert.Contains("Period 2", rising.Message);
        Assert.Contains("not 700", rising.Message);
        Assert.Contains("Period 2: the survivors must be 0 or more and at most the 900 of period 1, not -1.", Assert.Throws<ArgumentException>("survivors", () => ShiftedBetaGeometricModel.Fit([1000, 900, -1])).Message);

        // One period gives only the mean churn α/(α + β): refused before a search that could only stop on a ridge.
        Assert.Contains("at least two periods", Assert.Throws<ArgumentException>("survivors", () => ShiftedBetaGeometricModel.Fit([1000, 700])).Message);
    }

    [Fact]
    public void A_fit_the_data_cannot_settle_is_an_error_not_an_answer()
    {
        // Nobody cancelling sends α to 0; everybody cancelling in the first period sends β to 0.
        Assert.Throws<ModelFitException>(() => ShiftedBetaGeometricModel.Fit([1000, 0, 0]));
        var none = Assert.Throws<ModelFitException>(() => ShiftedBetaGeometricModel.Fit([1000, 1000, 1000, 1000]));
        Assert.Equal("sBG", none.Model);

        // A penalty keeps the parameters finite.
        Assert.True(ShiftedBetaGeometricModel.Fit([1000, 1000, 1000, 1000], new FitOptions { Penalty = 0.01 }).Alpha > 0);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        var model = new ShiftedBetaGeometricModel(1, 1);
        Assert.Throws<ArgumentOutOfRangeException>("alpha", () => new ShiftedBetaGeometricModel(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>("beta", () => new ShiftedBetaGeometricModel(1, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("period", () => model.Survival(-1));
        Assert.Throws<ArgumentOutOfRangeException>("period", () => model.Retention(0));
        Assert.Throws<ArgumentOutOfRangeException>("period", () => model.ProbabilityOfChurn(0));
        Assert.Throws<ArgumentOutOfRangeException>("renewals", () => model.DiscountedExpectedResidualLifetime(-1, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>("discountRate", () => model.DiscountedExpectedResidualLifetime(1, 0));
    }
}
