using System.Collections.Immutable;
using Rfm.Lifetimes.Numerics;
using static MathNet.Numerics.SpecialFunctions;

namespace Rfm.Lifetimes;

/// <summary>
/// The Pareto/NBD model (Schmittlein, Morrison and Colombo 1987): while alive, a customer buys at a Poisson rate
/// λ ~ Gamma(r, α) and leaves at an exponential time with rate μ ~ Gamma(s, β), independent of λ.
/// </summary>
/// <remarks>
/// The expressions are those of Fader and Hardie's notes on the model (2005) and on P(X(t) = x) (2006), computed in log
/// space with the Gauss hypergeometric series; none returns NaN or infinity for valid input.
/// </remarks>
public sealed class ParetoNbdModel : IPurchaseModel
{
    private static readonly string[] Names = ["r", "alpha", "s", "beta"];

    // Beyond this argument the hypergeometric series needs hundreds of terms; the integral is then cheaper.
    private const double SeriesLimit = 0.95;

    // A difference of two series values closer than this (in logarithms) has lost most of its digits to cancellation.
    private const double MinimumLogGap = 1e-9;

    /// <summary>Makes the model from known parameters, e.g. published ones.</summary>
    /// <param name="r">The shape of the purchase-rate distribution.</param>
    /// <param name="alpha">The scale of the purchase-rate distribution, in the unit of time.</param>
    /// <param name="s">The shape of the dropout-rate distribution.</param>
    /// <param name="beta">The scale of the dropout-rate distribution, in the unit of time.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not a finite number above 0.</exception>
    public ParetoNbdModel(double r, double alpha, double s, double beta)
        : this([MaximumLikelihood.Positive(r, nameof(r)), MaximumLikelihood.Positive(alpha, nameof(alpha)), MaximumLikelihood.Positive(s, nameof(s)), MaximumLikelihood.Positive(beta, nameof(beta))], null, null)
    {
    }

    private ParetoNbdModel(double[] values, double?[]? errors, ModelEstimation? estimation)
    {
        (R, Alpha, S, Beta) = (values[0], values[1], values[2], values[3]);
        Parameters = MaximumLikelihood.Parameters(Names, values, errors);
        Estimation = estimation;
    }

    /// <inheritdoc/>
    public string Name => "Pareto/NBD";

    /// <summary>r: the shape of the purchase-rate distribution.</summary>
    public double R { get; }

    /// <summary>α: the scale of the purchase-rate distribution.</summary>
    public double Alpha { get; }

    /// <summary>s: the shape of the dropout-rate distribution.</summary>
    public double S { get; }

    /// <summary>β: the scale of the dropout-rate distribution.</summary>
    public double Beta { get; }

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
    public static ParetoNbdModel Fit(IEnumerable<CustomerActivity> customers, FitOptions? options = null)
    {
        var estimate = PurchaseModels.Fit(customers, options, "Pareto/NBD", Names, (groups, theta) => LogLikelihood(groups, theta[0], theta[1], theta[2], theta[3]), groups => [1, Math.Max(groups.MeanAge, 1e-3), 1, Math.Max(groups.MeanAge, 1e-3)]);
        return new ParetoNbdModel(estimate.Parameters, estimate.StandardErrors, estimate.Estimation);
    }

    /// <inheritdoc/>
    public double LogLikelihood(CustomerActivity customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var x = customer.RepeatPurchases;
        return PurchaseModels.Finite(
            LogLikelihood(x, customer.TimeOfLastPurchase, customer.Age, R, Alpha, S, Beta, GammaLn(R + x) - GammaLn(R) + (R * Math.Log(Alpha)) + (S * Math.Log(Beta))),
            Name,
            "log-likelihood");
    }

    /// <inheritdoc/>
    public double ProbabilityAlive(CustomerActivity customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var x = customer.RepeatPurchases;
        var age = customer.Age;
        var logOdds = Math.Log(S) - Math.Log(R + S + x) + ((R + x) * Math.Log(Alpha + age)) + (S * Math.Log(Beta + age))
            + LogA0(x, customer.TimeOfLastPurchase, age, R, Alpha, S, Beta);
        return PurchaseModels.Finite(1 / (1 + Math.Exp(logOdds)), Name, "P(alive)");
    }

    /// <inheritdoc/>
    public double ExpectedPurchases(CustomerActivity customer, double time) =>
        PurchaseModels.Finite(ExpectedPurchasesIfAlive(customer, time) * ProbabilityAlive(customer), Name, "expected purchases");

    /// <inheritdoc/>
    public double ExpectedPurchasesIfAlive(CustomerActivity customer, double time)
    {
        ArgumentNullException.ThrowIfNull(customer);
        PurchaseModels.CheckTime(time);
        var (x, age) = (customer.RepeatPurchases, customer.Age);

        // (r+x)(β+T)/((α+T)(s−1))·[1 − ((β+T)/(β+T+t))^(s−1)], with its limit at s = 1.
        return PurchaseModels.Finite(
            (R + x) / (Alpha + age) * (Beta + age) * LogMath.OneMinusExpOver(S - 1, Math.Log((Beta + age) / (Beta + age + time))), Name, "expected purchases");
    }

    /// <summary>
    /// Σ_{k=1..H} δ^k·[E(k) − E(k−1)] of a customer alive now, E(t) being <see cref="ExpectedPurchasesIfAlive(CustomerActivity, double)"/>
    /// and ln δ = <paramref name="logDiscount"/>, at a cost that does not grow with H; NaN where the quadrature does not settle.
    /// </summary>
    internal double DiscountedPurchasesIfAlive(CustomerActivity customer, int horizon, double logDiscount)
    {
        // Given alive, λ ~ Gamma(r+x, α+T) and μ ~ Gamma(s, β+T) independently, and a customer of rates λ, μ buys on
        // average λ·e^(−μ(k−1))·(1 − e^(−μ))/μ in unit k: E[λ] times the units' series at w = μ.
        var scale = Beta + customer.Age;
        return (R + customer.RepeatPurchases) / (Alpha + customer.Age)
            * DoubleExponential.Converge(h => DoubleExponential.Gamma(S, h).Mean(v => PurchaseModels.DiscountedUnits(v / scale, horizon, logDiscount)));
    }

    /// <inheritdoc/>
    public double ExpectedPurchases(double time)
    {
        PurchaseModels.CheckTime(time);
        return PurchaseModels.Finite(R * Beta / Alpha * LogMath.OneMinusExpOver(S - 1, Math.Log(Beta / (Beta + time))), Name, "expected purchases");
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

        // Alive throughout with n NBD purchases ...
        var alive = Math.Exp(
            GammaLn(R + n) - GammaLn(R) - GammaLn(n + 1) + (R * Math.Log(Alpha / (Alpha + time))) + (n * Math.Log(time / (Alpha + time))) + (S * Math.Log(Beta / (Beta + time))));

        // ... or n purchases and then death within t.
        var died = Math.Exp(LogDiedBySeries(n, time, R, Alpha, S, Beta) is var bySeries && !double.IsNaN(bySeries) ? bySeries : LogDiedByIntegral(n, time, R, Alpha, S, Beta));
        return PurchaseModels.Probability(alive + died, Name, "probability of purchases");
    }

    /// <summary>The log-likelihood of the data at parameters θ, summed over the distinct histories.</summary>
    internal static double LogLikelihood(CustomerGroups groups, double r, double alpha, double s, double beta)
    {
        var constant = (r * Math.Log(alpha)) + (s * Math.Log(beta)) - GammaLn(r);
        var gammas = new double[groups.MaxX + 1];
        var known = new bool[groups.MaxX + 1];
        double sum = 0;
        for (var i = 0; i < groups.Count; i++)
        {
            var x = groups.X[i];
            if (!known[x])
            {
                (gammas[x], known[x]) = (GammaLn(r + x), true);
            }

            sum += groups.Weight[i] * LogLikelihood(x, groups.Tx[i], groups.Age[i], r, alpha, s, beta, gammas[x] + constant);
        }

        return sum;
    }

    // ln L = [ln Γ(r+x) − ln Γ(r) + r ln α + s ln β] + ln[(α+T)^−(r+x)·(β+T)^−s + s/(r+s+x)·A₀].
    private static double LogLikelihood(int x, double tx, double age, double r, double alpha, double s, double beta, double constant)
    {
        var stayed = (-(r + x) * Math.Log(alpha + age)) - (s * Math.Log(beta + age));
        var died = Math.Log(s) - Math.Log(r + s + x) + LogA0(x, tx, age, r, alpha, s, beta);
        return constant + LogMath.AddExp(stayed, died);
    }

    // ln A₀ = ln[₂F₁(k, m; k+1; d/(B+t_x))/(B+t_x)^k − ₂F₁(k, m; k+1; d/(B+T))/(B+T)^k], k = r+s+x: by its series where
    // that converges fast and the two terms do not cancel (t_x close to T), else by the integral it stands for.
    private static double LogA0(int x, double tx, double age, double r, double alpha, double s, double beta) =>
        LogA0BySeries(x, tx, age, r, alpha, s, beta) is var bySeries && !double.IsNaN(bySeries) ? bySeries : LogA0ByIntegral(x, tx, age, r, alpha, s, beta);

    // B, m and d by whether α ≥ β, so that the series' argument lies in [0, 1); NaN where the series would be slow or cancel.
    internal static double LogA0BySeries(int x, double tx, double age, double r, double alpha, double s, double beta)
    {
        var k = r + s + x;
        var (baseScale, m, d) = alpha >= beta ? (alpha, s + 1, alpha - beta) : (beta, r + x, beta - alpha);
        if (d / (baseScale + tx) > SeriesLimit)
        {
            return double.NaN;
        }

        var atLast = Hypergeometric.Log(k, m, k + 1, d / (baseScale + tx)) - (k * Math.Log(baseScale + tx));
        var atEnd = Hypergeometric.Log(k, m, k + 1, d / (baseScale + age)) - (k * Math.Log(baseScale + age));
        return atLast - atEnd > MinimumLogGap ? LogMath.DiffExp(atLast, atEnd) : double.NaN;
    }

    // A₀ = (r+s+x)·∫_{t_x}^{T} (α+τ)^−(r+x)·(β+τ)^−(s+1) dτ: the chance of the purchases seen and of dying at τ after them.
    internal static double LogA0ByIntegral(int x, double tx, double age, double r, double alpha, double s, double beta)
    {
        double LogIntegrand(double tau) => (-(r + x) * Math.Log(alpha + tau)) - ((s + 1) * Math.Log(beta + tau));

        // The integrand falls fastest at first; past where either factor alone has fallen by e^50, nothing is left to add.
        var end = Math.Min(age, Math.Min(((alpha + tx) * Math.Exp(50 / (r + x))) - alpha, ((beta + tx) * Math.Exp(50 / (s + 1))) - beta));
        return Math.Log(r + s + x) + Quadrature.LogIntegral(LogIntegrand, tx, end, Math.Min(alpha, beta));
    }

    // ln P(n purchases, then death, within t) by Fader and Hardie (2006): prefactor · (B1 − Σ_{j≤n} B2_j), with B, m and
    // d as for A₀; NaN where the series would be slow. The difference loses relative digits only where it is tiny next
    // to 1, which a probability can afford.
    internal static double LogDiedBySeries(int n, double time, double r, double alpha, double s, double beta)
    {
        var (baseScale, m, d) = alpha >= beta ? (alpha, s + 1, alpha - beta) : (beta, r + n, beta - alpha);
        if (d / baseScale > SeriesLimit)
        {
            return double.NaN;
        }

        var c = r + s + n + 1;
        var logPrefactor = (r * Math.Log(alpha)) + (s * Math.Log(beta)) + BetaLn(r + n, s + 1) - BetaLn(r, s);
        var logB1 = Hypergeometric.Log(r + s, m, c, d / baseScale) - ((r + s) * Math.Log(baseScale));
        var logB2 = double.NegativeInfinity;
        for (var j = 0; j <= n; j++)
        {
            var term = GammaLn(r + s + j) - GammaLn(r + s) - GammaLn(j + 1) + (j * Math.Log(time))
                + Hypergeometric.Log(r + s + j, m, c, d / (baseScale + time)) - ((r + s + j) * Math.Log(baseScale + time));
            logB2 = LogMath.AddExp(logB2, term);
        }

        return double.IsNaN(logB1) || double.IsNaN(logB2) ? double.NaN : logPrefactor + LogMath.DiffExp(logB1, logB2);
    }

    // The same as the integral over the time of death τ of the density of dying then, s·β^s/(β+τ)^(s+1), times the NBD
    // probability of n purchases by τ.
    internal static double LogDiedByIntegral(int n, double time, double r, double alpha, double s, double beta)
    {
        var constant = Math.Log(s) + (s * Math.Log(beta)) + GammaLn(r + n) - GammaLn(r) - GammaLn(n + 1) + (r * Math.Log(alpha));
        return constant + Quadrature.LogIntegral(
            tau => -((s + 1) * Math.Log(beta + tau)) + (n == 0 ? 0 : n * Math.Log(tau)) - ((r + n) * Math.Log(alpha + tau)),
            0,
            time,
            Math.Min(alpha, beta));
    }
}
