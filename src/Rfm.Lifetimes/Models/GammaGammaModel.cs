using System.Collections.Immutable;
using Rfm.Lifetimes.Numerics;
using static MathNet.Numerics.SpecialFunctions;

namespace Rfm.Lifetimes;

/// <summary>
/// The Gamma-Gamma model of spend per purchase (Fader, Hardie and Lee 2005; Fader and Hardie 2013): each purchase's
/// money is Gamma(p, ν) around the customer's own mean, with ν ~ Gamma(q, γ) across customers, independent of how
/// often they buy.
/// </summary>
/// <remarks>It is fitted to the mean repeat spend m_x of the customers with at least one repeat purchase.</remarks>
public sealed class GammaGammaModel
{
    private static readonly string[] Names = ["p", "q", "gamma"];

    /// <summary>Makes the model from known parameters, e.g. published ones.</summary>
    /// <param name="p">The shape of the spend per purchase.</param>
    /// <param name="q">The shape of the distribution of ν across customers.</param>
    /// <param name="gamma">The scale of the distribution of ν across customers, in money.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not a finite number above 0.</exception>
    public GammaGammaModel(double p, double q, double gamma)
        : this([MaximumLikelihood.Positive(p, nameof(p)), MaximumLikelihood.Positive(q, nameof(q)), MaximumLikelihood.Positive(gamma, nameof(gamma))], null, null)
    {
    }

    private GammaGammaModel(double[] values, double?[]? errors, ModelEstimation? estimation)
    {
        (P, Q, Gamma) = (values[0], values[1], values[2]);
        Parameters = MaximumLikelihood.Parameters(Names, values, errors);
        Estimation = estimation;
    }

    /// <summary>The model's name: Gamma-Gamma.</summary>
    public string Name => "Gamma-Gamma";

    /// <summary>p: the shape of the spend per purchase.</summary>
    public double P { get; }

    /// <summary>q: the shape of the distribution of ν across customers.</summary>
    public double Q { get; }

    /// <summary>γ: the scale of the distribution of ν across customers.</summary>
    public double Gamma { get; }

    /// <summary>The parameters, in the papers' order: p, q, gamma.</summary>
    public ImmutableArray<ModelParameter> Parameters { get; }

    /// <summary>How the model was fitted; null when it was made from given parameters.</summary>
    public ModelEstimation? Estimation { get; }

    /// <summary>The mean spend per purchase across customers, pγ/(q − 1); null when q ≤ 1, where that mean is infinite.</summary>
    public double? PopulationMeanSpend => Q > 1 ? P * Gamma / (Q - 1) : null;

    /// <summary>
    /// The size of the frequency-spend correlation (<see cref="SpendFrequencyCorrelation"/>) above which the model's
    /// assumption of spend independent of frequency is in doubt: |r| above 0.3, a moderate correlation by the usual
    /// reading, is where the tool warns.
    /// </summary>
    /// <remarks>
    /// The model assumes spend per purchase independent of how often a customer buys; lifetimes' documentation asks
    /// for this correlation to be near 0. Below 0.3 in size, frequency explains under 9% of the variance of m_x.
    /// </remarks>
    public const double SpendFrequencyCorrelationThreshold = 0.3;

    /// <summary>
    /// The Pearson correlation between the repeat purchases x and the mean repeat spend m_x over the customers with
    /// x &gt; 0: the model assumes the two independent, so a value far from 0 (in size above
    /// <see cref="SpendFrequencyCorrelationThreshold"/>) puts its expected spend in doubt.
    /// </summary>
    /// <param name="customers">The customers (e.g. <see cref="CalibrationSummary.Customers"/>); those without repeat purchases are left out.</param>
    /// <returns>r, from −1 to 1; null when it is undefined: fewer than two repeat customers, or x or m_x the same for all of them.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customers"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">A repeat customer's mean repeat spend is 0 or less; the message names the customer and the value.</exception>
    public static double? SpendFrequencyCorrelation(IEnumerable<CustomerActivity> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var pairs = new List<(double X, double Spend)>();
        foreach (var customer in customers)
        {
            ArgumentNullException.ThrowIfNull(customer, nameof(customers));
            if (customer.RepeatPurchases > 0)
            {
                pairs.Add((customer.RepeatPurchases, PositiveSpend(customer, nameof(customers))));
            }
        }

        if (pairs.Count < 2)
        {
            return null;
        }

        var (meanX, meanSpend) = (pairs.Average(p => p.X), pairs.Average(p => p.Spend));
        double sxy = 0, sxx = 0, syy = 0;
        foreach (var (x, spend) in pairs)
        {
            var (dx, dy) = (x - meanX, spend - meanSpend);
            (sxy, sxx, syy) = (sxy + (dx * dy), sxx + (dx * dx), syy + (dy * dy));
        }

        // The clamp only takes off rounding error: |r| ≤ 1 exactly by the Cauchy-Schwarz inequality.
        return sxx > 0 && syy > 0 ? Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1) : null;
    }

    /// <summary>Fits the model by maximum likelihood to the customers with repeat purchases (the others carry no information on spend).</summary>
    /// <param name="customers">The customers (e.g. <see cref="CalibrationSummary.Customers"/>).</param>
    /// <param name="options">The penalty and iteration limit; default <see cref="FitOptions.Default"/>.</param>
    /// <returns>The fitted model; <see cref="ModelEstimation.Customers"/> counts the customers with repeat purchases.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customers"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// No customer has a repeat purchase, or one has a mean repeat spend of 0 or less (the model describes positive
    /// money only; the message names the customer and the value).
    /// </exception>
    /// <exception cref="ModelFitException">
    /// The search did not converge, a parameter ran off to 0 or infinity, or the data do not identify the parameters
    /// (a flat log-likelihood; a penalty helps).
    /// </exception>
    public static GammaGammaModel Fit(IEnumerable<CustomerActivity> customers, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(customers);
        options ??= FitOptions.Default;
        var groups = new Dictionary<(int X, double Spend), int>();
        var count = 0;
        foreach (var customer in customers)
        {
            ArgumentNullException.ThrowIfNull(customer, nameof(customers));
            if (customer.RepeatPurchases == 0)
            {
                continue;
            }

            var key = (customer.RepeatPurchases, PositiveSpend(customer, nameof(customers)));
            groups[key] = groups.GetValueOrDefault(key) + 1;
            count++;
        }

        if (count == 0)
        {
            throw new ArgumentException("The Gamma-Gamma model needs customers with repeat purchases to fit; there are none.", nameof(customers));
        }

        var data = groups.OrderBy(g => g.Key).ToArray();
        var meanSpend = data.Sum(g => g.Key.Spend * g.Value) / count;
        var estimate = MaximumLikelihood.Fit(
            "Gamma-Gamma",
            Names,
            theta => data.Sum(g => g.Value * LogLikelihood(g.Key.X, g.Key.Spend, theta[0], theta[1], theta[2])),
            [1, 1, meanSpend],
            count,
            options);
        return new GammaGammaModel(estimate.Parameters, estimate.StandardErrors, estimate.Estimation);
    }

    /// <summary>The log-likelihood of a repeat customer's mean spend m_x under the model.</summary>
    /// <param name="customer">A customer with at least one repeat purchase and a positive mean repeat spend.</param>
    /// <returns>ln f(m_x | x).</returns>
    /// <exception cref="ArgumentException">The customer has no repeat purchase, or a mean repeat spend of 0 or less.</exception>
    public double LogLikelihood(CustomerActivity customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        if (customer.RepeatPurchases == 0)
        {
            throw new ArgumentException($"Customer '{customer.CustomerId}': the spend model's likelihood needs a repeat purchase.", nameof(customer));
        }

        return LogLikelihood(customer.RepeatPurchases, PositiveSpend(customer, nameof(customer)), P, Q, Gamma);
    }

    /// <summary>
    /// The expected mean spend of the customer's future purchases given the history: (γ + x·m_x)·p/(p·x + q − 1), a
    /// weighting of the population mean and the customer's own; the population mean for a customer without repeat purchases.
    /// </summary>
    /// <param name="customer">The customer.</param>
    /// <returns>E(M | m_x, x).</returns>
    /// <exception cref="ArgumentException">The customer's mean repeat spend is 0 or less.</exception>
    /// <exception cref="InvalidOperationException">The customer has no repeat purchase and q ≤ 1 (the population's mean spend is infinite).</exception>
    public double ExpectedAverageSpend(CustomerActivity customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        if (customer.RepeatPurchases == 0)
        {
            return PopulationMeanSpend
                ?? throw new InvalidOperationException($"Customer '{customer.CustomerId}' has no repeat purchase, and with q = {Q:G6} ≤ 1 the population's mean spend is infinite.");
        }

        var spend = PositiveSpend(customer, nameof(customer));
        var x = customer.RepeatPurchases;
        var denominator = (P * x) + Q - 1;
        return denominator > 0
            ? P * (Gamma + (x * spend)) / denominator
            : throw new InvalidOperationException($"Customer '{customer.CustomerId}': with p·x + q ≤ 1 the expected spend is infinite.");
    }

    // A repeat customer's mean spend, which the model needs above 0.
    private static double PositiveSpend(CustomerActivity customer, string parameter)
    {
        var spend = customer.MeanRepeatSpend!.Value;
        return spend > 0
            ? (double)spend
            : throw new ArgumentException(
                $"Customer '{customer.CustomerId}': mean repeat spend {spend} is not above 0, and the Gamma-Gamma model describes positive money only; exclude non-positive amounts (the default transaction policy does).",
                parameter);
    }

    // ln f(m | x) = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + x·m).
    private static double LogLikelihood(int x, double spend, double p, double q, double gamma)
    {
        var px = p * x;
        return GammaLn(px + q) - GammaLn(px) - GammaLn(q) + (q * Math.Log(gamma)) + ((px - 1) * Math.Log(spend)) + (px * Math.Log(x)) - ((px + q) * Math.Log(gamma + (x * spend)));
    }
}
