using System.Collections.Immutable;

namespace Rfm.Lifetimes;

/// <summary>
/// A model of how often customers buy and when they silently leave ("buy till you die"): BG/NBD, MBG/NBD or Pareto/NBD.
/// Times are in the unit of the summary the model was fitted to.
/// </summary>
public interface IPurchaseModel
{
    /// <summary>The model's name as the literature writes it: BG/NBD, MBG/NBD or Pareto/NBD.</summary>
    string Name { get; }

    /// <summary>The parameters, in the papers' order.</summary>
    ImmutableArray<ModelParameter> Parameters { get; }

    /// <summary>How the model was fitted; null when it was made from given parameters.</summary>
    ModelEstimation? Estimation { get; }

    /// <summary>The log-likelihood of one customer's calibration history under the model.</summary>
    /// <param name="customer">The customer.</param>
    /// <returns>ln L(x, t_x, T).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customer"/> is null.</exception>
    /// <exception cref="ArithmeticException">A series or integral does not converge for these parameters and this input (scales orders of magnitude apart, or a time far beyond them).</exception>
    double LogLikelihood(CustomerActivity customer);

    /// <summary>P(alive): the probability that the customer is still active at the end of calibration.</summary>
    /// <param name="customer">The customer.</param>
    /// <returns>A probability in [0, 1].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customer"/> is null.</exception>
    /// <exception cref="ArithmeticException">A series or integral does not converge for these parameters and this input (scales orders of magnitude apart, or a time far beyond them).</exception>
    double ProbabilityAlive(CustomerActivity customer);

    /// <summary>The expected purchases of the customer in the next <paramref name="time"/> after the end of calibration, given the history.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="time">The length of the period, 0 or more.</param>
    /// <returns>E[Y(t) | x, t_x, T].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="time"/> is negative or not finite.</exception>
    /// <exception cref="ArithmeticException">A series or integral does not converge for these parameters and this input (scales orders of magnitude apart, or a time far beyond them).</exception>
    double ExpectedPurchases(CustomerActivity customer, double time);

    /// <summary>
    /// The expected purchases in the next <paramref name="time"/> after the end of calibration of the customer if still
    /// alive then: <see cref="ExpectedPurchases(CustomerActivity, double)"/> is this times <see cref="ProbabilityAlive"/>.
    /// </summary>
    /// <param name="customer">The customer.</param>
    /// <param name="time">The length of the period, 0 or more.</param>
    /// <returns>E[Y(t) | alive, x, t_x, T].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="time"/> is negative or not finite.</exception>
    /// <exception cref="ArithmeticException">A series or integral does not converge for these parameters and this input (scales orders of magnitude apart, or a time far beyond them).</exception>
    double ExpectedPurchasesIfAlive(CustomerActivity customer, double time);

    /// <summary>The expected purchases of a new customer in their first <paramref name="time"/> (the first purchase not counted).</summary>
    /// <param name="time">The length of the period, 0 or more.</param>
    /// <returns>E[X(t)].</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="time"/> is negative or not finite.</exception>
    /// <exception cref="ArithmeticException">A series or integral does not converge for these parameters and this input (scales orders of magnitude apart, or a time far beyond them).</exception>
    double ExpectedPurchases(double time);

    /// <summary>The probability that a new customer makes exactly <paramref name="purchases"/> repeat purchases in their first <paramref name="time"/>.</summary>
    /// <param name="purchases">The number of purchases, 0 or more.</param>
    /// <param name="time">The length of the period, 0 or more.</param>
    /// <returns>P(X(t) = n).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="purchases"/> is negative, or <paramref name="time"/> is negative or not finite.</exception>
    /// <exception cref="ArithmeticException">A series or integral does not converge for these parameters and this input (scales orders of magnitude apart, or a time far beyond them).</exception>
    double ProbabilityOfPurchases(int purchases, double time);
}
