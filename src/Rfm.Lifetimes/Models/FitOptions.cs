namespace Rfm.Lifetimes;

/// <summary>How a model is fitted by maximum likelihood.</summary>
public sealed record FitOptions
{
    /// <summary>The default: no penalty, up to 1,000 iterations.</summary>
    public static FitOptions Default { get; } = new();

    /// <summary>
    /// The L2 penalty coefficient λ: the fit maximises the mean log-likelihood per customer − λ·Σ(ln θ)² over the
    /// parameters θ, which keeps them finite, above 0 and unique on data that barely identify them (few customers or
    /// few repeat buyers). 0, the default, is plain maximum likelihood.
    /// </summary>
    /// <remarks>
    /// The penalty pulls each parameter toward 1. The scale parameters carry units (α and β time, γ money), so the
    /// same λ pulls them differently in days and in weeks, or in cents and in dollars; choose it for the data's units.
    /// Being per customer, λ means the same for a hundred customers as for a million.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double Penalty
    {
        get;
        init => field = double.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The penalty must be 0 or more.");
    }

    /// <summary>The most iterations of each stage of the search (BFGS, Nelder-Mead) before the fit is declared not converged.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxIterations
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "At least one iteration.");
    } = 1000;
}
