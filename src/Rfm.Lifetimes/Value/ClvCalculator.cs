using System.Globalization;
using System.Collections.Immutable;

namespace Rfm.Lifetimes;

/// <summary>
/// Customer lifetime value over a horizon: the purchases a purchase model expects in each step of the horizon, times
/// the spend the Gamma-Gamma model expects, discounted to the end of calibration.
/// </summary>
/// <remarks>
/// CLV = E(M) · Σ_{k=1..H} [E(k) − E(k−1)] · (1 + d)^(−k·u/365.2425), where E(k) is the purchases expected in the first k
/// units after calibration, H the horizon in units, u the unit's length in days and d the annual discount rate: each
/// unit's purchases are discounted at the unit's end.
/// </remarks>
public sealed class ClvCalculator
{
    // Up to this many units the sum unit by unit is as cheap as the integral, and exactly the published definition.
    private const int SummedHorizon = 104;

    private readonly double _yearsPerUnit;

    // ln δ: the discount of one unit.
    private readonly double _logDiscount;

    /// <summary>Sets up the calculation.</summary>
    /// <param name="purchases">The purchase model (BG/NBD, MBG/NBD or Pareto/NBD), fitted in <paramref name="unit"/>.</param>
    /// <param name="spend">The spend model.</param>
    /// <param name="horizon">The horizon in <paramref name="unit"/>, 1 or more.</param>
    /// <param name="unit">The unit the purchase model was fitted in.</param>
    /// <param name="annualDiscountRate">The annual discount rate, e.g. 0.1 for 10%; 0 or more.</param>
    /// <exception cref="ArgumentNullException">A model is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The horizon is below 1, or the rate is negative or not finite.</exception>
    /// <exception cref="ArgumentException">
    /// The spend model's q is 1 or less: the population's mean spend p·γ/(q − 1) is then undefined (infinite), and so is
    /// the value of a customer without repeat purchases.
    /// </exception>
    public ClvCalculator(IPurchaseModel purchases, GammaGammaModel spend, int horizon, TimeUnit unit, double annualDiscountRate = 0.1)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        ArgumentNullException.ThrowIfNull(spend);
        if (spend.PopulationMeanSpend is null)
        {
            throw new ArgumentException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The Gamma-Gamma model's q = {spend.Q:G6} is 1 or less: the expected mean spend p·γ/(q − 1) is undefined (infinite), so no lifetime value can be given. Spend this heavy-tailed, or spend that depends on frequency, does not fit the model."),
                nameof(spend));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        if (!(double.IsFinite(annualDiscountRate) && annualDiscountRate >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(annualDiscountRate), annualDiscountRate, "The annual discount rate must be finite and 0 or more.");
        }

        (Purchases, Spend, Horizon, Unit, AnnualDiscountRate) = (purchases, spend, horizon, unit, annualDiscountRate);
        _yearsPerUnit = unit.Days() / TimeUnits.DaysPerYear;
        _logDiscount = -_yearsPerUnit * Math.Log(1 + annualDiscountRate);
    }

    /// <summary>The purchase model.</summary>
    public IPurchaseModel Purchases { get; }

    /// <summary>The spend model.</summary>
    public GammaGammaModel Spend { get; }

    /// <summary>The horizon in <see cref="Unit"/>.</summary>
    public int Horizon { get; }

    /// <summary>The unit of time.</summary>
    public TimeUnit Unit { get; }

    /// <summary>The annual discount rate.</summary>
    public double AnnualDiscountRate { get; }

    /// <summary>Predicts one customer.</summary>
    /// <param name="customer">The customer.</param>
    /// <returns>P(alive), expected purchases and spend over the horizon, and the lifetime value.</returns>
    /// <exception cref="ArgumentException">The customer's mean repeat spend is 0 or less.</exception>
    /// <exception cref="InvalidOperationException">The spend model cannot give this customer a finite expected spend.</exception>
    /// <exception cref="ArithmeticException">The purchase model's series does not converge for this history (extreme parameters).</exception>
    public CustomerValue Calculate(CustomerActivity customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var spend = Spend.ExpectedAverageSpend(customer);
        var (alive, expected, discounted) = ExpectedPurchases(customer);
        return new CustomerValue(customer, alive, expected, spend, spend * discounted);
    }

    /// <summary>
    /// Predicts many customers, working out the purchases once for each distinct history (x, t_x, T): a base of many
    /// one-time buyers acquired on a few days costs far less than its size.
    /// </summary>
    /// <param name="customers">The customers.</param>
    /// <returns>One prediction per customer, in order.</returns>
    /// <exception cref="ArgumentException">A customer's mean repeat spend is 0 or less.</exception>
    /// <exception cref="InvalidOperationException">The spend model cannot give a customer a finite expected spend.</exception>
    /// <exception cref="ArithmeticException">The purchase model's series does not converge for a history (extreme parameters).</exception>
    public ImmutableArray<CustomerValue> Calculate(IEnumerable<CustomerActivity> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var known = new Dictionary<(int, double, double), (double Alive, double Expected, double Discounted)>();
        var values = ImmutableArray.CreateBuilder<CustomerValue>();
        foreach (var customer in customers)
        {
            ArgumentNullException.ThrowIfNull(customer, nameof(customers));
            var history = (customer.RepeatPurchases, customer.TimeOfLastPurchase, customer.Age);
            if (!known.TryGetValue(history, out var purchases))
            {
                known[history] = purchases = ExpectedPurchases(customer);
            }

            var spend = Spend.ExpectedAverageSpend(customer);
            values.Add(new CustomerValue(customer, purchases.Alive, purchases.Expected, spend, spend * purchases.Discounted));
        }

        return values.DrainToImmutable();
    }

    /// <summary>
    /// The lifetime value unit by unit: for each customer and in total, the discounted expected money in each of the
    /// <see cref="Horizon"/> units after calibration (weeks when <see cref="Unit"/> is <see cref="TimeUnit.Week"/>,
    /// months when it is <see cref="TimeUnit.Month"/>). Unit k holds E(M) · [E(k) − E(k−1)] · (1 + d)^(−k·u/365.2425),
    /// the terms of the lifetime value's sum, so a customer's units add up to <see cref="CustomerValue.LifetimeValue"/>.
    /// </summary>
    /// <param name="customers">The customers.</param>
    /// <returns>One row of <see cref="Horizon"/> values per customer, in order, and the totals per unit.</returns>
    /// <exception cref="ArgumentException">A customer's mean repeat spend is 0 or less.</exception>
    /// <exception cref="InvalidOperationException">The spend model cannot give a customer a finite expected spend.</exception>
    /// <exception cref="ArithmeticException">The purchase model's series does not converge for a history (extreme parameters).</exception>
    /// <remarks>It costs <see cref="Horizon"/> evaluations of the purchase model per distinct history (x, t_x, T).</remarks>
    public ClvSchedule Schedule(IEnumerable<CustomerActivity> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var known = new Dictionary<(int, double, double), double[]>();
        var rows = ImmutableArray.CreateBuilder<CustomerSchedule>();
        var totals = new double[Horizon];
        foreach (var customer in customers)
        {
            ArgumentNullException.ThrowIfNull(customer, nameof(customers));
            var history = (customer.RepeatPurchases, customer.TimeOfLastPurchase, customer.Age);
            if (!known.TryGetValue(history, out var purchases))
            {
                known[history] = purchases = DiscountedPurchasesPerUnit(customer, Purchases.ProbabilityAlive(customer));
            }

            var spend = Spend.ExpectedAverageSpend(customer);
            var values = ImmutableArray.CreateBuilder<double>(Horizon);
            for (var k = 0; k < Horizon; k++)
            {
                values.Add(spend * purchases[k]);
                totals[k] += values[k];
            }

            rows.Add(new CustomerSchedule(customer, values.MoveToImmutable()));
        }

        return new ClvSchedule(Unit, AnnualDiscountRate, rows.DrainToImmutable(), [.. totals]);
    }

    // P(alive), the purchases expected over the horizon, and the same discounted unit by unit; P(alive), the costly part
    // of the Pareto/NBD expectation, once rather than once a unit. The purchases over the horizon are one closed form;
    // discounted, the built-in models sum their units under one integral, so that a long horizon costs no more than a
    // short one; another model has them summed unit by unit.
    private (double Alive, double Expected, double Discounted) ExpectedPurchases(CustomerActivity customer)
    {
        var alive = Purchases.ProbabilityAlive(customer);
        var expected = Purchases.ExpectedPurchasesIfAlive(customer, Horizon) * alive;
        if (AnnualDiscountRate == 0)
        {
            return (alive, expected, expected);
        }

        var discounted = Horizon <= SummedHorizon ? double.NaN : Purchases switch
        {
            BgNbdModel bg => bg.DiscountedPurchasesIfAlive(customer, Horizon, _logDiscount),
            MbgNbdModel mbg => mbg.DiscountedPurchasesIfAlive(customer, Horizon, _logDiscount),
            ParetoNbdModel pareto => pareto.DiscountedPurchasesIfAlive(customer, Horizon, _logDiscount),
            _ => double.NaN,
        };
        if (double.IsFinite(discounted))
        {
            return (alive, expected, discounted * alive);
        }

        discounted = 0;
        foreach (var value in DiscountedPurchasesPerUnit(customer, alive))
        {
            discounted += value;
        }

        return (alive, expected, discounted);
    }

    // The purchases expected in each unit k = 1..H, [E(k) − E(k−1)], discounted at the unit's end by (1 + d)^(−k·u/365.2425).
    private double[] DiscountedPurchasesPerUnit(CustomerActivity customer, double alive)
    {
        var values = new double[Horizon];
        double previous = 0;
        for (var k = 1; k <= Horizon; k++)
        {
            var upTo = Purchases.ExpectedPurchasesIfAlive(customer, k) * alive;
            values[k - 1] = (upTo - previous) * Math.Pow(1 + AnnualDiscountRate, -k * _yearsPerUnit);
            previous = upTo;
        }

        return values;
    }
}
