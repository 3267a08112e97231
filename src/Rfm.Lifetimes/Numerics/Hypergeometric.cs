namespace Rfm.Lifetimes.Numerics;

/// <summary>The Gauss hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z &lt; 1, summed as its power series.</summary>
/// <remarks>
/// The models only need real z in [0, 1), where the series converges. The sum is kept with a separate power of ten so that
/// values far beyond <see cref="double.MaxValue"/> (customers with thousands of purchases) stay representable as logarithms.
/// </remarks>
internal static class Hypergeometric
{
    // Enough for z up to about 0.9995; beyond that the caller gets NaN and says what it was computing.
    private const int MaxTerms = 100_000;
    private const double Rescale = 1e200;
    private static readonly double LogRescale = Math.Log(Rescale);

    /// <summary>ln ₂F₁(a, b; c; z) for a, b, c &gt; 0 and 0 ≤ z &lt; 1 (every term positive); NaN when the series does not settle.</summary>
    public static double Log(double a, double b, double c, double z)
    {
        var (logAbs, sign) = Series(a, b, c, z);
        return sign > 0 ? logAbs : double.NaN;
    }

    /// <summary>₂F₁(a, b; c; z) for 0 ≤ z &lt; 1 and c not 0, -1, -2, ...; NaN when the series does not settle or overflows.</summary>
    public static double Value(double a, double b, double c, double z)
    {
        var (logAbs, sign) = Series(a, b, c, z);
        return sign == 0 ? double.NaN : sign * Math.Exp(logAbs);
    }

    // Returns ln|₂F₁| and its sign (0 when undefined or not converged).
    private static (double LogAbs, int Sign) Series(double a, double b, double c, double z)
    {
        if (!(z >= 0 && z < 1) || (c <= 0 && c == Math.Floor(c)))
        {
            return (double.NaN, 0);
        }

        if (z == 0)
        {
            return (0, 1);
        }

        double term = 1, sum = 1, scale = 0;
        for (var n = 0; n < MaxTerms; n++)
        {
            var ratio = (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            term *= ratio;
            sum += term;
            if (Math.Abs(sum) > Rescale)
            {
                (term, sum, scale) = (term / Rescale, sum / Rescale, scale + LogRescale);
            }

            // Once the terms shrink geometrically, the rest of the series is below term·ratio/(1 - ratio).
            var next = Math.Abs((a + n + 1) * (b + n + 1) / ((c + n + 1) * (n + 2)) * z);
            if (next < 1 && Math.Abs(term) * next / (1 - next) <= 1e-17 * Math.Abs(sum))
            {
                return sum == 0 ? (double.NegativeInfinity, 1) : (Math.Log(Math.Abs(sum)) + scale, Math.Sign(sum));
            }

            if (!double.IsFinite(sum))
            {
                return (double.NaN, 0);
            }
        }

        return (double.NaN, 0);
    }
}
