using FsCheck.Xunit;
using Rfm.Analytics;

namespace Rfm.Tests.Analytics;

/// <summary>
/// Properties of <see cref="OrderHistory.Kpis"/> and <see cref="OrderHistory.Cohorts"/> over random transaction logs,
/// policies and calendars (see <see cref="AnalyticsGenerators"/>), for every <see cref="PeriodUnit"/>: a plain LINQ
/// reference, the bounds and identities of the KPIs, and independence from row order and from merging.
/// </summary>
[Properties(Arbitrary = [typeof(Generators), typeof(AnalyticsGenerators)])]
public sealed class AnalyticsPropertyTests
{
    private static readonly PeriodUnit[] Units = Enum.GetValues<PeriodUnit>();

    // ---- A plain reference ----

    [Property(MaxTest = 1000)]
    public void KpisAndCohorts_MatchLinqReference(AnalyticsCase c)
    {
        var history = Accumulate(c.Log.Rows, c.Log.AsOf, c.Policy).History();
        foreach (var unit in Units)
        {
            var calendar = c.Calendar.For(unit);
            var reference = Reference(c.Log, c.Policy, calendar);

            // Leads for every other period, some of them zero.
            var leads = reference.Kpis.Where((_, i) => i % 2 == 0).Select((k, i) => (k.Start, Count: (long)(i % 4))).ToDictionary(x => x.Start, x => x.Count);
            var expected = reference.Kpis.Select(k => k with { Leads = leads.TryGetValue(k.Start, out var n) ? n : null }).ToArray();

            Assert.Equal(expected, history.Kpis(calendar, leads).ToArray());
            Assert.Equal(reference.Cells, history.Cohorts(calendar).Cells.ToArray());
        }
    }

    // ---- Bounds and identities ----

    [Property(MaxTest = 1000)]
    public void Kpis_BoundedRates_AreWithinZeroAndOne(AnalyticsCase c)
    {
        var history = Accumulate(c.Log.Rows, c.Log.AsOf, c.Policy).History();
        foreach (var unit in Units)
        {
            var calendar = c.Calendar.For(unit);
            foreach (var k in history.Kpis(calendar))
            {
                AssertShare(k.RetentionRate, k.Start, nameof(k.RetentionRate));
                AssertShare(k.ChurnRate, k.Start, nameof(k.ChurnRate));
                AssertShare(k.RepeatPurchaseRate, k.Start, nameof(k.RepeatPurchaseRate));
                Assert.Equal(k.CustomersAtStart is > 0, k.RetentionRate is not null);
                Assert.Equal(k.ActiveCustomers > 0, k.RepeatPurchaseRate is not null);
                if (k.RetentionRate is { } retention)
                {
                    Assert.Equal(1.0, retention + k.ChurnRate!.Value, 12);
                }
            }

            foreach (var cell in history.Cohorts(calendar).Cells)
            {
                AssertShare(cell.RetentionShare, cell.PeriodStart, nameof(cell.RetentionShare));
            }
        }
    }

    [Property(MaxTest = 1000)]
    public void Kpis_ActiveIsNewPlusRetainedPlusReactivated_AndChurnedPlusRetainedIsPreviousActive(AnalyticsCase c)
    {
        var history = Accumulate(c.Log.Rows, c.Log.AsOf, c.Policy).History();
        foreach (var unit in Units)
        {
            var kpis = history.Kpis(c.Calendar.For(unit));
            for (var p = 0; p < kpis.Length; p++)
            {
                var k = kpis[p];
                Assert.InRange(k.NewCustomers, 0, k.ActiveCustomers);
                Assert.InRange(k.RepeatCustomers, 0, k.ActiveCustomers);
                Assert.InRange(k.Orders, k.ActiveCustomers, long.MaxValue);
                if (p == 0)
                {
                    Assert.Equal(k.ActiveCustomers, k.NewCustomers);
                    continue;
                }

                Assert.Equal(kpis[p - 1].End, k.Start);
                Assert.Equal(kpis[p - 1].ActiveCustomers, k.CustomersAtStart);
                Assert.Equal(kpis[p - 1].Revenue, k.PreviousRevenue);
                Assert.InRange(k.RetainedCustomers!.Value, 0, Math.Min(k.CustomersAtStart!.Value, k.ActiveCustomers - k.NewCustomers));
                Assert.InRange(k.ReactivatedCustomers!.Value, 0, k.ActiveCustomers);
                Assert.InRange(k.ChurnedCustomers!.Value, 0, k.CustomersAtStart!.Value);
                Assert.Equal(k.ActiveCustomers, k.NewCustomers + k.RetainedCustomers + k.ReactivatedCustomers);
                Assert.Equal(k.CustomersAtStart, k.ChurnedCustomers + k.RetainedCustomers);
            }
        }
    }

    [Property(MaxTest = 1000)]
    public void Kpis_SumsOverPeriods_AreTheCustomersOrdersAndMoney(AnalyticsCase c)
    {
        var history = Accumulate(c.Log.Rows, c.Log.AsOf, c.Policy).History();
        var customers = history.Metrics.Customers;
        Assert.Equal(customers.Sum(m => (long)m.Frequency), history.Orders);
        foreach (var unit in Units)
        {
            var kpis = history.Kpis(c.Calendar.For(unit));
            Assert.Equal(customers.Length, kpis.Sum(k => k.NewCustomers));
            Assert.Equal(history.Orders, kpis.Sum(k => k.Orders));
            Assert.Equal(customers.Sum(m => m.Monetary), kpis.Sum(k => k.Revenue));
            Assert.Equal(customers.Length == 0, kpis.IsEmpty);
        }
    }

    [Property(MaxTest = 1000)]
    public void Cohorts_ActiveNeverExceedsSize_AndSizesAddUpToTheCustomers(AnalyticsCase c)
    {
        var history = Accumulate(c.Log.Rows, c.Log.AsOf, c.Policy).History();
        foreach (var unit in Units)
        {
            var calendar = c.Calendar.For(unit);
            var table = history.Cohorts(calendar);
            var kpis = history.Kpis(calendar);
            Assert.Equal(history.Metrics.Customers.Length, table.Cohorts.Sum(cohort => cohort.Size));
            Assert.Equal(kpis.Where(k => k.NewCustomers > 0).Select(k => (k.Start, k.NewCustomers)), table.Cohorts.Select(cohort => (cohort.Start, cohort.Size)));
            Assert.Equal(table.Cohorts.SelectMany(cohort => cohort.Cells).ToArray(), table.Cells.ToArray());
            foreach (var cohort in table.Cohorts)
            {
                Assert.True(cohort.Size > 0);
                Assert.Equal(cohort.Size, cohort.Cells[0].ActiveCustomers);
                Assert.Equal(1.0, cohort.Cells[0].RetentionShare);
                Assert.Equal(kpis[^1].Start, cohort.Cells[^1].PeriodStart);
                for (var k = 0; k < cohort.Cells.Length; k++)
                {
                    var cell = cohort.Cells[k];
                    Assert.Equal((cohort.Start, k, cohort.Size), (cell.Cohort, cell.PeriodsSinceAcquisition, cell.CohortSize));
                    Assert.InRange(cell.ActiveCustomers, 0, cohort.Size);
                    Assert.InRange(cell.Orders, cell.ActiveCustomers, long.MaxValue);
                }
            }
        }
    }

    // ---- Row order and merging change nothing ----

    [Property(MaxTest = 1000)]
    public void KpisAndCohorts_DoNotDependOnRowOrder(AnalyticsCase c)
    {
        var expected = Accumulate(c.Log.Rows, c.Log.AsOf, c.Policy).History();
        var shuffled = Accumulate(c.Shuffled, c.Log.AsOf, c.Policy).History();

        AssertSameAnalytics(expected, shuffled, c.Calendar);
    }

    [Property(MaxTest = 1000)]
    public void KpisAndCohorts_AnySplitMergedInAnyOrder_GiveTheSingleAccumulatorsResult(AnalyticsSplitCase c)
    {
        var split = c.Split;
        var expected = Accumulate(split.Log.Rows, split.Log.AsOf, split.Policy).History();
        var merged = split.Merge(keepOrders: true).History();

        AssertSameAnalytics(expected, merged, c.Calendar);
    }

    [Property(MaxTest = 200)]
    public void Merge_KeepingOrdersWithNotKeeping_ThrowsAndChangesNothing(TransactionLog log, bool keepingFirst)
    {
        var half = log.Rows.Length / 2;
        var keeping = Accumulate(log.Rows[..half], log.AsOf, null);
        var notKeeping = new RfmAccumulator(log.AsOf);
        notKeeping.AddRange(log.Rows[half..]);
        var before = keeping.History();

        var ex = keepingFirst
            ? Assert.Throws<ArgumentException>(() => keeping.Merge(notKeeping))
            : Assert.Throws<ArgumentException>(() => notKeeping.Merge(keeping));

        Assert.Equal("other", ex.ParamName);
        AssertSameAnalytics(before, keeping.History(), new CalendarCase(DayOfWeek.Monday, null));
    }

    // ---- Helpers ----

    private static RfmAccumulator Accumulate(Transaction[] rows, DateTime asOf, PolicyCase? policy)
    {
        var accumulator = new RfmAccumulator(asOf, policy?.Policy, keepOrders: true);
        foreach (var row in rows)
        {
            accumulator.Add(in row);
        }

        return accumulator;
    }

    private static void AssertSameAnalytics(OrderHistory expected, OrderHistory actual, CalendarCase calendar)
    {
        Assert.Equal(expected.Orders, actual.Orders);
        Assert.Equal(expected.Metrics.Customers.ToArray(), actual.Metrics.Customers.ToArray());
        foreach (var unit in Units)
        {
            var periods = calendar.For(unit);
            Assert.Equal(expected.Kpis(periods).ToArray(), actual.Kpis(periods).ToArray());
            Assert.Equal(expected.Cohorts(periods).Cells.ToArray(), actual.Cohorts(periods).Cells.ToArray());
        }
    }

    private static void AssertShare(double? share, DateTime period, string name)
    {
        if (share is { } value)
        {
            Assert.True(value is >= 0 and <= 1, $"{name} of the period starting {period:O} is {value}");
        }
    }

    /// <summary>
    /// The KPIs and cohort cells in plain LINQ, from the rows: classify each (as the accumulator's reference does),
    /// drop customers with a non-positive total when the policy says so, group into orders (a distinct customer and
    /// order id, or a row without one), date each order by its earliest line, and count per calendar period, the
    /// periods worked out here from the calendar's description.
    /// </summary>
    private static (PeriodKpis[] Kpis, CohortCell[] Cells) Reference(TransactionLog log, PolicyCase policy, PeriodCalendar calendar)
    {
        bool Used(Transaction row) =>
            !string.IsNullOrWhiteSpace(row.CustomerId)
            && !policy.IsCancellation(row.OrderId)
            && !(policy.ExcludeNonPositive && row.Amount <= 0m)
            && row.Timestamp <= log.AsOf;

        var orders = log.Rows
            .Select((row, index) => (Row: row, Index: index))
            .Where(x => Used(x.Row))
            .GroupBy(x => x.Row.CustomerId!, StringComparer.Ordinal)
            .Where(customer => !(policy.DropNonPositiveCustomers && customer.Sum(x => x.Row.Amount) <= 0m))
            .SelectMany(customer => customer)
            .GroupBy(x => (x.Row.CustomerId!, string.IsNullOrEmpty(x.Row.OrderId) ? $"\0{x.Index}" : x.Row.OrderId))
            .Select(order => (Customer: order.Key.Item1, Period: PeriodStart(calendar, order.Min(x => x.Row.Timestamp)), Amount: order.Sum(x => x.Row.Amount)))
            .ToArray();
        if (orders.Length == 0)
        {
            return ([], []);
        }

        var starts = new List<DateTime>();
        // From the first order's period to the one holding the analysis date.
        var last = new[] { orders.Max(o => o.Period), PeriodStart(calendar, log.AsOf.AddTicks(-1)) }.Max();
        for (var start = orders.Min(o => o.Period); start <= last; start = Next(calendar.Unit, start))
        {
            starts.Add(start);
        }

        var periodOf = starts.Select((start, index) => (start, index)).ToDictionary(x => x.start, x => x.index);
        var firstPeriod = orders.GroupBy(o => o.Customer).ToDictionary(g => g.Key, g => periodOf[g.Min(o => o.Period)]);
        var active = starts.Select(start => orders.Where(o => o.Period == start).Select(o => o.Customer).ToHashSet()).ToArray();
        var asOf = calendar.TimeZone is null ? log.AsOf : TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(log.AsOf, DateTimeKind.Utc), calendar.TimeZone);

        var kpis = new PeriodKpis[starts.Count];
        for (var p = 0; p < starts.Count; p++)
        {
            var inPeriod = orders.Where(o => o.Period == starts[p]).ToArray();
            var revenue = inPeriod.Sum(o => o.Amount);
            kpis[p] = new PeriodKpis
            {
                Start = starts[p],
                End = Next(calendar.Unit, starts[p]),
                Complete = Next(calendar.Unit, starts[p]) <= asOf,
                ActiveCustomers = active[p].Count,
                NewCustomers = firstPeriod.Count(f => f.Value == p),
                CustomersAtStart = p == 0 ? null : active[p - 1].Count,
                RetainedCustomers = p == 0 ? null : active[p].Count(active[p - 1].Contains),
                RepeatCustomers = inPeriod.GroupBy(o => o.Customer).Count(g => g.Count() >= 2),
                Orders = inPeriod.Length,
                Revenue = revenue,
                PreviousRevenue = p == 0 ? null : kpis[p - 1].Revenue,
                Leads = null,
            };
        }

        var cells = new List<CohortCell>();
        for (var cohort = 0; cohort < starts.Count; cohort++)
        {
            var members = firstPeriod.Where(f => f.Value == cohort).Select(f => f.Key).ToHashSet();
            if (members.Count == 0)
            {
                continue;
            }

            for (var p = cohort; p < starts.Count; p++)
            {
                var theirs = orders.Where(o => o.Period == starts[p] && members.Contains(o.Customer)).ToArray();
                cells.Add(new CohortCell(starts[cohort], p - cohort, starts[p], Next(calendar.Unit, starts[p]) <= asOf, members.Count, theirs.Select(o => o.Customer).Distinct().Count(), theirs.Length, theirs.Sum(o => o.Amount)));
            }
        }

        return (kpis, [.. cells]);
    }

    /// <summary>The period start of a timestamp, from the calendar's description: the zone's wall clock, then the unit.</summary>
    private static DateTime PeriodStart(PeriodCalendar calendar, DateTime timestamp)
    {
        var local = calendar.TimeZone is null ? timestamp : TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(timestamp, DateTimeKind.Utc), calendar.TimeZone);
        var start = calendar.Unit switch
        {
            PeriodUnit.Day => local.Date,
            PeriodUnit.Week => local.Date.AddDays(-(((int)local.DayOfWeek - (int)calendar.FirstDayOfWeek + 7) % 7)),
            PeriodUnit.Month => new DateTime(local.Year, local.Month, 1),
            PeriodUnit.Quarter => new DateTime(local.Year, (((local.Month - 1) / 3) * 3) + 1, 1),
            _ => new DateTime(local.Year, 1, 1),
        };
        return DateTime.SpecifyKind(start, DateTimeKind.Unspecified);
    }

    private static DateTime Next(PeriodUnit unit, DateTime start) => unit switch
    {
        PeriodUnit.Day => start.AddDays(1),
        PeriodUnit.Week => start.AddDays(7),
        PeriodUnit.Month => start.AddMonths(1),
        PeriodUnit.Quarter => start.AddMonths(3),
        _ => start.AddYears(1),
    };
}
