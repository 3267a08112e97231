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

    private ParetoNbdModel(MaximumLikelihood.Estimate estimate)
        : this(estimate.Parameters, estimate.StandardErrors, estimate.Estimation)
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
    /// <exception cref="ModelFitException">The search did not converge, or a parameter ran off to 0 or infinity.</exception>
    public static ParetoNbdModel Fit(IEnumerable<CustomerActivity> customers, FitOptions? options = null) =>
        new(PurchaseModels.Fit(customers, options, "Pareto/NBD", Names, (groups, theta) => LogLikelihood(groups, theta[0], theta[1], theta[2], theta[3]), groups => [1, Math.Max(groups.MeanAge, 1e-3), 1, Math.Max(groups.MeanAge, 1e-3)]));

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
    public double ExpectedPurchases(CustomerActivity customer, double time)
    {
        ArgumentNullException.ThrowIfNull(customer);
        PurchaseModels.CheckTime(time);
        var (x, age) = (customer.RepeatPurchases, customer.Age);
        // (r+x)(β+T)/((α+T)(s−1))·[1 − ((β+T)/(β+T+t))^(s−1)]·P(alive), with its limit at s = 1.
        var rate = (R + x) / (Alpha + age) * (Beta + age) * LogMath.OneMinusExpOver(S - 1, Math.Log((Beta + age) / (Beta + age + time)));
        return PurchaseModels.Finite(rate * ProbabilityAlive(customer), Name, "expected purchases");
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

        // ... or n purchases before dying within t (Fader and Hardie 2006): prefactor · (B1 − Σ_{j≤n} B2_j).
        var (baseScale, m, d) = Alpha >= Beta ? (Alpha, S + 1, Alpha - Beta) : (Beta, R + n, Beta - Alpha);
        var c = R + S + n + 1;
        var logPrefactor = (R * Math.Log(Alpha)) + (S * Math.Log(Beta)) + BetaLn(R + n, S + 1) - BetaLn(R, S);
        var logB1 = Hypergeometric.Log(R + S, m, c, d / baseScale) - ((R + S) * Math.Log(baseScale));
        var logB2 = double.NegativeInfinity;
        for (var j = 0; j <= n; j++)
        {
            var term = GammaLn(R + S + j) - GammaLn(R + S) - GammaLn(j + 1) + (j * Math.Log(time))
                + Hypergeometric.Log(R + S + j, m, c, d / (baseScale + time)) - ((R + S + j) * Math.Log(baseScale + time));
            logB2 = LogMath.AddExp(logB2, term);
        }

        // B1 ≥ Σ B2 in exact arithmetic; rounding can leave a difference of a few ulps below zero.
        var died = logB1 > logB2 ? Math.Exp(logPrefactor + LogMath.DiffExp(logB1, logB2)) : 0;
        return PurchaseModels.Finite(Math.Clamp(alive + died, 0, 1), Name, "probability of purchases");
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

    // ln A₀ = ln[₂F₁(k, m; k+1; d/(B+t_x))/(B+t_x)^k − ₂F₁(k, m; k+1; d/(B+T))/(B+T)^k], k = r+s+x, with B, m and d by
    // whether α ≥ β, so that the series' argument lies in [0, 1).
    private static double LogA0(int x, double tx, double age, double r, double alpha, double s, double beta)
    {
        var k = r + s + x;
        var (baseScale, m, d) = alpha >= beta ? (alpha, s + 1, alpha - beta) : (beta, r + x, beta - alpha);
        var atLast = Hypergeometric.Log(k, m, k + 1, d / (baseScale + tx)) - (k * Math.Log(baseScale + tx));
        var atEnd = Hypergeometric.Log(k, m, k + 1, d / (baseScale + age)) - (k * Math.Log(baseScale + age));
        return LogMath.DiffExp(atLast, atEnd);
    }
}
