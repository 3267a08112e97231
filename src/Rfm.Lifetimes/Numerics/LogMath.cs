namespace Rfm.Lifetimes.Numerics;

/// <summary>Sums and differences of numbers held as logarithms, without overflow or lost digits.</summary>
internal static class LogMath
{
    /// <summary>ln(e^a + e^b).</summary>
    public static double AddExp(double a, double b)
    {
        if (double.IsNegativeInfinity(a))
        {
            return b;
        }

        if (double.IsNegativeInfinity(b))
        {
            return a;
        }

        return Math.Max(a, b) + Log1P(Math.Exp(-Math.Abs(a - b)));
    }

    /// <summary>ln(e^a - e^b) for a ≥ b; negative infinity when a ≤ b (equal, or apart by rounding alone).</summary>
    public static double DiffExp(double a, double b) => a <= b ? double.NegativeInfinity : a + Log1P(-Math.Exp(b - a));

    /// <summary>ln(1 + x), exact to the last digits for small x (Math.Log(1 + x) is not).</summary>
    public static double Log1P(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>e^x - 1, exact to the last digits for small x.</summary>
    public static double ExpM1(double x)
    {
        var u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }

        var um1 = u - 1.0;
        return um1 == -1.0 ? -1.0 : um1 * x / Math.Log(u);
    }

    /// <summary>(1 - e^(k·l)) / k, with its limit -l at k = 0: the integral behind the Pareto/NBD expectations when s → 1.</summary>
    public static double OneMinusExpOver(double k, double l) => Math.Abs(k * l) < 1e-12 ? -l : -ExpM1(k * l) / k;
}
