using Rfm.Lifetimes.Numerics;

namespace Rfm.Lifetimes;

/// <summary>What the purchase models share: fitting over the distinct histories, and their checks.</summary>
internal static class PurchaseModels
{
    /// <summary>Fits a purchase model's parameters by maximum likelihood over the customers' distinct histories.</summary>
    public static MaximumLikelihood.Estimate Fit(
        IEnumerable<CustomerActivity> customers, FitOptions? options, string model, string[] names, Func<CustomerGroups, double[], double> logLikelihood, Func<CustomerGroups, double[]> start)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var groups = CustomerGroups.Of(customers);
        CheckFittable(groups, model);
        return MaximumLikelihood.Fit(model, names, theta => logLikelihood(groups, theta), start(groups), groups.Customers, options ?? FitOptions.Default);
    }

    private static void CheckFittable(CustomerGroups groups, string model)
    {
        if (groups.Customers == 0)
        {
            throw new ArgumentException($"The {model} model needs customers to fit; there are none.", "customers");
        }

        if (groups.MaxX == 0)
        {
            throw new ArgumentException($"The {model} model needs customers with repeat purchases to fit; none of the {groups.Customers:N0} has one.", "customers");
        }
    }

    /// <summary>
    /// Σ_{k=1..H} δ^k·e^(−w(k−1))·(1 − e^(−w))/w with ln δ = <paramref name="logDiscount"/>: the discounted purchases
    /// over H units of a customer of known rates, per unit of the purchase rate, where w is the rate at which the
    /// customer's purchases fade (μ for Pareto/NBD, λp for BG/NBD). The geometric series in closed form.
    /// </summary>
    public static double DiscountedUnits(double w, int horizon, double logDiscount)
    {
        var fading = Fading(w);
        var logRatio = logDiscount - w;
        var series = logRatio == 0 ? horizon : OneMinusExp(horizon * logRatio) / OneMinusExp(logRatio);
        return Math.Exp(logDiscount) * fading * series;
    }

    /// <summary>(1 − e^(−w))/w, 1 at w = 0: what a customer of known rates buys over a unit of time, per unit of the purchase rate.</summary>
    public static double Fading(double w) => w == 0 ? 1 : OneMinusExp(-w) / w;

    // 1 − e^x for x ≤ 0: directly where that loses no digits worth having, else by e^x − 1 done exactly.
    private static double OneMinusExp(double x) => x < -1e-3 ? 1 - Math.Exp(x) : -LogMath.ExpM1(x);

    public static void CheckTime(double time)
    {
        if (!(double.IsFinite(time) && time >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, "The time must be finite and 0 or more.");
        }
    }

    // A quantity that came out NaN or infinite is an error naming what was computed, never a value.
    public static double Finite(double value, string model, string what) =>
        double.IsFinite(value)
            ? value
            : throw new ArithmeticException($"The {model} {what} could not be computed for these parameters and this history: a series or integral did not converge (parameters orders of magnitude apart, or a time far beyond their scale).");

    // A probability may stray from [0, 1] by rounding alone; more than that is an error, not something to clamp.
    public static double Probability(double value, string model, string what)
    {
        const double rounding = 1e-12;
        Finite(value, model, what);
        return value is >= -rounding and <= 1 + rounding
            ? Math.Clamp(value, 0, 1)
            : throw new ArithmeticException($"The {model} {what} came out as {value}, outside [0, 1]: the parameters are beyond what the expressions compute accurately.");
    }
}
