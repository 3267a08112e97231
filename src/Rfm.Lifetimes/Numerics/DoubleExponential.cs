using static MathNet.Numerics.SpecialFunctions;

namespace Rfm.Lifetimes.Numerics;

/// <summary>
/// Means of smooth bounded functions over Gamma and Beta variables, by the double-exponential substitution and the
/// trapezoid rule: the weights fall double-exponentially at both ends, singular ends of the densities included, so the
/// rule converges fast whatever the shapes. Steps are halved until two agree.
/// </summary>
internal static class DoubleExponential
{
    private const double HalfPi = Math.PI / 2;
    private const int MinLevels = 3;
    private const int MaxLevels = 9;

    // Halving the step about squares the rule's error (it falls as e^(−c/h)): two steps that agree to 1e-7 leave the
    // finer one exact to about 1e-14.
    private const double Tolerance = 1e-7;

    // Weights below e^-39 (1e-17) of the largest add nothing to a bounded function's mean; beyond |t| = 12 every
    // weight has underflowed.
    private const double NegligibleLog = 39;
    private const double MaxT = 12;

    /// <summary>The value of <paramref name="sum"/> over ever finer steps h, once two agree; NaN when they do not.</summary>
    public static double Converge(Func<double, double> sum)
    {
        var previous = double.NaN;
        var h = 0.25;
        for (var level = 0; level < MaxLevels; level++, h /= 2)
        {
            var value = sum(h);
            if (!double.IsFinite(value))
            {
                return double.NaN;
            }

            if (level + 1 >= MinLevels && Math.Abs(value - previous) <= Tolerance * Math.Abs(value))
            {
                return value;
            }

            previous = value;
        }

        return double.NaN;
    }

    /// <summary>Points and weights at step h for the mean over v ~ Gamma(shape, 1): E[f(v)] ≈ Σ wᵢ·f(vᵢ).</summary>
    public static Rule Gamma(double shape, double h)
    {
        var logNorm = Math.Log(h) - GammaLn(shape);

        // v = e^u with u = (π/2)·sinh t.
        return Build(t =>
        {
            var u = HalfPi * Math.Sinh(t);
            var v = Math.Exp(u);
            return (v, (shape * u) - v + logNorm + Math.Log(HalfPi * Math.Cosh(t)));
        }, h);
    }

    /// <summary>Points and weights at step h for the mean over p ~ Beta(a, b): E[f(p)] ≈ Σ wᵢ·f(pᵢ).</summary>
    public static Rule Beta(double a, double b, double h)
    {
        var logNorm = Math.Log(h) - BetaLn(a, b);

        // p = 1/(1 + e^−2y) with y = (π/2)·sinh t; ln p and ln(1 − p) kept exact near either end.
        return Build(t =>
        {
            var y = HalfPi * Math.Sinh(t);
            var logP = y < 0 ? (2 * y) - LogMath.Log1P(Math.Exp(2 * y)) : -LogMath.Log1P(Math.Exp(-2 * y));
            var logQ = y > 0 ? (-2 * y) - LogMath.Log1P(Math.Exp(-2 * y)) : -LogMath.Log1P(Math.Exp(2 * y));
            return (Math.Exp(logP), (a * logP) + (b * logQ) + logNorm + Math.Log(Math.PI * Math.Cosh(t)));
        }, h);
    }

    // The nodes t = j·h outward from 0 while their weights matter: the log-weights rise to one peak and fall after it.
    private static Rule Build(Func<double, (double Point, double LogWeight)> node, double h)
    {
        var nodes = new List<(double Point, double LogWeight)> { node(0) };
        var peak = nodes[0].LogWeight;
        var complete = true;
        foreach (var direction in (ReadOnlySpan<int>)[1, -1])
        {
            var last = nodes[0].LogWeight;
            var ended = false;
            for (var j = 1; j * h <= MaxT && !ended; j++)
            {
                var next = node(direction * j * h);
                nodes.Add(next);
                peak = Math.Max(peak, next.LogWeight);
                ended = next.LogWeight < last && next.LogWeight < peak - NegligibleLog;
                last = next.LogWeight;
            }

            complete &= ended;
        }

        // Weight left beyond |t| = 12 (a shape so small that the mass lies below e^−127000): no rule, not a wrong one.
        if (!complete || !double.IsFinite(peak))
        {
            return new Rule([double.NaN], [double.NaN]);
        }

        var kept = nodes.Where(n => n.LogWeight >= peak - NegligibleLog).ToArray();
        return new Rule([.. kept.Select(n => n.Point)], [.. kept.Select(n => Math.Exp(n.LogWeight))]);
    }

    /// <summary>A quadrature rule: the mean of f is Σ Weights[i]·f(Points[i]).</summary>
    internal sealed record Rule(double[] Points, double[] Weights)
    {
        public double Mean(Func<double, double> f)
        {
            double sum = 0;
            for (var i = 0; i < Points.Length; i++)
            {
                sum += Weights[i] * f(Points[i]);
            }

            return sum;
        }
    }
}
