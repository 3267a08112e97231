using System.Collections.Immutable;
using Rfm.Lifetimes.Numerics;

namespace Rfm.Lifetimes;

/// <summary>
/// The BG/NBD model (Fader, Hardie and Lee 2005, "Counting Your Customers the Easy Way"): while alive, a customer buys
/// at a Poisson rate λ ~ Gamma(r, α); after each purchase the customer leaves with probability p ~ Beta(a, b).
/// </summary>
/// <remarks>Every quantity is computed in log space; none returns NaN or infinity for valid input.</remarks>
public sealed class BgNbdModel : IPurchaseModel
{
    // BG/NBD's customers can leave only after a repeat purchase: no opening opportunity at the first.
    private const int Opening = 0;

    private static readonly string[] Names = ["r", "alpha", "a", "b"];

    private readonly BetaGeometricNbd _math;

    /// <summary>Makes the model from known parameters, e.g. published ones.</summary>
    /// <param name="r">The shape of the purchase-rate distribution.</param>
    /// <param name="alpha">The scale of the purchase-rate distribution, in the unit of time.</param>
    /// <param name="a">The first shape of the dropout-probability distribution.</param>
    /// <param name="b">The second shape of the dropout-probability distribution.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not a finite number above 0.</exception>
    public BgNbdModel(double r, double alpha, double a, double b)
        : this([MaximumLikelihood.Positive(r, nameof(r)), MaximumLikelihood.Positive(alpha, nameof(alpha)), MaximumLikelihood.Positive(a, nameof(a)), MaximumLikelihood.Positive(b, nameof(b))], null, null)
    {
    }

    private BgNbdModel(double[] values, double?[]? errors, ModelEstimation? estimation)
    {
        (R, Alpha, A, B) = (values[0], values[1], values[2], values[3]);
        Parameters = MaximumLikelihood.Parameters(Names, values, errors);
        Estimation = estimation;
        _math = new BetaGeometricNbd(R, Alpha, A, B, Opening, "BG/NBD");
    }

    /// <inheritdoc/>
    public string Name => "BG/NBD";

    /// <summary>r: the shape of the purchase-rate distribution.</summary>
    public double R { get; }

    /// <summary>α: the scale of the purchase-rate distribution.</summary>
    public double Alpha { get; }

    /// <summary>a: the first shape of the dropout-probability distribution.</summary>
    public double A { get; }

    /// <summary>b: the second shape of the dropout-probability distribution.</summary>
    public double B { get; }

    /// <inheritdoc/>
    public ImmutableArray<ModelParameter> Parameters { get; }

    /// <inheritdoc/>
    public ModelEstimation? Estimation { get; }

    /// <summary>Fits the model to customers by maximum likelihood.</summary>
    /// <param name="customers">The customers (e.g. <see cref="CalibrationSummary.Customers"/>).</param>
    /// <param name="options">The penalty and iteration limit; default <see cref="FitOptions.Default"/>.</param>
    /// <returns>The fitted model, with its <see cref="Estimation"/> and standard errors.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customers"/> is null.</exception>
    /// <exception cref="ArgumentException">There is no customer, or no customer with a repeat purchase.</exception>
    /// <exception cref="ModelFitException">
    /// The search did not converge, a parameter ran off to 0 or infinity, or the data do not identify the parameters
    /// (a flat log-likelihood; a penalty helps).
    /// </exception>
    public static BgNbdModel Fit(IEnumerable<CustomerActivity> customers, FitOptions? options = null)
    {
        var estimate = PurchaseModels.Fit(customers, options, "BG/NBD", Names, (groups, theta) => LogLikelihood(groups, theta[0], theta[1], theta[2], theta[3]), groups => [1, Math.Max(groups.MeanAge, 1e-3), 1, 1]);
        return new BgNbdModel(estimate.Parameters, estimate.StandardErrors, estimate.Estimation);
    }

    /// <inheritdoc/>
    public double LogLikelihood(CustomerActivity customer) => _math.LogLikelihood(customer);

    /// <inheritdoc/>
    public double ProbabilityAlive(CustomerActivity customer) => _math.ProbabilityAlive(customer);

    /// <inheritdoc/>
    public double ExpectedPurchases(CustomerActivity customer, double time) =>
        PurchaseModels.Finite(ExpectedPurchasesIfAlive(customer, time) * ProbabilityAlive(customer), Name, "expected purchases");

    /// <inheritdoc/>
    /// <remarks>FHL 2005, eq. 10 without its P(alive): (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))].</remarks>
    public double ExpectedPurchasesIfAlive(CustomerActivity customer, double time) => _math.ExpectedPurchasesIfAlive(customer, time);

    /// <summary>
    /// Σ_{k=1..H} δ^k·[E(k) − E(k−1)] of a customer alive now, E(t) being <see cref="ExpectedPurchasesIfAlive(CustomerActivity, double)"/>
    /// and ln δ = <paramref name="logDiscount"/>, at a cost that does not grow with H; NaN where the quadrature does not settle.
    /// </summary>
    internal double DiscountedPurchasesIfAlive(CustomerActivity customer, int horizon, double logDiscount) =>
        _math.DiscountedPurchasesIfAlive(customer, horizon, logDiscount);

    /// <inheritdoc/>
    public double ExpectedPurchases(double time) => _math.ExpectedPurchases(time);

    /// <inheritdoc/>
    /// <remarks>FHL 2005, eq. 8.</remarks>
    public double ProbabilityOfPurchases(int purchases, double time) => _math.ProbabilityOfPurchases(purchases, time);

    /// <summary>The log-likelihood of the data at parameters θ, summed over the distinct histories.</summary>
    internal static double LogLikelihood(CustomerGroups groups, double r, double alpha, double a, double b) =>
        BetaGeometricNbd.LogLikelihood(groups, r, alpha, a, b, Opening);

    // The mean over λ ~ Gamma(k, s) and p ~ Beta(a, m) of (1 − e^(−λpt))/p: the expectation where its series is slow.
    internal static double ExpectedPurchasesByIntegral(double a, double k, double m, double scale, double time) =>
        BetaGeometricNbd.ExpectedPurchasesByIntegral(a, k, m, scale, time);
}
