using System.Collections.Immutable;
using Rfm.Lifetimes.Numerics;
using static MathNet.Numerics.SpecialFunctions;

namespace Rfm.Lifetimes;

/// <summary>
/// The BG/NBD model (Fader, Hardie and Lee 2005, "Counting Your Customers the Easy Way"): while alive, a customer buys
/// at a Poisson rate λ ~ Gamma(r, α); after each purchase the customer leaves with probability p ~ Beta(a, b).
/// </summary>
/// <remarks>Every quantity is computed in log space; none returns NaN or infinity for valid input.</remarks>
public sealed class BgNbdModel : IPurchaseModel
{
    private static readonly string[] Names = ["r", "alpha", "a", "b"];

    // Beyond this argument the hypergeometric series needs tens of thousands of terms; the integral is then cheaper.
    private const double SeriesLimit = 0.999;

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
    public double LogLikelihood(CustomerActivity customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var x = customer.RepeatPurchases;
        return CommonTerm(x, R, A, B) + R * Math.Log(Alpha) + LikelihoodTail(x, customer.TimeOfLastPurchase, customer.Age, R, Alpha, Math.Log(A) - Math.Log(B + x - 1));
    }

    /// <inheritdoc/>
    public double ProbabilityAlive(CustomerActivity customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var x = customer.RepeatPurchases;
        return x == 0 ? 1 : 1 / (1 + Math.Exp(LogDeadOdds(x, customer.TimeOfLastPurchase, customer.Age)));
    }

    /// <inheritdoc/>
    public double ExpectedPurchases(CustomerActivity customer, double time) =>
        PurchaseModels.Finite(ExpectedPurchasesIfAlive(customer, time) * ProbabilityAlive(customer), Name, "expected purchases");

    /// <inheritdoc/>
    public double ExpectedPurchasesIfAlive(CustomerActivity customer, double time)
    {
        ArgumentNullException.ThrowIfNull(customer);
        PurchaseModels.CheckTime(time);
        var x = customer.RepeatPurchases;

        // FHL 2005, eq. 10 without its P(alive): (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))].
        return time == 0 ? 0 : PurchaseModels.Finite(ExpectedPurchasesIfAlive(R + x, B + x, Alpha + customer.Age, time), Name, "expected purchases");
    }

    /// <summary>
    /// Σ_{k=1..H} δ^k·[E(k) − E(k−1)] of a customer alive now, E(t) being <see cref="ExpectedPurchasesIfAlive(CustomerActivity, double)"/>
    /// and ln δ = <paramref name="logDiscount"/>, at a cost that does not grow with H; NaN where the quadrature does not settle.
    /// </summary>
    internal double DiscountedPurchasesIfAlive(CustomerActivity customer, int horizon, double logDiscount)
    {
        // Given alive, λ ~ Gamma(r+x, α+T) and p ~ Beta(a, b+x), and a customer of rates λ, p buys on average
        // e^(−λp(k−1))·(1 − e^(−λp))/p in unit k: λ times the units' series at w = λp. With λ = v/(α+T), the mean of
        // v·f(v) over Gamma(r+x) is (r+x) times the mean of f over Gamma(r+x+1).
        var (shape, scale, dropout) = (R + customer.RepeatPurchases, Alpha + customer.Age, B + customer.RepeatPurchases);
        return shape / scale * DoubleExponential.Converge(h =>
        {
            var (overP, overV) = (DoubleExponential.Beta(A, dropout, h), DoubleExponential.Gamma(shape + 1, h));
            return overP.Mean(p => overV.Mean(v => PurchaseModels.DiscountedUnits(v * p / scale, horizon, logDiscount)));
        });
    }

    /// <inheritdoc/>
    public double ExpectedPurchases(double time)
    {
        PurchaseModels.CheckTime(time);
        return time == 0 ? 0 : PurchaseModels.Finite(ExpectedPurchasesIfAlive(R, B, Alpha, time), Name, "expected purchases");
    }

    /// <inheritdoc/>
    public double ProbabilityOfPurchases(int purchases, double time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(purchases);
        PurchaseModels.CheckTime(time);
        var n = purchases;
        if (time == 0)
        {
            return n == 0 ? 1 : 0;
        }

        // FHL 2005, eq. 8: alive throughout with n NBD purchases, or n purchases and then dropping out at the n-th.
        var logP = Math.Log(time / (Alpha + time));
        var logQ = Math.Log(Alpha / (Alpha + time));
        var lnBab = BetaLn(A, B);
        var alive = Math.Exp(BetaLn(A, B + n) - lnBab + GammaLn(R + n) - GammaLn(R) - GammaLn(n + 1) + R * logQ + n * logP);
        if (n == 0)
        {
            return alive;
        }

        // The bracket 1 − Σ_{j<n} NBD(j) is the NBD's upper tail, P(N ≥ n) = I_{t/(α+t)}(n, r).
        var tail = BetaRegularized(n, R, time / (Alpha + time));
        var died = Math.Exp(BetaLn(A + 1, B + n - 1) - lnBab) * tail;
        return PurchaseModels.Probability(alive + died, Name, "probability of purchases");
    }

    /// <summary>The log-likelihood of the data at parameters θ, summed over the distinct histories.</summary>
    internal static double LogLikelihood(CustomerGroups groups, double r, double alpha, double a, double b)
    {
        var logAlpha = Math.Log(alpha);
        var common = new double[groups.MaxX + 1];
        var dropout = new double[groups.MaxX + 1];
        var known = new bool[groups.MaxX + 1];
        double sum = 0;
        for (var i = 0; i < groups.Count; i++)
        {
            var x = groups.X[i];
            if (!known[x])
            {
                (common[x], dropout[x], known[x]) = (CommonTerm(x, r, a, b) + r * logAlpha, Math.Log(a) - Math.Log(b + x - 1), true);
            }

            sum += groups.Weight[i] * (common[x] + LikelihoodTail(x, groups.Tx[i], groups.Age[i], r, alpha, dropout[x]));
        }

        return sum;
    }

    // ln Γ(r+x) − ln Γ(r) + ln B(a, b+x) − ln B(a, b): the part of ln L that depends on x alone.
    private static double CommonTerm(int x, double r, double a, double b) => GammaLn(r + x) - GammaLn(r) + BetaLn(a, b + x) - BetaLn(a, b);

    // ln[(α+T)^−(r+x) + δ(x>0)·a/(b+x−1)·(α+t_x)^−(r+x)], with ln(a/(b+x−1)) given.
    private static double LikelihoodTail(int x, double tx, double age, double r, double alpha, double logDropout)
    {
        var stayed = -(r + x) * Math.Log(alpha + age);
        return x == 0 ? stayed : LogMath.AddExp(stayed, logDropout - (r + x) * Math.Log(alpha + tx));
    }

    // ln of a/(b+x−1)·((α+T)/(α+t_x))^(r+x): P(alive) = 1 / (1 + e^this).
    private double LogDeadOdds(int x, double tx, double age) =>
        Math.Log(A) - Math.Log(B + x - 1) + (R + x) * (Math.Log(Alpha + age) - Math.Log(Alpha + tx));

    // (a+m−1)/(a−1)·[1 − (s/(s+t))^k · ₂F₁(k, m; a+m−1; t/(s+t))], with k = r+x, m = b+x, s = α+T: the purchases
    // expected in the next t of a customer alive now (FHL 2005, eqs. 9 and 10). Its singular points, a = 1 and
    // a + m = 1, are removable: there it is the mean of two close points either side.
    private double ExpectedPurchasesIfAlive(double k, double m, double scale, double time)
    {
        const double near = 1e-6;
        return Math.Abs(A - 1) > near && Math.Abs(A + m - 1) > near
            ? ExpectedPurchasesIfAlive(A, k, m, scale, time)
            : (ExpectedPurchasesIfAlive(A - near, k, m, scale, time) + ExpectedPurchasesIfAlive(A + near, k, m, scale, time)) / 2;
    }

    private static double ExpectedPurchasesIfAlive(double a, double k, double m, double scale, double time)
    {
        var c = a + m - 1;
        var z = time / (scale + time);
        if (z > SeriesLimit)
        {
            return ExpectedPurchasesByIntegral(a, k, m, scale, time);
        }

        var logPower = k * Math.Log(scale / (scale + time));
        var hypergeometric = c > 0
            ? Math.Exp(logPower + Hypergeometric.Log(k, m, c, z))
            : Math.Exp(logPower) * Hypergeometric.Value(k, m, c, z);
        return double.IsNaN(hypergeometric) ? ExpectedPurchasesByIntegral(a, k, m, scale, time) : c / (a - 1) * (1 - hypergeometric);
    }

    // Where the series would need tens of thousands of terms (t a thousand times the scale or more): the mean over λ ~ Gamma(k, s) and
    // p ~ Beta(a, m) of (1 − e^(−λpt))/p, which is λt times the fading at w = λpt.
    internal static double ExpectedPurchasesByIntegral(double a, double k, double m, double scale, double time) =>
        k / scale * time * DoubleExponential.Converge(h =>
        {
            var (overP, overV) = (DoubleExponential.Beta(a, m, h), DoubleExponential.Gamma(k + 1, h));
            return overP.Mean(p => overV.Mean(v => PurchaseModels.Fading(v * p * time / scale)));
        });
}
