using System.Collections.Immutable;

namespace Rfm.Analytics;

/// <summary>
/// An order history cut into calendar periods: per customer and period with at least one order, the orders and their
/// money, sorted by customer and then period. KPIs and cohorts are both one pass over it.
/// </summary>
internal sealed class PeriodActivity
{
    private readonly PeriodCalendar _calendar;
    private readonly DateTime _localAsOf;
    private readonly int _firstOrdinal;
    private readonly int _periods;
    private readonly long?[]? _leads;

    // The groups: customer (position in the snapshot), period (0 for the first period), orders, money.
    private readonly int[] _customer;
    private readonly int[] _period;
    private readonly long[] _orders;
    private readonly decimal[] _amount;

    private PeriodActivity(PeriodCalendar calendar, DateTime localAsOf, int firstOrdinal, int periods, long?[]? leads, int[] customer, int[] period, long[] orders, decimal[] amount)
    {
        (_calendar, _localAsOf, _firstOrdinal, _periods, _leads) = (calendar, localAsOf, firstOrdinal, periods, leads);
        (_customer, _period, _orders, _amount) = (customer, period, orders, amount);
    }

    /// <summary>
    /// Cuts the history into the calendar's periods: from the first order's to the one holding the analysis date,
    /// widened to the periods <paramref name="leads"/> names.
    /// </summary>
    public static PeriodActivity Of(OrderHistory history, PeriodCalendar calendar, IReadOnlyDictionary<DateTime, long>? leads = null)
    {
        var customers = history.EntryCustomer;
        var entries = customers.Length;
        var ordinals = new int[entries];
        int first = int.MaxValue, last = int.MinValue;
        var ticks = history.EntryTicks;
        for (var i = 0; i < entries; i++)
        {
            ordinals[i] = calendar.Ordinal(ticks[i]);
            first = Math.Min(first, ordinals[i]);
            last = Math.Max(last, ordinals[i]);
        }

        if (entries > 0)
        {
            // The periods run up to the analysis date: customers who stopped buying before it churned in between.
            last = Math.Max(last, calendar.Ordinal(history.AsOf.Ticks - 1));
        }

        var leadOrdinals = LeadOrdinals(leads, calendar);
        if (entries == 0 && leadOrdinals is { Count: > 0 })
        {
            throw new ArgumentException($"Leads are given for {calendar.Start(leadOrdinals[0].Ordinal):yyyy-MM-dd HH:mm}, but there is no order, so there are no periods.", nameof(leads));
        }
        if (entries > 0 && leadOrdinals is not null)
        {
            foreach (var (ordinal, _) in leadOrdinals)
            {
                first = Math.Min(first, ordinal);
                last = Math.Max(last, ordinal);
            }
        }

        var periods = entries == 0 ? 0 : last - first + 1;
        long?[]? perPeriodLeads = null;
        if (leadOrdinals is not null)
        {
            perPeriodLeads = new long?[periods];
            foreach (var (ordinal, count) in leadOrdinals)
            {
                perPeriodLeads[ordinal - first] = count;
            }
        }

        // Sort the entries by customer, then period, and add up each (customer, period) group.
        var keys = new long[entries];
        var order = new int[entries];
        for (var i = 0; i < entries; i++)
        {
            keys[i] = ((long)customers[i] * periods) + (ordinals[i] - first);
            order[i] = i;
        }

        Array.Sort(keys, order);
        var groupCustomer = new List<int>();
        var groupPeriod = new List<int>();
        var groupOrders = new List<long>();
        var groupAmount = new List<decimal>();
        var amounts = history.EntryAmount;
        var counts = history.EntryOrders;
        for (var i = 0; i < entries; i++)
        {
            var entry = order[i];
            if (i > 0 && keys[i] == keys[i - 1])
            {
                groupOrders[^1] += counts[entry];
                groupAmount[^1] = ExactDecimal.Sum(groupAmount[^1], amounts[entry]);
                continue;
            }

            groupCustomer.Add(customers[entry]);
            groupPeriod.Add(ordinals[entry] - first);
            groupOrders.Add(counts[entry]);
            groupAmount.Add(amounts[entry]);
        }

        return new PeriodActivity(
            calendar, calendar.LocalTime(history.AsOf.Ticks), first, periods, perPeriodLeads, [.. groupCustomer], [.. groupPeriod], [.. groupOrders], [.. groupAmount]);
    }

    public ImmutableArray<PeriodKpis> Kpis()
    {        var active = new int[_periods];
        var acquired = new int[_periods];
        var retained = new int[_periods];
        var repeat = new int[_periods];
        var orders = new long[_periods];
        var revenue = new decimal[_periods];
        for (var g = 0; g < _customer.Length; g++)
        {
            var period = _period[g];
            var sameCustomerBefore = g > 0 && _customer[g - 1] == _customer[g];
            if (!sameCustomerBefore)
            {
                acquired[period]++;
            }
            else if (_period[g - 1] == period - 1)
            {
                retained[period]++;
            }

            active[period]++;
            repeat[period] += _orders[g] >= 2 ? 1 : 0;
            orders[period] += _orders[g];
            revenue[period] = PeriodSum(revenue[period], _amount[g], period);
        }

        var kpis = ImmutableArray.CreateBuilder<PeriodKpis>(_periods);
        for (var p = 0; p < _periods; p++)
        {
            var end = _calendar.End(_firstOrdinal + p);
            kpis.Add(new PeriodKpis
            {
                Start = PeriodStart(p),
                End = end,
                Complete = end <= _localAsOf,
                ActiveCustomers = active[p],
                NewCustomers = acquired[p],
                CustomersAtStart = p == 0 ? null : active[p - 1],
                RetainedCustomers = p == 0 ? null : retained[p],
                RepeatCustomers = repeat[p],
                Orders = orders[p],
                Revenue = revenue[p],
                PreviousRevenue = p == 0 ? null : revenue[p - 1],
                Leads = _leads?[p],
            });
        }

        return kpis.MoveToImmutable();
    }

    public CohortTable Cohorts()
    {
        // Per cohort (its acquisition period), per period since: active customers, orders, money.
        var active = new int[_periods][];
        var orders = new long[_periods][];
        var revenue = new decimal[_periods][];
        var cohort = -1;
        for (var g = 0; g < _customer.Length; g++)
        {
            if (g == 0 || _customer[g - 1] != _customer[g])
            {
                cohort = _period[g];
                if (active[cohort] is null)
                {
                    active[cohort] = new int[_periods - cohort];
                    orders[cohort] = new long[_periods - cohort];
                    revenue[cohort] = new decimal[_periods - cohort];
                }
            }

            var since = _period[g] - cohort;
            active[cohort][since]++;
            orders[cohort][since] += _orders[g];
            revenue[cohort][since] = PeriodSum(revenue[cohort][since], _amount[g], _period[g]);
        }

        var cohorts = ImmutableArray.CreateBuilder<Cohort>();
        for (var c = 0; c < _periods; c++)
        {
            if (active[c] is null)
            {
                continue;
            }

            var start = PeriodStart(c);
            var size = active[c][0];
            var cells = ImmutableArray.CreateBuilder<CohortCell>(active[c].Length);
            for (var k = 0; k < active[c].Length; k++)
            {
                var complete = _calendar.End(_firstOrdinal + c + k) <= _localAsOf;
                cells.Add(new CohortCell(start, k, PeriodStart(c + k), complete, size, active[c][k], orders[c][k], revenue[c][k]));
            }

            cohorts.Add(new Cohort(start, size, cells.MoveToImmutable()));
        }

        return new CohortTable(_calendar, cohorts.ToImmutable());
    }

    // The period number of each lead count, checking that each key is the start of a period.
    private static List<(int Ordinal, long Count)>? LeadOrdinals(IReadOnlyDictionary<DateTime, long>? leads, PeriodCalendar calendar)
    {
        if (leads is null)
        {
            return null;
        }

        var ordinals = new List<(int, long)>(leads.Count);
        foreach (var (start, count) in leads)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(leads));
            var ordinal = calendar.OrdinalOfLocal(start);
            if (calendar.Start(ordinal) != start)
            {
                throw new ArgumentException(
                    $"Leads are given for {start:yyyy-MM-dd HH:mm}, which is not the start of a {calendar.Unit.ToString().ToLowerInvariant()}: that would be {calendar.Start(ordinal):yyyy-MM-dd HH:mm}.",
                    nameof(leads));
            }

            ordinals.Add((ordinal, count));
        }

        return ordinals;
    }

    private DateTime PeriodStart(int period) => _calendar.Start(_firstOrdinal + period);

    private decimal PeriodSum(decimal total, decimal amount, int period)
    {
        try
        {
            return ExactDecimal.Sum(total, amount);
        }
        catch (OverflowException ex)
        {
            throw new OverflowException($"The revenue of the period starting {PeriodStart(period):yyyy-MM-dd} exceeds what a decimal holds exactly.", ex);
        }
    }
}
