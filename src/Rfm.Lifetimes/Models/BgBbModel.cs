using System.Collections.Immutable;
using Rfm.Lifetimes.Numerics;
using static MathNet.Numerics.SpecialFunctions;

namespace Rfm.Lifetimes;

/// <summary>
/// The BG/BB model (Fader, Hardie and Shang 2010, "Customer-Base Analysis in a Discrete-Time Noncontractual Setting"):
/// transactions can happen only at discrete opportunities (a yearly appeal, an annual event). While alive, a customer
/// transacts at each opportunity with probability p ~ Beta(α, β); at the start of each opportunity an alive customer
/// leaves, unseen, with probability θ ~ Beta(γ, δ).
/// </summary>
/// <remarks>
/// It reads <see cref="DiscreteActivity"/> histories (x, t_x, n), not the continuous-time <see cref="CustomerActivity"/>.
/// Every quantity is computed in log space or from exact recurrences; none returns NaN or infinity for valid input.
/// </remarks>
public sealed class BgBbModel
{
    private static readonly string[] Names = ["alpha", "beta", "gamma", "delta"];

    /// <summary>Makes the model from known parameters, e.g. published ones.</summary>
    /// <param name="alpha">α: the first shape of the distribution of the transaction probability p.</param>
    /// <param name="beta">β: the second shape of the distribution of the transaction probability p.</param>
    /// <param name="gamma">γ: the first shape of the distribution of the dropout probability θ.</param>
    /// <param name="delta">δ: the second shape of the distribution of the dropout probability θ.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not a finite number above 0.</exception>
    public BgBbModel(double alpha, double beta, double gamma, double delta)
        : this([MaximumLikelihood.Positive(alpha, nameof(alpha)), MaximumLikelihood.Positive(beta, nameof(beta)), MaximumLikelihood.Positive(gamma, nameof(gamma)), MaximumLikelihood.Positive(delta, nameof(delta))], null, null)
    {
    }

    private BgBbModel(double[] values, double?[]? errors, ModelEstimation? estimation)
    {
        (Alpha, Beta, Gamma, Delta) = (values[0], values[1], values[2], values[3]);
        Parameters = MaximumLikelihood.Parameters(Names, values, errors);
        Estimation = estimation;
    }

    /// <summary>The model's name: BG/BB.</summary>
    public string Name => "BG/BB";

    /// <summary>α: the first shape of the distribution of the transaction probability p.</summary>
    public double Alpha { get; }

    /// <summary>β: the second shape of the distribution of the transaction probability p.</summary>
    public double Beta { get; }

    /// <summary>γ: the first shape of the distribution of the dropout probability θ.</summary>
    public double Gamma { get; }

    /// <summary>δ: the second shape of the distribution of the dropout probability θ.</summary>
    public double Delta { get; }

    /// <summary>The parameters, in the paper's order: alpha, beta, gamma, delta.</summary>
    public ImmutableArray<ModelParameter> Parameters { get; }

    /// <summary>How the model was fitted; null when it was made from given parameters.</summary>
    public ModelEstimation? Estimation { get; }

    /// <summary>Fits the model to histories by maximum likelihood.</summary>
    /// <param name="histories">The histories, each with the customers who share it; equal histories may also come apart.</param>
    /// <param name="options">The penalty and iteration limit; default <see cref="FitOptions.Default"/>.</param>
    /// <returns>The fitted model, with its <see cref="Estimation"/> and standard errors.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="histories"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException">
    /// There is no customer, no customer with a transaction, or no customer who missed an opportunity (the likelihood
    /// then has no maximum).
    /// </exception>
    /// <exception cref="OverflowException">The customers number more than <see cref="int.MaxValue"/>.</exception>
    /// <exception cref="ModelFitException">
    /// The search did not converge, a parameter ran off to 0 or infinity, or the data do not identify the parameters
    /// (a flat log-likelihood; a penalty helps).
    /// </exception>
    public static BgBbModel Fit(IEnumerable<DiscreteActivity> histories, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var groups = new Dictionary<(int X, int Tx, int N), int>();
        var customers = 0;
        foreach (var history in histories)
        {
            ArgumentNullException.ThrowIfNull(history, nameof(histories));
            var key = (history.Transactions, history.LastTransaction, history.Opportunities);
            groups[key] = checked(groups.GetValueOrDefault(key) + history.Customers);
            customers = checked(customers + history.Customers);
        }

        if (customers == 0)
        {
            throw new ArgumentException("The BG/BB model needs customers to fit; there are none.", nameof(histories));
        }

        if (groups.Keys.All(k => k.X == 0))
        {
            throw new ArgumentException($"The BG/BB model needs customers with transactions to fit; none of the {customers:N0} has one.", nameof(histories));
        }

        if (groups.Keys.All(k => k.X == k.N))
        {
            // L = 1 is reached only in the limit p → 1, θ → 0: no estimate exists.
            throw new ArgumentException(
                $"The BG/BB model needs a customer who missed an opportunity; every one of the {customers:N0} transacted at every opportunity observed, which only p = 1 and θ = 0 describe.", nameof(histories));
        }

        var keys = groups.Keys.Order().ToArray();
        var weights = keys.Select(k => (double)groups[k]).ToArray();
        double Total(double[] theta)
        {
            double sum = 0;
            for (var i = 0; i < keys.Length; i++)
            {
                sum += weights[i] * LogLikelihood(keys[i].X, keys[i].Tx, keys[i].N, theta[0], theta[1], theta[2], theta[3]);
            }

            return sum;
        }

        var estimate = MaximumLikelihood.Fit("BG/BB", Names, Total, [1, 1, 1, 1], customers, options ?? FitOptions.Default);
        return new BgBbModel(estimate.Parameters, estimate.StandardErrors, estimate.Estimation);
    }

    /// <summary>The log-likelihood of one customer with this history (not multiplied by its <see cref="DiscreteActivity.Customers"/>).</summary>
    /// <param name="history">The history.</param>
    /// <returns>ln L(α, β, γ, δ | x, t_x, n) (Fader, Hardie and Shang 2010, eq. 5).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> is null.</exception>
    public double LogLikelihood(DiscreteActivity history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return LogLikelihood(history.Transactions, history.LastTransaction, history.Opportunities, Alpha, Beta, Gamma, Delta);
    }

    /// <summary>P(alive): the probability that the customer is still alive at opportunity n + 1, given the history.</summary>
    /// <param name="history">The history.</param>
    /// <returns>A probability in [0, 1].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> is null.</exception>
    public double ProbabilityAlive(DiscreteActivity history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var (x, n) = (history.Transactions, history.Opportunities);

        // B(α+x, β+n−x)/B(α, β) · B(γ, δ+n+1)/B(γ, δ) / L (eq. 11).
        var logAlive = BetaLn(Alpha + x, Beta + n - x) - BetaLn(Alpha, Beta) + BetaLn(Gamma, Delta + n + 1) - BetaLn(Gamma, Delta);
        return PurchaseModels.Probability(Math.Exp(logAlive - LogLikelihood(history)), Name, "P(alive)");
    }

    /// <summary>The transactions expected of the customer in the next <paramref name="opportunities"/> opportunities (n + 1 to n + n*), given the history.</summary>
    /// <param name="history">The history.</param>
    /// <param name="opportunities">n*: the future opportunities, 0 or more.</param>
    /// <returns>E[X(n, n + n*) | x, t_x, n] (eq. 13).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="opportunities"/> is negative.</exception>
    public double ExpectedTransactions(DiscreteActivity history, int opportunities)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentOutOfRangeException.ThrowIfNegative(opportunities);
        var (x, n) = (history.Transactions, history.Opportunities);

        // Alive through n with p^(x+1)(1−p)^(n−x), then alive at each of the next n* opportunities: over the priors and
        // divided by the likelihood.
        var logTransacting = BetaLn(Alpha + x + 1, Beta + n - x) - BetaLn(Alpha, Beta);
        return PurchaseModels.Finite(Math.Exp(logTransacting - LogLikelihood(history)) * AliveOpportunities(n, opportunities), Name, "expected transactions");
    }

    /// <summary>The transactions expected of a new customer in their first <paramref name="opportunities"/> opportunities.</summary>
    /// <param name="opportunities">n: the opportunities, 0 or more.</param>
    /// <returns>E[X(n)] (eq. 9).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="opportunities"/> is negative.</exception>
    public double ExpectedTransactions(int opportunities)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(opportunities);
        return Alpha / (Alpha + Beta) * AliveOpportunities(0, opportunities);
    }

    /// <summary>The probability that a new customer transacts at exactly <paramref name="transactions"/> of their first <paramref name="opportunities"/> opportunities.</summary>
    /// <param name="transactions">x, 0 or more.</param>
    /// <param name="opportunities">n, 0 or more.</param>
    /// <returns>P(X(n) = x) (eq. 8); 0 for x above n.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="transactions"/> or <paramref name="opportunities"/> is negative.</exception>
    public double ProbabilityOfTransactions(int transactions, int opportunities)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(transactions);
        ArgumentOutOfRangeException.ThrowIfNegative(opportunities);
        var (x, n) = (transactions, opportunities);
        if (x > n)
        {
            return 0;
        }

        // Alive throughout with x of n, or alive for i opportunities with x of them and gone at the start of the next.
        var (lnBab, lnBgd) = (BetaLn(Alpha, Beta), BetaLn(Gamma, Delta));
        var logP = LogChoose(n, x) + BetaLn(Alpha + x, Beta + n - x) - lnBab + BetaLn(Gamma, Delta + n) - lnBgd;
        for (var i = x; i < n; i++)
        {
            logP = LogMath.AddExp(logP, LogChoose(i, x) + BetaLn(Alpha + x, Beta + i - x) - lnBab + BetaLn(Gamma + 1, Delta + i) - lnBgd);
        }

        return PurchaseModels.Probability(Math.Exp(logP), Name, "probability of transactions");
    }

    // ln L = ln[B(α+x, β+n−x)/B(α,β)·B(γ, δ+n)/B(γ,δ) + Σ_{i=0}^{n−t_x−1} B(α+x, β+t_x−x+i)/B(α,β)·B(γ+1, δ+t_x+i)/B(γ,δ)].
    private static double LogLikelihood(int x, int tx, int n, double alpha, double beta, double gamma, double delta)
    {
        var (lnBab, lnBgd) = (BetaLn(alpha, beta), BetaLn(gamma, delta));
        var sum = BetaLn(alpha + x, beta + n - x) - lnBab + BetaLn(gamma, delta + n) - lnBgd;
        for (var i = 0; i < n - tx; i++)
        {
            sum = LogMath.AddExp(sum, BetaLn(alpha + x, beta + tx - x + i) - lnBab + BetaLn(gamma + 1, delta + tx + i) - lnBgd);
        }

        return sum;
    }

    // Σ_{k=1..count} B(γ, δ+m+k)/B(γ, δ): the expected opportunities at which a customer alive now (after m) is still
    // alive, each term the last times (δ+m+k−1)/(γ+δ+m+k−1). Exact at γ = 1, where the closed form is 0/0.
    private double AliveOpportunities(int m, int count)
    {
        double term = Math.Exp(BetaLn(Gamma, Delta + m) - BetaLn(Gamma, Delta)), sum = 0;
        for (var k = 1; k <= count; k++)
        {
            term *= (Delta + m + k - 1) / (Gamma + Delta + m + k - 1);
            sum += term;
        }

        return sum;
    }

    private static double LogChoose(int n, int k) => GammaLn(n + 1) - GammaLn(k + 1) - GammaLn(n - k + 1);
}
