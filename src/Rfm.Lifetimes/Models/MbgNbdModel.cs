using System.Collections.Immutable;
using Rfm.Lifetimes.Numerics;

namespace Rfm.Lifetimes;

/// <summary>
/// The MBG/NBD model (Batislam, Denizel and Filiztekin 2007, "Empirical validation and comparison of models for
/// customer base analysis"): BG/NBD in which a customer may also leave right after the first purchase. While alive, a
/// customer buys at a Poisson rate λ ~ Gamma(r, α); at the first purchase and after each repeat purchase the customer
/// leaves with probability p ~ Beta(a, b).
/// </summary>
/// <remarks>
/// Unlike BG/NBD, a customer without repeat purchases is not certainly alive: P(alive) = 1/(1 + a/b·((α+T)/α)^r).
/// Every quantity is computed in log space; none returns NaN or infinity for valid input.
/// </remarks>
public sealed class MbgNbdModel : IPurchaseModel
{
    // MBG/NBD's customers can leave at the first purchase too: one opening opportunity.
    private const int Opening = 1;

    private static readonly string[] Names = ["r", "alpha", "a", "b"];

    private readonly BetaGeometricNbd _math;

    /// <summary>Makes the model from known parameters, e.g. published ones.</summary>
    /// <param name="r">The shape of the purchase-rate distribution.</param>
    /// <param name="alpha">The scale of the purchase-rate distribution, in the unit of time.</param>
    /// <param name="a">The first shape of the dropout-probability distribution.</param>
    /// <param name="b">The second shape of the dropout-probability distribution.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not a finite number above 0.</exception>
    public MbgNbdModel(double r, double alpha, double a, double b)
        : this([MaximumLikelihood.Positive(r, nameof(r)), MaximumLikelihood.Positive(alpha, nameof(alpha)), MaximumLikelihood.Positive(a, nameof(a)), MaximumLikelihood.Positive(b, nameof(b))], null, null)
    {
    }

    private MbgNbdModel(double[] values, double?[]? errors, ModelEstimation? estimation)
    {
        (R, Alpha, A, B) = (values[0], values[1], values[2], values[3]);
        Parameters = MaximumLikelihood.Parameters(Names, values, errors);
        Estimation = estimation;
        _math = new BetaGeometricNbd(R, Alpha, A, B, Opening, "MBG/NBD");
    }

    /// <inheritdoc/>
    public string Name => "MBG/NBD";

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
    public static MbgNbdModel Fit(IEnumerable<CustomerActivity> customers, FitOptions? options = null)
    {
        var estimate = PurchaseModels.Fit(customers, options, "MBG/NBD", Names, (groups, theta) => LogLikelihood(groups, theta[0], theta[1], theta[2], theta[3]), groups => [1, Math.Max(groups.MeanAge, 1e-3), 1, 1]);
        return new MbgNbdModel(estimate.Parameters, estimate.StandardErrors, estimate.Estimation);
    }

    /// <inheritdoc/>
    public double LogLikelihood(CustomerActivity customer) => _math.LogLikelihood(customer);

    /// <inheritdoc/>
    public double ProbabilityAlive(CustomerActivity customer) => _math.ProbabilityAlive(customer);

    /// <inheritdoc/>
    public double ExpectedPurchases(CustomerActivity customer, double time) =>
        PurchaseModels.Finite(ExpectedPurchasesIfAlive(customer, time) * ProbabilityAlive(customer), Name, "expected purchases");

    /// <inheritdoc/>
    /// <remarks>(a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))]: BG/NBD's with b + 1 for b.</remarks>
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
    /// <remarks>B(a, b+n+1)/B(a, b)·NBD(n) + B(a+1, b+n)/B(a, b)·P(NBD ≥ n): FHL 2005's eq. 8 with one more opportunity to leave.</remarks>
    public double ProbabilityOfPurchases(int purchases, double time) => _math.ProbabilityOfPurchases(purchases, time);

    /// <summary>The log-likelihood of the data at parameters θ, summed over the distinct histories.</summary>
    internal static double LogLikelihood(CustomerGroups groups, double r, double alpha, double a, double b) =>
        BetaGeometricNbd.LogLikelihood(groups, r, alpha, a, b, Opening);
}
