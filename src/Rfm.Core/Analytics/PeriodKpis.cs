namespace Rfm.Analytics;

/// <summary>
/// The CRM KPIs of one calendar period. Counts are customers with at least one order in the period (active), compared
/// with the period before; a rate is <see langword="null"/> where its denominator is zero or there is no period before.
/// </summary>
/// <remarks>The formulas, with a worked example, are in <c>docs/kpis.md</c>.</remarks>
public sealed record PeriodKpis
{
    internal PeriodKpis()
    {
    }

    /// <summary>The period's start, a wall-clock time in the calendar's zone.</summary>
    public DateTime Start { get; internal init; }

    /// <summary>The period's end (exclusive): the next period's start, or <see cref="DateTime.MaxValue"/> for the last period of the calendar.</summary>
    public DateTime End { get; internal init; }

    /// <summary>Whether the period ended on or before the analysis date; the last period is often partial.</summary>
    public bool Complete { get; internal init; }

    /// <summary>A: customers with at least one order in the period.</summary>
    public int ActiveCustomers { get; internal init; }

    /// <summary>N: customers whose first order of all falls in the period.</summary>
    public int NewCustomers { get; internal init; }

    /// <summary>Active customers who had bought before the period: A - N.</summary>
    public int ReturningCustomers => ActiveCustomers - NewCustomers;

    /// <summary>S: the customers active in the period before (<see langword="null"/> for the first period).</summary>
    public int? CustomersAtStart { get; internal init; }

    /// <summary>R: customers active both in the period before and in this one.</summary>
    public int? RetainedCustomers { get; internal init; }

    /// <summary>Returning customers who were not active in the period before: A - N - R.</summary>
    public int? ReactivatedCustomers => ActiveCustomers - NewCustomers - RetainedCustomers;

    /// <summary>Customers active in the period before but not in this one: S - R.</summary>
    public int? ChurnedCustomers => CustomersAtStart - RetainedCustomers;

    /// <summary>Retention rate R / S: the textbook (E - N) / S, where N counts every customer who joined the period's active base, reactivated ones included.</summary>
    public double? RetentionRate => Ratio(RetainedCustomers, CustomersAtStart);

    /// <summary>Churn rate (S - R) / S: one minus the retention rate.</summary>
    public double? ChurnRate => Ratio(ChurnedCustomers, CustomersAtStart);

    /// <summary>Customer acquisition rate N / S: new customers per customer at the start. Can exceed 1.</summary>
    public double? AcquisitionRate => Ratio(NewCustomers, CustomersAtStart);

    /// <summary>Active customers with two or more orders in the period.</summary>
    public int RepeatCustomers { get; internal init; }

    /// <summary>Repeat-purchase rate: active customers with two or more orders in the period, over A.</summary>
    public double? RepeatPurchaseRate => Ratio(RepeatCustomers, ActiveCustomers);

    /// <summary>Orders placed in the period.</summary>
    public long Orders { get; internal init; }

    /// <summary>The exact money of the period's orders.</summary>
    public decimal Revenue { get; internal init; }

    /// <summary>Average order value: revenue over orders (decimal division, 28 significant digits).</summary>
    public decimal? AverageOrderValue => Orders == 0 ? null : Revenue / Orders;

    /// <summary>Purchase frequency: orders per active customer.</summary>
    public double? PurchaseFrequency => Ratio(Orders, ActiveCustomers);

    /// <summary>The period before's revenue (<see langword="null"/> for the first period).</summary>
    public decimal? PreviousRevenue { get; internal init; }

    /// <summary>Revenue growth rate (V - V before) / V before, defined when the revenue before is positive.</summary>
    public double? RevenueGrowthRate => PreviousRevenue is { } before && before > 0m ? (double)((Revenue - before) / before) : null;

    /// <summary>Customer growth rate (A - A before) / A before, where A before is <see cref="CustomersAtStart"/>.</summary>
    public double? CustomerGrowthRate => Ratio(ActiveCustomers - CustomersAtStart, CustomersAtStart);

    /// <summary>The prospects or leads the caller gave for the period, if any.</summary>
    public long? Leads { get; internal init; }

    /// <summary>Conversion rate: new customers over leads. Above 1 when not every new customer came from a lead.</summary>
    public double? ConversionRate => Ratio(NewCustomers, Leads);

    private static double? Ratio(long? numerator, long? denominator) =>
        numerator is { } n && denominator is { } d && d != 0 ? (double)n / d : null;
}
