using System.Collections.Immutable;

namespace Rfm.Lifetimes;

/// <summary>
/// The lifetime value spread over the units after calibration (<see cref="ClvCalculator.Schedule"/>): for each
/// customer and in total, the discounted expected money in unit 1, 2, … of <see cref="Unit"/>.
/// </summary>
public sealed class ClvSchedule
{
    internal ClvSchedule(TimeUnit unit, double annualDiscountRate, ImmutableArray<CustomerSchedule> customers, ImmutableArray<double> totals)
    {
        (Unit, AnnualDiscountRate, Customers, Totals) = (unit, annualDiscountRate, customers, totals);
    }

    /// <summary>The length of one period: a day, a week or a month (30.436875 days).</summary>
    public TimeUnit Unit { get; }

    /// <summary>The annual discount rate the values are discounted at.</summary>
    public double AnnualDiscountRate { get; }

    /// <summary>The number of periods: the calculator's horizon in <see cref="Unit"/>.</summary>
    public int Periods => Totals.Length;

    /// <summary>One row per customer, in the order given.</summary>
    public ImmutableArray<CustomerSchedule> Customers { get; }

    /// <summary>The discounted expected money of all the customers in each period; index k − 1 holds period k.</summary>
    public ImmutableArray<double> Totals { get; }
}

/// <summary>One customer's discounted expected money in each period after calibration.</summary>
/// <param name="Customer">The customer's history.</param>
/// <param name="Values">The discounted expected money in each period; index k − 1 holds period k (the k-th unit after calibration).</param>
public sealed record CustomerSchedule(CustomerActivity Customer, ImmutableArray<double> Values)
{
    /// <summary>The sum over the periods: the customer's lifetime value over the horizon.</summary>
    public double Total => Values.Sum();
}
