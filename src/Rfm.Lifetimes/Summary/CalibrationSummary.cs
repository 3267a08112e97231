using System.Collections.Immutable;
using Rfm.Analytics;

namespace Rfm.Lifetimes;

/// <summary>
/// The customer base in the models' terms (<see cref="CustomerActivity"/>: x, t_x, T, m_x) at the end of a
/// calibration period, with what each customer bought in an optional holdout period after it.
/// </summary>
/// <remarks>
/// Purchases are the orders the transaction policy let through; those of one customer on one calendar day (of the
/// timestamps' own clock) are merged into one purchase, as in the published analyses. Every day with a kept order is a
/// purchase, so under a policy that keeps non-positive rows a day of returns alone counts too; the default policy
/// excludes them. Both period ends are whole days, included. A customer whose first purchase falls in the holdout
/// period is not in the summary, and is counted in <see cref="CustomersFirstSeenInHoldout"/>; orders after the last
/// day studied are counted in <see cref="OrdersAfterEnd"/>.
/// </remarks>
public sealed class CalibrationSummary
{
    private CalibrationSummary(
        DateOnly calibrationEnd, DateOnly? holdoutEnd, TimeUnit unit, ImmutableArray<CustomerActivity> customers, int firstSeenInHoldout, long ordersAfterEnd, IngestionSummary ingestion)
    {
        (CalibrationEnd, HoldoutEnd, Unit, Customers) = (calibrationEnd, holdoutEnd, unit, customers);
        (CustomersFirstSeenInHoldout, OrdersAfterEnd, Ingestion) = (firstSeenInHoldout, ordersAfterEnd, ingestion);
    }

    /// <summary>The last day of calibration, included.</summary>
    public DateOnly CalibrationEnd { get; }

    /// <summary>The last day of the holdout period, included; null without one.</summary>
    public DateOnly? HoldoutEnd { get; }

    /// <summary>The unit of every time in the summary.</summary>
    public TimeUnit Unit { get; }

    /// <summary>The length of the holdout period in <see cref="Unit"/>; 0 without one.</summary>
    public double HoldoutLength => HoldoutEnd is { } end ? (end.DayNumber - CalibrationEnd.DayNumber) / Unit.Days() : 0;

    /// <summary>Every customer whose first purchase falls in calibration, in the order of the history's customers.</summary>
    public ImmutableArray<CustomerActivity> Customers { get; }

    /// <summary>
    /// Customers whose first purchase came in the holdout period: the models cannot describe them, so they are left out.
    /// (Customers first seen after the last day studied have only orders after the end: see <see cref="OrdersAfterEnd"/>.)
    /// </summary>
    public int CustomersFirstSeenInHoldout { get; }

    /// <summary>Orders after the last day studied (the holdout's end, or calibration's without a holdout), not used.</summary>
    public long OrdersAfterEnd { get; }

    /// <summary>The account of every row read: which were used and which the transaction policy excluded, and why.</summary>
    public IngestionSummary Ingestion { get; }

    /// <summary>Summarises transactions: reads them with <paramref name="policy"/> and summarises the orders it keeps.</summary>
    /// <typeparam name="T">The transaction type.</typeparam>
    /// <param name="transactions">The transactions, in any order.</param>
    /// <param name="calibrationEnd">The last day of calibration, included.</param>
    /// <param name="holdoutEnd">The last day of the holdout period, included, after <paramref name="calibrationEnd"/>; null for none.</param>
    /// <param name="unit">The unit of time.</param>
    /// <param name="policy">Which rows count; default <see cref="TransactionPolicy.Default"/>.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transactions"/> is null.</exception>
    /// <exception cref="ArgumentException">The holdout does not end after calibration.</exception>
    public static CalibrationSummary From<T>(IEnumerable<T> transactions, DateOnly calibrationEnd, DateOnly? holdoutEnd = null, TimeUnit unit = TimeUnit.Week, TransactionPolicy? policy = null)
        where T : ITransaction
    {
        ArgumentNullException.ThrowIfNull(transactions);
        CheckPeriods(calibrationEnd, holdoutEnd);
        var accumulator = new RfmAccumulator(EndOf(holdoutEnd ?? calibrationEnd), policy, keepOrders: true);
        accumulator.AddRange(transactions);
        return From(accumulator.History(), calibrationEnd, holdoutEnd, unit);
    }

    /// <summary>
    /// Summarises the orders of a history (<see cref="RfmAccumulator.History()"/> of an accumulator that keeps orders),
    /// which must reach to the end of the last day studied.
    /// </summary>
    /// <param name="history">The orders.</param>
    /// <param name="calibrationEnd">The last day of calibration, included.</param>
    /// <param name="holdoutEnd">The last day of the holdout period, included, after <paramref name="calibrationEnd"/>; null for none.</param>
    /// <param name="unit">The unit of time.</param>
    /// <returns>The summary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The holdout does not end after calibration, or the history's analysis date is before the end of the last day
    /// studied (its later purchases would be missing).
    /// </exception>
    /// <exception cref="OverflowException">A customer's repeat or holdout spend exceeds what a <see cref="decimal"/> holds.</exception>
    public static CalibrationSummary From(OrderHistory history, DateOnly calibrationEnd, DateOnly? holdoutEnd, TimeUnit unit)
    {
        ArgumentNullException.ThrowIfNull(history);
        CheckPeriods(calibrationEnd, holdoutEnd);
        var lastDay = holdoutEnd ?? calibrationEnd;
        if (history.AsOf < EndOf(lastDay))
        {
            throw new ArgumentException(
                $"The orders are as of {history.AsOf:yyyy-MM-dd HH:mm:ss}, before the end of {lastDay:yyyy-MM-dd}, the last day studied: build the history as of {EndOf(lastDay):yyyy-MM-dd HH:mm:ss.fffffff} or later.",
                nameof(history));
        }

        var unitDays = unit.Days();
        var customerIds = history.Metrics.Customers;
        var orders = history.Entries().ToArray();
        var (start, entries) = GroupByCustomer(orders, customerIds.Length);
        var day = new int[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            day[i] = DateOnly.FromDateTime(orders[entries[i]].Time).DayNumber;
        }

        var (calibrationDay, lastDayNumber) = (calibrationEnd.DayNumber, lastDay.DayNumber);
        var customers = ImmutableArray.CreateBuilder<CustomerActivity>(customerIds.Length);
        var (firstSeenInHoldout, ordersAfterEnd) = (0, 0L);
        for (var c = 0; c < customerIds.Length; c++)
        {
            var (from, to) = (start[c], start[c + 1]);
            if (to == from)
            {
                continue;
            }

            Array.Sort(day, entries, from, to - from);
            var first = day[from];
            var (repeat, lastPurchase, repeatSpend, holdoutDays, holdoutSpend, previousDay) = (0, first, 0m, 0, 0m, -1);
            for (var i = from; i < to; i++)
            {
                var (d, entry) = (day[i], entries[i]);
                if (d > lastDayNumber)
                {
                    ordersAfterEnd += orders[entry].Orders;
                    continue;
                }

                var newDay = d != previousDay;
                previousDay = d;
                if (d > calibrationDay)
                {
                    holdoutSpend += orders[entry].Amount;
                    holdoutDays += newDay ? 1 : 0;
                }
                else if (d != first)
                {
                    // The first day's purchases are left out of the spend, as the spend model expects.
                    repeatSpend += orders[entry].Amount;
                    (repeat, lastPurchase) = newDay ? (repeat + 1, d) : (repeat, lastPurchase);
                }
            }

            if (first > calibrationDay)
            {
                // Customers first seen after the last day studied have only orders after the end, counted there.
                firstSeenInHoldout += first <= lastDayNumber ? 1 : 0;
                continue;
            }

            customers.Add(new CustomerActivity(
                customerIds[c].CustomerId,
                repeat,
                (lastPurchase - first) / unitDays,
                (calibrationDay - first) / unitDays,
                repeat == 0 ? null : repeatSpend / repeat)
            {
                HoldoutPurchases = holdoutDays,
                HoldoutSpend = holdoutSpend,
            });
        }

        return new CalibrationSummary(calibrationEnd, holdoutEnd, unit, customers.DrainToImmutable(), firstSeenInHoldout, ordersAfterEnd, history.Metrics.Ingestion);
    }

    // The last instant of a day: a history as of it holds every purchase of that day.
    private static DateTime EndOf(DateOnly day) => day.ToDateTime(TimeOnly.MaxValue);

    private static void CheckPeriods(DateOnly calibrationEnd, DateOnly? holdoutEnd)
    {
        if (holdoutEnd is { } end && end <= calibrationEnd)
        {
            throw new ArgumentException($"The holdout period must end after calibration ({calibrationEnd:yyyy-MM-dd}), not on {end:yyyy-MM-dd}.", nameof(holdoutEnd));
        }
    }

    // A counting sort of the order entries by customer: start[c]..start[c + 1] indexes customer c's entries.
    private static (int[] Start, int[] Entries) GroupByCustomer(OrderEntry[] orders, int customers)
    {
        var start = new int[customers + 1];
        foreach (var order in orders)
        {
            start[order.Customer + 1]++;
        }

        for (var c = 0; c < customers; c++)
        {
            start[c + 1] += start[c];
        }

        var next = (int[])start.Clone();
        var entries = new int[orders.Length];
        for (var i = 0; i < orders.Length; i++)
        {
            entries[next[orders[i].Customer]++] = i;
        }

        return (start, entries);
    }
}
