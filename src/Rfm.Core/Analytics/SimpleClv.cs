using System.Collections.Immutable;
using Rfm.Scoring;

namespace Rfm.Analytics;

/// <summary>
/// Customer lifetime value by the widely taught formula: average order value x purchase frequency / churn rate x profit
/// margin, per customer, with quartile segments A to D. Descriptive, not predictive: for expected future purchases use a
/// probabilistic model.
/// </summary>
/// <remarks>
/// <para>
/// Over the customers given (N of them), as CRM analytics courses compute it per customer: average order value =
/// monetary / frequency; purchase frequency = frequency / N; repeat rate = customers with more than one order / N; churn
/// rate = 1 - repeat rate. So each value is the customer's share of the average customer's lifetime value,
/// (revenue / N) / churn rate x margin, and the values add up to it. The product reduces exactly to
/// monetary x margin / (customers with one order), which is what is computed, in <see cref="decimal"/> arithmetic
/// (results beyond 28 significant digits are rounded there).
/// </para>
/// <para>
/// Course notebooks often multiply by the customer's profit (monetary x margin) instead of the margin; that ranks
/// customers the same (for positive totals), so the quartiles agree, but the values are no longer money. Texts that apply
/// the whole base's purchase frequency (all orders / N) to each customer's average order value rank customers by that
/// average instead; that value is <see cref="CustomerClv.AverageOrderValue"/> x orders / N / <see cref="ChurnRate"/> x
/// <see cref="Margin"/>.
/// </para>
/// </remarks>
public sealed class SimpleClv
{
    private SimpleClv(decimal margin, int repeatCustomers, ImmutableArray<CustomerClv> customers, ImmutableArray<double> quartileEdges)
    {
        Margin = margin;
        RepeatCustomers = repeatCustomers;
        Customers = customers;
        QuartileEdges = quartileEdges;
    }

    /// <summary>The profit margin used, from 0 (exclusive) to 1.</summary>
    public decimal Margin { get; }

    /// <summary>Customers with more than one order.</summary>
    public int RepeatCustomers { get; }

    /// <summary>Customers with more than one order, over all customers.</summary>
    public double RepeatRate => (double)RepeatCustomers / Customers.Length;

    /// <summary>1 - <see cref="RepeatRate"/>.</summary>
    public double ChurnRate => (double)(Customers.Length - RepeatCustomers) / Customers.Length;

    /// <summary>Every customer's value, in the order given.</summary>
    public ImmutableArray<CustomerClv> Customers { get; }

    /// <summary>The quartile edges of the values, as <see cref="ScoringStrategies.Quantile"/> reports them.</summary>
    public ImmutableArray<double> QuartileEdges { get; }

    /// <summary>Computes every customer's value.</summary>
    /// <param name="customers">The customers' metrics, e.g. <see cref="MetricsSnapshot.Customers"/>.</param>
    /// <param name="margin">The profit margin as a fraction, e.g. 0.10 for 10 %.</param>
    /// <returns>The values and their quartiles.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="customers"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="margin"/> is not above 0 and at most 1.</exception>
    /// <exception cref="ArgumentException">
    /// There is no customer, a customer has no order, or every customer has more than one (the churn rate is then 0 and
    /// the formula's lifetime, 1 / churn rate, infinite).
    /// </exception>
    public static SimpleClv Compute(IEnumerable<CustomerMetrics> customers, decimal margin)
    {
        ArgumentNullException.ThrowIfNull(customers);
        if (margin is <= 0m or > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin is a fraction above 0 and at most 1, e.g. 0.10 for 10 %.");
        }

        var list = customers.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("There is no customer to value.", nameof(customers));
        }

        var repeat = 0;
        foreach (var customer in list)
        {
            if (customer.Frequency < 1)
            {
                throw new ArgumentException($"Customer '{customer.CustomerId}' has frequency {customer.Frequency}: every customer has at least one order.", nameof(customers));
            }

            repeat += customer.Frequency > 1 ? 1 : 0;
        }

        var oneTime = list.Length - repeat;
        if (oneTime == 0)
        {
            throw new ArgumentException(
                $"All {list.Length} customers bought more than once, so the churn rate (1 - repeat rate) is 0 and the formula's lifetime is infinite.",
                nameof(customers));
        }

        var values = new decimal[list.Length];
        var scoreInput = new double[list.Length];
        for (var i = 0; i < list.Length; i++)
        {
            values[i] = list[i].Monetary * margin / oneTime;
            scoreInput[i] = (double)values[i];
        }

        var quartiles = new int[list.Length];
        var edges = ScoringStrategies.Quantile.Score(scoreInput, 4, quartiles);
        var result = ImmutableArray.CreateBuilder<CustomerClv>(list.Length);
        for (var i = 0; i < list.Length; i++)
        {
            var customer = list[i];
            result.Add(new CustomerClv(
                customer.CustomerId,
                customer.Frequency,
                customer.Monetary,
                customer.Monetary / customer.Frequency,
                (double)customer.Frequency / list.Length,
                values[i],
                quartiles[i]));
        }

        return new SimpleClv(margin, repeat, result.MoveToImmutable(), edges);
    }
}
