using System.Collections.Immutable;
using Rfm.Lifetimes.Numerics;
using static MathNet.Numerics.SpecialFunctions;

namespace Rfm.Lifetimes;

/// <summary>
/// The shifted-beta-geometric (sBG) model of contractual retention (Fader and Hardie 2007, "How to Project Customer
/// Retention"): at the end of each period a customer cancels with probability θ, the same every period, and θ varies
/// across customers as Beta(α, β). Leaving is observed (a subscription, a contract), unlike in the purchase models.
/// </summary>
/// <remarks>
/// Periods are counted from the start of the cohort: period t runs from t − 1 to t, S(0) = 1, and T ≥ 1 is the period in
/// which a customer cancels. The 2007 paper writes the parameters α and β (its sequel on valuation, 2010, γ and δ).
/// </remarks>
public sealed class ShiftedBetaGeometricModel
{
    private static readonly string[] Names = ["alpha", "beta"];

    /// <summary>Makes the model from known parameters, e.g. published ones.</summary>
    /// <param name="alpha">α: the first shape of the distribution of the churn probability θ.</param>
    /// <param name="beta">β: the second shape of the distribution of the churn probability θ.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not a finite number above 0.</exception>
    public ShiftedBetaGeometricModel(double alpha, double beta)
        : this([MaximumLikelihood.Positive(alpha, nameof(alpha)), MaximumLikelihood.Positive(beta, nameof(beta))], null, null)
    {
    }

    private ShiftedBetaGeometricModel(double[] values, double?[]? errors, ModelEstimation? estimation)
    {
        (Alpha, Beta) = (values[0], values[1]);
        Parameters = MaximumLikelihood.Parameters(Names, values, errors);
        Estimation = estimation;
    }

    /// <summary>The model's name: sBG.</summary>
    public string Name => "sBG";

    /// <summary>α: the first shape of the distribution of the churn probability θ.</summary>
    public double Alpha { get; }

    /// <summary>β: the second shape of the distribution of the churn probability θ.</summary>
    public double Beta { get; }

    /// <summary>The parameters, in the paper's order: alpha, beta.</summary>
    public ImmutableArray<ModelParameter> Parameters { get; }

    /// <summary>How the model was fitted; null when it was made from given parameters.</summary>
    public ModelEstimation? Estimation { get; }

    /// <summary>
    /// E[T]: the expected number of periods a new customer stays, the first included, (α + β − 1)/(α − 1); null when
    /// α ≤ 1, where it is infinite (a heavy tail of customers who almost never cancel): use
    /// <see cref="DiscountedExpectedResidualLifetime"/> instead.
    /// </summary>
    public double? ExpectedLifetime => Alpha > 1 ? (Alpha + Beta - 1) / (Alpha - 1) : null;

    /// <summary>Fits the model by maximum likelihood to one cohort's survivors per period.</summary>
    /// <param name="survivors">
    /// How many of the cohort were still customers at the end of periods 0, 1, 2, ...: the cohort's size first, then
    /// never increasing (the paper's 1000, 631, 468, ...).
    /// </param>
    /// <param name="options">The penalty and iteration limit; default <see cref="FitOptions.Default"/>.</param>
    /// <returns>The fitted model, with its <see cref="Estimation"/> and standard errors.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="survivors"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// Fewer than two periods after period 0 (one period gives only the mean churn, not α and β apart), a cohort of 0,
    /// or a count that is negative or above the one before it; the message names the period and the value.
    /// </exception>
    /// <exception cref="ModelFitException">
    /// The search did not converge, a parameter ran off to 0 or infinity (nobody cancelled, or everybody did at once), or
    /// the data do not identify the parameters (a flat log-likelihood; a penalty helps).
    /// </exception>
    public static ShiftedBetaGeometricModel Fit(IReadOnlyList<int> survivors, FitOptions? options = null)
    {
        var counts = Check(survivors);
        if (counts.Length < 3)
        {
            // One period's losses fix only the mean churn α/(α + β), along a ridge on which the fit has no maximum.
            throw new ArgumentException("The sBG model needs the survivors of at least two periods after period 0 to tell α from β; one period gives only the mean churn.", nameof(survivors));
        }

        var estimate = MaximumLikelihood.Fit("sBG", Names, theta => LogLikelihood(counts, theta[0], theta[1]), [1, 1], counts[0], options ?? FitOptions.Default);
        return new ShiftedBetaGeometricModel(estimate.Parameters, estimate.StandardErrors, estimate.Estimation);
    }

    /// <summary>The log-likelihood of one cohort's survivors per period under the model (Fader and Hardie 2007, eq. B3).</summary>
    /// <param name="survivors">The cohort's size, then the survivors at the end of each period, as for <see cref="Fit"/>.</param>
    /// <returns>Σ n_t·ln P(T = t) + S_n·ln S(n), n_t being those lost in period t and S_n those left after the last.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="survivors"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// Fewer than two counts (the cohort's size and one period), a cohort of 0, or a count that is negative or above the
    /// one before it; the message names the period and the value.
    /// </exception>
    public double LogLikelihood(IReadOnlyList<int> survivors) => LogLikelihood(Check(survivors), Alpha, Beta);

    /// <summary>S(t): the share of a cohort still customers at the end of period t, B(α, β + t)/B(α, β).</summary>
    /// <param name="period">t, 0 or more.</param>
    /// <returns>A probability in (0, 1]; 1 at t = 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is negative.</exception>
    public double Survival(int period)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(period);
        return Math.Exp(LogSurvival(period, Alpha, Beta));
    }

    /// <summary>
    /// r(t): the share of the customers at the start of period t who are still customers at its end, S(t)/S(t − 1) =
    /// (β + t − 1)/(α + β + t − 1). It rises with t: the customers likely to cancel leave first.
    /// </summary>
    /// <param name="period">t, 1 or more.</param>
    /// <returns>A probability in (0, 1).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is less than 1.</exception>
    public double Retention(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        return (Beta + period - 1) / (Alpha + Beta + period - 1);
    }

    /// <summary>P(T = t): the probability that a new customer cancels in period t, B(α + 1, β + t − 1)/B(α, β).</summary>
    /// <param name="period">t, 1 or more.</param>
    /// <returns>A probability in (0, 1).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is less than 1.</exception>
    public double ProbabilityOfChurn(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        return Math.Exp(LogChurn(period, Alpha, Beta));
    }

    /// <summary>
    /// DERL (Fader and Hardie 2010, "Customer-Base Valuation in a Contractual Setting"): the discounted number of
    /// payments still expected of a customer who has renewed <paramref name="renewals"/> times and now decides on the
    /// next renewal, that one counted undiscounted and each later one discounted by one more period:
    /// (β + n)/(α + β + n)·₂F₁(1, β + n + 1; α + β + n + 1; 1/(1 + d)). Multiplied by the payment per period, it is the
    /// customer's residual lifetime value.
    /// </summary>
    /// <param name="renewals">n: the renewals made so far, 0 or more (0 for a customer at the end of the first period).</param>
    /// <param name="discountRate">d: the discount rate per period, above 0 (e.g. 0.1 for 10% a period).</param>
    /// <returns>The discounted expected residual lifetime, in periods.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="renewals"/> is negative, or <paramref name="discountRate"/> is not a finite number above 0.
    /// </exception>
    /// <exception cref="ArithmeticException">The series does not converge (a discount rate below about 0.0005 a period).</exception>
    public double DiscountedExpectedResidualLifetime(int renewals, double discountRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(renewals);
        if (!(double.IsFinite(discountRate) && discountRate > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(discountRate), discountRate, "The discount rate must be a finite number above 0.");
        }

        // Given n renewals, θ ~ Beta(α, β + n); E[Σ_{k≥1} (1 − θ)^k (1 + d)^−(k−1)] is the hypergeometric series.
        var shifted = Beta + renewals;
        var series = Hypergeometric.Log(1, shifted + 1, Alpha + shifted + 1, 1 / (1 + discountRate));
        return PurchaseModels.Finite(shifted / (Alpha + shifted) * Math.Exp(series), Name, "discounted expected residual lifetime");
    }

    // Σ_{t=1..n} (S_{t−1} − S_t)·ln P(T = t) + S_n·ln S(n).
    internal static double LogLikelihood(int[] survivors, double alpha, double beta)
    {
        double sum = 0;
        for (var t = 1; t < survivors.Length; t++)
        {
            var lost = survivors[t - 1] - survivors[t];
            sum += lost == 0 ? 0 : lost * LogChurn(t, alpha, beta);
        }

        var left = survivors[^1];
        return sum + (left == 0 ? 0 : left * LogSurvival(survivors.Length - 1, alpha, beta));
    }

    private static double LogChurn(int period, double alpha, double beta) => BetaLn(alpha + 1, beta + period - 1) - BetaLn(alpha, beta);

    private static double LogSurvival(int period, double alpha, double beta) => period == 0 ? 0 : BetaLn(alpha, beta + period) - BetaLn(alpha, beta);

    private static int[] Check(IReadOnlyList<int> survivors)
    {
        ArgumentNullException.ThrowIfNull(survivors);
        var counts = survivors.ToArray();
        if (counts.Length < 2)
        {
            throw new ArgumentException($"The sBG model needs the cohort's size and the survivors of at least one period; {counts.Length} count(s) given.", nameof(survivors));
        }

        if (counts[0] <= 0)
        {
            throw new ArgumentException($"Period 0: the cohort's size must be above 0, not {counts[0]}.", nameof(survivors));
        }

        for (var t = 1; t < counts.Length; t++)
        {
            if (counts[t] < 0 || counts[t] > counts[t - 1])
            {
                throw new ArgumentException($"Period {t}: the survivors must be 0 or more and at most the {counts[t - 1]} of period {t - 1}, not {counts[t]}.", nameof(survivors));
            }
        }

        return counts;
    }
}
