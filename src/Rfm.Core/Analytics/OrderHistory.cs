using System.Collections.Immutable;

namespace Rfm.Analytics;

/// <summary>
/// Every order the transaction policy let through, as of one analysis date: the input of KPIs per period and cohorts,
/// made by <see cref="RfmAccumulator.History(DateTime)"/> from an accumulator that keeps orders.
/// </summary>
/// <remarks>
/// An order is a distinct (customer, order id) pair, as for frequency; a row without an order id is an order of its own.
/// Its time is the earliest of its lines and its money the exact sum of its lines. The customers are those of
/// <see cref="Metrics"/>, so KPIs, cohorts and RFM agree on who counts.
/// </remarks>
public sealed class OrderHistory
{
    // One entry per order (or per run of rows without an order id that share customer and time): the customer's
    // position in Metrics.Customers, the time, the money, and how many orders the entry stands for.
    private readonly int[] _customer;
    private readonly long[] _ticks;
    private readonly decimal[] _amount;
    private readonly int[] _orders;

    internal OrderHistory(MetricsSnapshot metrics, int[] customer, long[] ticks, decimal[] amount, int[] orders)
    {
        Metrics = metrics;
        (_customer, _ticks, _amount, _orders) = (customer, ticks, amount, orders);
        long count = 0;
        foreach (var n in orders)
        {
            count += n;
        }

        Orders = count;
    }

    /// <summary>The analysis date: a period ending on or before it is complete.</summary>
    public DateTime AsOf => Metrics.AsOf;

    /// <summary>The customers' RFM metrics as of <see cref="AsOf"/>, and the account of every row read.</summary>
    public MetricsSnapshot Metrics { get; }

    /// <summary>The number of orders.</summary>
    public long Orders { get; }

    /// <summary>
    /// Counts customers, orders and money per period of <paramref name="calendar"/>: from the first order's period to the
    /// one holding the analysis date, widened to cover every period
    /// <paramref name="leads"/> names.
    /// </summary>
    /// <param name="calendar">The periods.</param>
    /// <param name="leads">
    /// Optional prospects or leads per period, keyed by the period's start (<see cref="PeriodCalendar.StartOf"/>), for
    /// <see cref="PeriodKpis.ConversionRate"/>; periods without an entry have no conversion rate.
    /// </param>
    /// <returns>One entry per period, in order, empty periods included; empty when there is no order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="calendar"/> is null.</exception>
    /// <exception cref="ArgumentException">A key of <paramref name="leads"/> is not the start of a period of <paramref name="calendar"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A lead count is negative.</exception>
    /// <exception cref="OverflowException">A period's revenue exceeds what a <see cref="decimal"/> holds exactly.</exception>
    public ImmutableArray<PeriodKpis> Kpis(PeriodCalendar calendar, IReadOnlyDictionary<DateTime, long>? leads = null)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return PeriodActivity.Of(this, calendar, leads).Kpis();
    }

    /// <summary>
    /// Follows each acquisition cohort (the customers whose first order fell in one period) through the periods after
    /// it, up to the one holding the analysis date.
    /// </summary>
    /// <param name="calendar">The periods.</param>
    /// <returns>The cohorts, as a matrix and as tidy cells.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="calendar"/> is null.</exception>
    /// <exception cref="OverflowException">A cell's revenue exceeds what a <see cref="decimal"/> holds exactly.</exception>
    public CohortTable Cohorts(PeriodCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return PeriodActivity.Of(this, calendar).Cohorts();
    }

    /// <summary>
    /// Every entry of the history, in no particular order: one per order, or per run of rows without an order id that
    /// share customer and time, for analyses of one's own (e.g. the customer base of <c>Rfm.Lifetimes</c>).
    /// </summary>
    /// <returns>The entries; <see cref="OrderEntry.Customer"/> indexes <see cref="MetricsSnapshot.Customers"/> of <see cref="Metrics"/>.</returns>
    public IEnumerable<OrderEntry> Entries()
    {
        for (var i = 0; i < _customer.Length; i++)
        {
            yield return new OrderEntry(_customer[i], new DateTime(_ticks[i], AsOf.Kind), _amount[i], _orders[i]);
        }
    }

    internal ReadOnlySpan<int> EntryCustomer => _customer;

    internal ReadOnlySpan<long> EntryTicks => _ticks;

    internal ReadOnlySpan<decimal> EntryAmount => _amount;

    internal ReadOnlySpan<int> EntryOrders => _orders;
}
