using MathNet.Numerics;

namespace Rfm.Lifetimes.Numerics;

/// <summary>Integrals of positive functions given by their logarithm, for where a hypergeometric series converges too slowly.</summary>
internal static class Quadrature
{
    private const int ScaleSamples = 64;
    private const double MaximumRelativeError = 1e-6;

    /// <summary>
    /// ln ∫ e^logIntegrand(τ) dτ over [from, to] for an integrand made of powers of (shift + τ) and similar factors: it
    /// is integrated over u = ln(shift + τ), where such factors are smooth however small the shift, by adaptive
    /// Gauss-Kronrod, scaled by its largest value on a grid so that it neither overflows nor underflows. NaN when the
    /// rule's own error estimate exceeds 1e-6 of the value (it is usually below 1e-12).
    /// </summary>
    public static double LogIntegral(Func<double, double> logIntegrand, double from, double to, double shift)
    {
        if (!(to > from))
        {
            return double.NegativeInfinity;
        }

        // dτ = e^u du; τ = e^u − shift may round to just below `from` at the lower end.
        double LogInU(double u) => logIntegrand(Math.Max(from, Math.Exp(u) - shift)) + u;
        var (low, high) = (Math.Log(shift + from), Math.Log(shift + to));
        var (scale, peak) = (double.NegativeInfinity, low);
        for (var i = 0; i <= ScaleSamples; i++)
        {
            var u = low + ((high - low) * i / ScaleSamples);
            var value = LogInU(u);
            if (double.IsNaN(value))
            {
                return double.NaN;
            }

            (scale, peak) = value > scale ? (value, u) : (scale, peak);
        }

        if (!double.IsFinite(scale))
        {
            return scale;
        }

        // Split at the highest point found, so that each part rises or falls alone: Gauss-Kronrod then converges fast
        // even on the narrow peak of a probability of hundreds of purchases.
        var (integral, error) = (0.0, 0.0);
        foreach (var (a, b) in new[] { (low, peak), (peak, high) })
        {
            if (b > a)
            {
                integral += Integrate.GaussKronrod(u => Math.Exp(LogInU(u) - scale), a, b, out var partError, out _, 1e-11, 15, 21);
                error += partError;
            }
        }

        return integral > 0 && error <= MaximumRelativeError * integral ? Math.Log(integral) + scale : double.NaN;
    }
}
