using Rfm.Lifetimes.Numerics;
using static MathNet.Numerics.SpecialFunctions;

namespace Rfm.Lifetimes;

/// <summary>
/// The mathematics BG/NBD and MBG/NBD share: purchases at a Poisson rate λ ~ Gamma(r, α), and a chance p ~ Beta(a, b)
/// of leaving at each opportunity. BG/NBD's opportunities are the repeat purchases; MBG/NBD adds one at the first
/// purchase (time 0). With s such opening opportunities (0 or 1), a customer with x repeat purchases has passed x + s
/// of them, and every expression below is BG/NBD's with b + x shifted to b + x + s.
/// </summary>
internal sealed class BetaGeometricNbd(double r, double alpha, double a, double b, int opening, string name)
{
    // Beyond this argument the hypergeometric series needs tens of thousands of terms; the integral is then cheaper.
    private const double SeriesLimit = 0.999;

    public double LogLikelihood(CustomerActivity customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var x = customer.RepeatPurchases;
        return CommonTerm(x, r, a, b, opening) + (r * Math.Log(alpha))
            + LikelihoodTail(x, customer.TimeOfLastPurchase, customer.Age, r, alpha, opening, Math.Log(a) - Math.Log(b + x + opening - 1));
    }

    public double ProbabilityAlive(CustomerActivity customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var (x, tx, age) = (customer.RepeatPurchases, customer.TimeOfLastPurchase, customer.Age);
        if (x + opening == 0)
        {
            return 1;
        }

        // P(alive) = 1 / (1 + a/(b+x+s−1)·((α+T)/(α+t_x))^(r+x)).
        var logDeadOdds = Math.Log(a) - Math.Log(b + x + opening - 1) + ((r + x) * (Math.Log(alpha + age) - Math.Log(alpha + tx)));
        return 1 / (1 + Math.Exp(logDeadOdds));
    }

    public double ExpectedPurchasesIfAlive(CustomerActivity customer, double time)
    {
        ArgumentNullException.ThrowIfNull(customer);
        PurchaseModels.CheckTime(time);
        var x = customer.RepeatPurchases;

        // Given alive, λ ~ Gamma(r+x, α+T) and p ~ Beta(a, b+x+s) (FHL 2005, eq. 10; Batislam et al. 2007).
        return time == 0 ? 0 : PurchaseModels.Finite(ExpectedPurchasesIfAlive(r + x, b + x + opening, alpha + customer.Age, time), name, "expected purchases");
    }

    public double ExpectedPurchases(double time)
    {
        PurchaseModels.CheckTime(time);
        if (time == 0)
        {
            return 0;
        }

        // A new customer is alive after the opening opportunities with chance E[(1−p)^s] = B(a, b+s)/B(a, b), and then
        // p ~ Beta(a, b+s).
        var survived = opening == 0 ? 1 : Math.Exp(BetaLn(a, b + opening) - BetaLn(a, b));
        return PurchaseModels.Finite(survived * ExpectedPurchasesIfAlive(r, b + opening, alpha, time), name, "expected purchases");
    }

    public double ProbabilityOfPurchases(int purchases, double time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(purchases);
        PurchaseModels.CheckTime(time);
        var n = purchases;
        if (time == 0)
        {
            return n == 0 ? 1 : 0;
        }

        // FHL 2005, eq. 8 (and its MBG/NBD form): alive throughout with n NBD purchases, or n purchases and then
        // dropping out at the last opportunity passed.
        var logP = Math.Log(time / (alpha + time));
        var logQ = Math.Log(alpha / (alpha + time));
        var lnBab = BetaLn(a, b);
        var alive = Math.Exp(BetaLn(a, b + n + opening) - lnBab + GammaLn(r + n) - GammaLn(r) - GammaLn(n + 1) + (r * logQ) + (n * logP));
        if (n + opening == 0)
        {
            return alive;
        }

        // The bracket 1 − Σ_{j<n} NBD(j) is the NBD's upper tail, P(N ≥ n) = I_{t/(α+t)}(n, r); 1 for n = 0.
        var tail = n == 0 ? 1 : BetaRegularized(n, r, time / (alpha + time));
        var died = Math.Exp(BetaLn(a + 1, b + n + opening - 1) - lnBab) * tail;
        return PurchaseModels.Probability(alive + died, name, "probability of purchases");
    }

    /// <summary>
    /// Σ_{k=1..H} δ^k·[E(k) − E(k−1)] of a customer alive now, at a cost that does not grow with H; NaN where the
    /// quadrature does not settle.
    /// </summary>
    public double DiscountedPurchasesIfAlive(CustomerActivity customer, int horizon, double logDiscount)
    {
        // Given alive, λ ~ Gamma(r+x, α+T) and p ~ Beta(a, b+x+s), and a customer of rates λ, p buys on average
        // e^(−λp(k−1))·(1 − e^(−λp))/p in unit k: λ times the units' series at w = λp. With λ = v/(α+T), the mean of
        // v·f(v) over Gamma(r+x) is (r+x) times the mean of f over Gamma(r+x+1).
        var (shape, scale, dropout) = (r + customer.RepeatPurchases, alpha + customer.Age, b + customer.RepeatPurchases + opening);
        return shape / scale * DoubleExponential.Converge(h =>
        {
            var (overP, overV) = (DoubleExponential.Beta(a, dropout, h), DoubleExponential.Gamma(shape + 1, h));
            return overP.Mean(p => overV.Mean(v => PurchaseModels.DiscountedUnits(v * p / scale, horizon, logDiscount)));
        });
    }

    /// <summary>The log-likelihood of the data at parameters θ, summed over the distinct histories.</summary>
    public static double LogLikelihood(CustomerGroups groups, double r, double alpha, double a, double b, int opening)
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
                (common[x], dropout[x], known[x]) = (CommonTerm(x, r, a, b, opening) + (r * logAlpha), Math.Log(a) - Math.Log(b + x + opening - 1), true);
            }

            sum += groups.Weight[i] * (common[x] + LikelihoodTail(x, groups.Tx[i], groups.Age[i], r, alpha, opening, dropout[x]));
        }

        return sum;
    }

    // Where the series would need tens of thousands of terms (t a thousand times the scale or more): the mean over λ ~ Gamma(k, s) and
    // p ~ Beta(a, m) of (1 − e^(−λpt))/p, which is λt times the fading at w = λpt.
    public static double ExpectedPurchasesByIntegral(double a, double k, double m, double scale, double time) =>
        k / scale * time * DoubleExponential.Converge(h =>
        {
            var (overP, overV) = (DoubleExponential.Beta(a, m, h), DoubleExponential.Gamma(k + 1, h));
            return overP.Mean(p => overV.Mean(v => PurchaseModels.Fading(v * p * time / scale)));
        });

    // ln Γ(r+x) − ln Γ(r) + ln B(a, b+x+s) − ln B(a, b): the part of ln L that depends on x alone.
    private static double CommonTerm(int x, double r, double a, double b, int opening) =>
        GammaLn(r + x) - GammaLn(r) + BetaLn(a, b + x + opening) - BetaLn(a, b);

    // ln[(α+T)^−(r+x) + δ(x+s>0)·a/(b+x+s−1)·(α+t_x)^−(r+x)], with ln(a/(b+x+s−1)) given.
    private static double LikelihoodTail(int x, double tx, double age, double r, double alpha, int opening, double logDropout)
    {
        var stayed = -(r + x) * Math.Log(alpha + age);
        return x + opening == 0 ? stayed : LogMath.AddExp(stayed, logDropout - ((r + x) * Math.Log(alpha + tx)));
    }

    // (a+m−1)/(a−1)·[1 − (s/(s+t))^k · ₂F₁(k, m; a+m−1; t/(s+t))], with k = r+x, m = b+x+s, s = α+T: the purchases
    // expected in the next t of a customer alive now (FHL 2005, eqs. 9 and 10). Its singular points, a = 1 and
    // a + m = 1, are removable: there it is the mean of two close points either side.
    private double ExpectedPurchasesIfAlive(double k, double m, double scale, double time)
    {
        const double near = 1e-6;
        return Math.Abs(a - 1) > near && Math.Abs(a + m - 1) > near
            ? ExpectedPurchasesIfAlive(a, k, m, scale, time)
            : (ExpectedPurchasesIfAlive(a - near, k, m, scale, time) + ExpectedPurchasesIfAlive(a + near, k, m, scale, time)) / 2;
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
}
