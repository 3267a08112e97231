using Rfm.Analytics;

namespace Rfm.Tests.Analytics;

/// <summary>
/// <see cref="OrderHistory.Kpis"/> and <see cref="PeriodCalendar"/> on small hand-computed examples: every KPI of
/// <see cref="PeriodKpis"/>, calendar boundaries, time zones, and the errors each entry point documents.
/// </summary>
public sealed class PeriodKpisTests
{
    private static readonly DateTime AsOf = new(2024, 5, 20);

    // Seven customers over January to May 2024, analysed on 20 May under the default policy:
    //
    //   customer  order  time              amount   note
    //   a         1      01-05 10:00        10.00   two lines of one order: 15.50
    //   a         1      01-05 10:00         5.50
    //   b         3      01-10 09:00        30.00
    //   a         2      01-20 12:00        20.00   a's second January order
    //   c         4      01-31 23:00        12.25
    //   a         5      02-03              40.00
    //   a         C5     02-04             -40.00   cancellation: excluded
    //   b         6      02-14              10.00
    //   b         7      02-15              10.00   b's second February order
    //   d         8      02-20              25.00
    //   d         9      02-29 22:00         5.00   an order whose lines span February and March:
    //   d         9      03-01 01:00         5.00     it counts in February, its earliest line (10.00)
    //   f         12     03-05             100.00
    //   c         10     03-10               8.00   c is back after a month away
    //   a         11     03-15              12.00
    //   e         -      03-20               3.00   rows without an order id: one order each,
    //   e         -      03-20               4.00     so e has three orders in March
    //   e         ""     03-25               5.00
    //   (April: no order at all)
    //   b         13     05-02              50.00   b is back after two months away
    //   g         14     05-10              60.00
    //   g         15     05-25              70.00   after the analysis date: excluded
    //
    // Per month (active = customers with an order in the month; S = active the month before; R = active in both):
    //
    //   month  active     new      S  R  react. churned  repeat   orders  revenue  AOV      PF
    //   Jan    a b c   3  a b c 3  -  -  -      -        a     1  4        77.75   19.4375  4/3
    //   Feb    a b d   3  d     1  3  2  0      c     1  b d   2  5        95.00   19       5/3
    //   Mar    a c e f 4  e f   2  3  1  c   1  b d   2  e     1  6       132.00   22       6/4
    //   Apr            0        0  4  0  0      all   4        0  0         0.00   -        -
    //   May    b g     2  g     1  0  0  b   1  -     0        0  2       110.00   55       2/2
    //
    // Rates: retention R/S, churn (S-R)/S, acquisition N/S, repeat purchase repeat/active, revenue growth
    // (V - V before)/V before, customer growth (A - A before)/A before:
    //
    //   month  retention  churn  acquisition  repeat  revenue growth       customer growth
    //   Jan    -          -      -            1/3     -                    -
    //   Feb    2/3        1/3    1/3          2/3     (95-77.75)/77.75     0
    //   Mar    1/3        2/3    2/3          1/4     (132-95)/95          1/3
    //   Apr    0          1      0            -       -1                   -1
    //   May    -          -      -            0       - (revenue before 0) - (no customer before)
    //
    // Leads given for January (10), March (8), April (5) and May (0); none for February:
    // conversion N/leads = 3/10, -, 2/8, 0/5, - (no lead).
    private static readonly Transaction[] Rows =
    [
        new("a", "1", new DateTime(2024, 1, 5, 10, 0, 0), 10.00m),
        new("a", "1", new DateTime(2024, 1, 5, 10, 0, 0), 5.50m),
        new("b", "3", new DateTime(2024, 1, 10, 9, 0, 0), 30.00m),
        new("a", "2", new DateTime(2024, 1, 20, 12, 0, 0), 20.00m),
        new("c", "4", new DateTime(2024, 1, 31, 23, 0, 0), 12.25m),
        new("a", "5", new DateTime(2024, 2, 3), 40.00m),
        new("a", "C5", new DateTime(2024, 2, 4), -40.00m),
        new("b", "6", new DateTime(2024, 2, 14), 10.00m),
        new("b", "7", new DateTime(2024, 2, 15), 10.00m),
        new("d", "8", new DateTime(2024, 2, 20), 25.00m),
        new("d", "9", new DateTime(2024, 2, 29, 22, 0, 0), 5.00m),
        new("d", "9", new DateTime(2024, 3, 1, 1, 0, 0), 5.00m),
        new("f", "12", new DateTime(2024, 3, 5), 100.00m),
        new("c", "10", new DateTime(2024, 3, 10), 8.00m),
        new("a", "11", new DateTime(2024, 3, 15), 12.00m),
        new("e", null, new DateTime(2024, 3, 20), 3.00m),
        new("e", null, new DateTime(2024, 3, 20), 4.00m),
        new("e", "", new DateTime(2024, 3, 25), 5.00m),
        new("b", "13", new DateTime(2024, 5, 2), 50.00m),
        new("g", "14", new DateTime(2024, 5, 10), 60.00m),
        new("g", "15", new DateTime(2024, 5, 25), 70.00m),
    ];

    private static readonly PeriodCalendar Monthly = new(PeriodUnit.Month);

    // ---- Every KPI of the worked example ----

    [Fact]
    public void Kpis_WorkedExample_PeriodsAndCompleteness()
    {
        var kpis = History(Rows).Kpis(Monthly);

        // The excluded row of 25 May opens no period of its own; April is there although empty.
        Assert.Equal([Month(1), Month(2), Month(3), Month(4), Month(5)], kpis.Select(k => k.Start));
        Assert.Equal([Month(2), Month(3), Month(4), Month(5), Month(6)], kpis.Select(k => k.End));
        Assert.Equal([true, true, true, true, false], kpis.Select(k => k.Complete));
    }

    [Fact]
    public void Kpis_WorkedExample_CustomerCounts()
    {
        var kpis = History(Rows).Kpis(Monthly);

        Assert.Equal([3, 3, 4, 0, 2], kpis.Select(k => k.ActiveCustomers));
        Assert.Equal([3, 1, 2, 0, 1], kpis.Select(k => k.NewCustomers));
        Assert.Equal([0, 2, 2, 0, 1], kpis.Select(k => k.ReturningCustomers));
        Assert.Equal([null, 3, 3, 4, 0], kpis.Select(k => k.CustomersAtStart));
        Assert.Equal([null, 2, 1, 0, 0], kpis.Select(k => k.RetainedCustomers));
        Assert.Equal([null, 0, 1, 0, 1], kpis.Select(k => k.ReactivatedCustomers));
        Assert.Equal([null, 1, 2, 4, 0], kpis.Select(k => k.ChurnedCustomers));
        Assert.Equal([1, 2, 1, 0, 0], kpis.Select(k => k.RepeatCustomers));
    }

    [Fact]
    public void Kpis_WorkedExample_Rates()
    {
        var kpis = History(Rows).Kpis(Monthly);

        AssertRates([null, 2.0 / 3, 1.0 / 3, 0, null], kpis.Select(k => k.RetentionRate));
        AssertRates([null, 1.0 / 3, 2.0 / 3, 1, null], kpis.Select(k => k.ChurnRate));
        AssertRates([null, 1.0 / 3, 2.0 / 3, 0, null], kpis.Select(k => k.AcquisitionRate));
        AssertRates([1.0 / 3, 2.0 / 3, 1.0 / 4, null, 0], kpis.Select(k => k.RepeatPurchaseRate));
        AssertRates([4.0 / 3, 5.0 / 3, 6.0 / 4, null, 1], kpis.Select(k => k.PurchaseFrequency));
        AssertRates([null, 17.25 / 77.75, 37.0 / 95, -1, null], kpis.Select(k => k.RevenueGrowthRate));
        AssertRates([null, 0, 1.0 / 3, -1, null], kpis.Select(k => k.CustomerGrowthRate));
    }

    [Fact]
    public void Kpis_WorkedExample_OrdersAndExactMoney()
    {
        var kpis = History(Rows).Kpis(Monthly);

        Assert.Equal([4L, 5, 6, 0, 2], kpis.Select(k => k.Orders));
        Assert.Equal([77.75m, 95.00m, 132.00m, 0m, 110.00m], kpis.Select(k => k.Revenue));
        Assert.Equal([null, 77.75m, 95.00m, 132.00m, 0m], kpis.Select(k => k.PreviousRevenue));
        Assert.Equal([19.4375m, 19m, 22m, null, 55m], kpis.Select(k => k.AverageOrderValue));
    }

    [Fact]
    public void Kpis_WorkedExample_LeadsAndConversion()
    {
        var leads = new Dictionary<DateTime, long> { [Month(1)] = 10, [Month(3)] = 8, [Month(4)] = 5, [Month(5)] = 0 };

        var kpis = History(Rows).Kpis(Monthly, leads);

        Assert.Equal([10L, null, 8, 5, 0], kpis.Select(k => k.Leads));
        AssertRates([3.0 / 10, null, 2.0 / 8, 0, null], kpis.Select(k => k.ConversionRate));
    }

    [Fact]
    public void Kpis_WithoutLeads_HaveNoLeadsNorConversion()
    {
        var kpis = History(Rows).Kpis(Monthly);

        Assert.All(kpis, k => Assert.Null(k.Leads));
        Assert.All(kpis, k => Assert.Null(k.ConversionRate));
    }

    [Fact]
    public void Kpis_FirstPeriod_HasNullComparisons()
    {
        var first = History(Rows).Kpis(Monthly)[0];

        Assert.Null(first.CustomersAtStart);
        Assert.Null(first.RetainedCustomers);
        Assert.Null(first.ReactivatedCustomers);
        Assert.Null(first.ChurnedCustomers);
        Assert.Null(first.RetentionRate);
        Assert.Null(first.ChurnRate);
        Assert.Null(first.AcquisitionRate);
        Assert.Null(first.PreviousRevenue);
        Assert.Null(first.RevenueGrowthRate);
        Assert.Null(first.CustomerGrowthRate);
    }

    [Fact]
    public void History_WorkedExample_CountsOrdersAndCustomersAsTheSnapshot()
    {
        var history = History(Rows);

        Assert.Equal(AsOf, history.AsOf);
        Assert.Equal(17, history.Orders); // 4 + 5 + 6 + 0 + 2
        Assert.Equal(history.Orders, history.Metrics.Customers.Sum(c => c.Frequency));
        Assert.Equal(["a", "b", "c", "d", "e", "f", "g"], history.Metrics.Customers.Select(c => c.CustomerId));
        Assert.Equal(414.75m, history.Metrics.Customers.Sum(c => c.Monetary)); // 77.75 + 95 + 132 + 110
    }

    [Fact]
    public void Kpis_QuarterOfTheWorkedExample_AddsTheMonthsUp()
    {
        // Q1: a b c d e f active and new; 4 + 5 + 6 = 15 orders, 77.75 + 95 + 132 = 304.75; repeat customers a (4
        // orders), b (3), c (2), d (2), e (3). Q2: b and g active, g new, b retained from Q1, the other five churned.
        var kpis = History(Rows).Kpis(new PeriodCalendar(PeriodUnit.Quarter));

        Assert.Equal([new DateTime(2024, 1, 1), new DateTime(2024, 4, 1)], kpis.Select(k => k.Start));
        Assert.Equal([6, 2], kpis.Select(k => k.ActiveCustomers));
        Assert.Equal([6, 1], kpis.Select(k => k.NewCustomers));
        Assert.Equal([null, 1], kpis.Select(k => k.RetainedCustomers));
        Assert.Equal([null, 5], kpis.Select(k => k.ChurnedCustomers));
        Assert.Equal([5, 0], kpis.Select(k => k.RepeatCustomers));
        Assert.Equal([15L, 2], kpis.Select(k => k.Orders));
        Assert.Equal([304.75m, 110.00m], kpis.Select(k => k.Revenue));
        Assert.Equal([true, false], kpis.Select(k => k.Complete));
    }

    [Fact]
    public void Kpis_NegativeRevenueBefore_HasNoRevenueGrowthRate()
    {
        // Without excluding non-positive amounts, January's revenue is -10.00: growth is defined only from a positive base.
        var policy = TransactionPolicy.Default with { ExcludeNonPositive = false };
        var kpis = History(
        [
            new("a", "1", new DateTime(2024, 1, 3), -10.00m),
            new("a", "2", new DateTime(2024, 2, 3), 30.00m),
            new("a", "3", new DateTime(2024, 3, 3), 45.00m),
        ], policy, asOf: Month(4)).Kpis(Monthly);

        Assert.Equal([null, -10.00m, 30.00m], kpis.Select(k => k.PreviousRevenue));
        AssertRates([null, null, 0.5], kpis.Select(k => k.RevenueGrowthRate));
        Assert.Equal(-10.00m, kpis[0].AverageOrderValue);
    }

    // ---- Orders ----

    [Fact]
    public void Kpis_OrderSpanningTwoPeriods_CountsInThePeriodOfItsEarliestLine()
    {
        // The later line comes first: the order's time is still the earliest of its lines.
        var kpis = History(
        [
            new("a", "7", new DateTime(2024, 2, 1, 10, 0, 0), 4.00m),
            new("a", "7", new DateTime(2024, 1, 31, 20, 0, 0), 6.00m),
        ], asOf: new DateTime(2024, 2, 2)).Kpis(Monthly);

        // February (where the analysis date falls) holds the order's later line, but not the order.
        Assert.Equal([1L, 0], kpis.Select(k => k.Orders));
        var january = kpis[0];
        Assert.Equal(Month(1), january.Start);
        Assert.Equal(1, january.Orders);
        Assert.Equal(10.00m, january.Revenue);
        Assert.Equal(0, january.RepeatCustomers);
    }

    [Fact]
    public void Kpis_RowsWithoutOrderId_AreOneOrderEach()
    {
        Transaction[] rows =
        [
            new("x", null, new DateTime(2024, 1, 3), 1.00m),
            new("x", null, new DateTime(2024, 1, 3), 2.00m),
            new("x", null, new DateTime(2024, 1, 3), 3.00m),
            new("x", "", new DateTime(2024, 1, 9), 4.00m),
        ];

        var kpis = History(rows, asOf: Month(2)).Kpis(Monthly);
        var columns = new RfmAccumulator(Month(2), keepOrders: true);
        columns.AddColumns(rows.Select(r => r.CustomerId).ToArray(), [], rows.Select(r => r.Timestamp).ToArray(), rows.Select(r => r.Amount).ToArray());

        var january = Assert.Single(kpis);
        Assert.Equal(4, january.Orders);
        Assert.Equal(1, january.ActiveCustomers);
        Assert.Equal(1, january.RepeatCustomers);
        Assert.Equal(10.00m, january.Revenue);
        Assert.Equal(2.5m, january.AverageOrderValue);
        Assert.Equal(kpis.ToArray(), columns.History().Kpis(Monthly).ToArray());
    }

    [Fact]
    public void Kpis_SameOrderIdForTwoCustomers_IsTwoOrders()
    {
        var january = Assert.Single(History(
        [
            new("a", "1", new DateTime(2024, 1, 3), 1.00m),
            new("b", "1", new DateTime(2024, 1, 3), 2.00m),
        ], asOf: Month(2)).Kpis(Monthly));

        Assert.Equal(2, january.Orders);
        Assert.Equal(0, january.RepeatCustomers);
    }

    [Fact]
    public void Kpis_NoOrder_IsEmpty()
    {
        var history = new RfmAccumulator(AsOf, keepOrders: true).History();

        Assert.Equal(0, history.Orders);
        Assert.Empty(history.Kpis(Monthly));
        Assert.Empty(history.Kpis(Monthly, new Dictionary<DateTime, long>()));
        Assert.Empty(history.Cohorts(Monthly).Cohorts);
    }

    [Fact]
    public void Kpis_OnlyExcludedRows_IsEmpty()
    {
        var history = History(
        [
            new("a", "C1", new DateTime(2024, 1, 3), 5.00m),
            new(null, "1", new DateTime(2024, 1, 3), 5.00m),
            new("a", "2", new DateTime(2024, 6, 3), 5.00m),
        ]);

        Assert.Empty(history.Kpis(Monthly));
    }

    [Fact]
    public void Kpis_DropNonPositiveCustomers_LeavesTheDroppedCustomersOrdersOut()
    {
        // h's total is 10.00 - 15.00 = -5.00: dropped, with its December order, which would otherwise open the periods.
        var policy = TransactionPolicy.Default with { ExcludeNonPositive = false, DropNonPositiveCustomers = true };
        Transaction[] kept =
        [
            new("a", "1", new DateTime(2024, 1, 3), 10.00m),
            new("a", "2", new DateTime(2024, 2, 3), 20.00m),
            new("a", "3", new DateTime(2024, 2, 4), -5.00m),
        ];
        Transaction[] dropped =
        [
            new("h", "50", new DateTime(2023, 12, 3), 10.00m),
            new("h", "51", new DateTime(2024, 2, 3), -15.00m),
        ];

        var history = History([.. kept, .. dropped], policy, asOf: Month(3));
        var kpis = history.Kpis(Monthly);

        Assert.Equal(["a"], history.Metrics.Customers.Select(c => c.CustomerId));
        Assert.Equal(3, history.Orders);
        Assert.Equal([Month(1), Month(2)], kpis.Select(k => k.Start));
        Assert.Equal([1, 1], kpis.Select(k => k.ActiveCustomers));
        Assert.Equal([1, 0], kpis.Select(k => k.NewCustomers));
        Assert.Equal([1L, 2], kpis.Select(k => k.Orders));
        Assert.Equal([10.00m, 15.00m], kpis.Select(k => k.Revenue));
        Assert.Equal(History(kept, policy, asOf: Month(3)).Kpis(Monthly).ToArray(), kpis.ToArray());
        var cohort = Assert.Single(history.Cohorts(Monthly).Cohorts);
        Assert.Equal((Month(1), 1), (cohort.Start, cohort.Size));
    }

    // ---- Calendars ----

    [Theory]
    [InlineData(PeriodUnit.Day, "2024-02-29 13:45:00", "2024-02-29")]
    [InlineData(PeriodUnit.Day, "2024-02-29 00:00:00", "2024-02-29")]
    [InlineData(PeriodUnit.Day, "2024-02-29 23:59:59.9999999", "2024-02-29")]
    [InlineData(PeriodUnit.Week, "2024-01-03 08:00:00", "2024-01-01")] // a Wednesday
    [InlineData(PeriodUnit.Week, "2024-01-01 00:00:00", "2024-01-01")] // a Monday
    [InlineData(PeriodUnit.Week, "2024-01-07 23:59:59", "2024-01-01")] // Sunday ends the ISO week
    [InlineData(PeriodUnit.Week, "2023-12-31 12:00:00", "2023-12-25")] // across the year boundary
    [InlineData(PeriodUnit.Month, "2024-02-29 23:59:59", "2024-02-01")]
    [InlineData(PeriodUnit.Month, "2023-12-31 23:59:59", "2023-12-01")]
    [InlineData(PeriodUnit.Quarter, "2024-03-31 23:59:59.9999999", "2024-01-01")]
    [InlineData(PeriodUnit.Quarter, "2024-04-01 00:00:00", "2024-04-01")]
    [InlineData(PeriodUnit.Quarter, "2024-09-30 12:00:00", "2024-07-01")]
    [InlineData(PeriodUnit.Quarter, "2023-12-31 23:59:59", "2023-10-01")]
    [InlineData(PeriodUnit.Year, "2023-12-31 23:59:59.9999999", "2023-01-01")]
    [InlineData(PeriodUnit.Year, "2024-01-01 00:00:00", "2024-01-01")]
    public void StartOf_WithoutTimeZone_IsTheWallClockPeriodStart(PeriodUnit unit, string timestamp, string start)
    {
        var calendar = new PeriodCalendar(unit);

        Assert.Equal(Parse(start), calendar.StartOf(Parse(timestamp)));
    }

    [Theory]
    [InlineData(DayOfWeek.Sunday, "2024-01-03 08:00:00", "2023-12-31")] // Wednesday
    [InlineData(DayOfWeek.Sunday, "2024-01-06 23:59:59", "2023-12-31")] // Saturday
    [InlineData(DayOfWeek.Sunday, "2024-01-07 00:00:00", "2024-01-07")] // Sunday starts it
    [InlineData(DayOfWeek.Monday, "2024-01-07 00:00:00", "2024-01-01")]
    [InlineData(DayOfWeek.Saturday, "2024-01-05 10:00:00", "2023-12-30")]
    [InlineData(DayOfWeek.Saturday, "2024-01-06 10:00:00", "2024-01-06")]
    public void StartOf_Week_StartsOnTheFirstDayOfWeek(DayOfWeek firstDay, string timestamp, string start)
    {
        var calendar = new PeriodCalendar(PeriodUnit.Week) { FirstDayOfWeek = firstDay };

        Assert.Equal(Parse(start), calendar.StartOf(Parse(timestamp)));
        Assert.Equal(firstDay, calendar.StartOf(Parse(timestamp)).DayOfWeek);
    }

    [Fact]
    public void PeriodCalendar_Defaults_MondayAndNoTimeZone()
    {
        var calendar = new PeriodCalendar(PeriodUnit.Week);

        Assert.Equal(PeriodUnit.Week, calendar.Unit);
        Assert.Equal(DayOfWeek.Monday, calendar.FirstDayOfWeek);
        Assert.Null(calendar.TimeZone);
    }

    [Fact]
    public void Kpis_Week_MondayStartSplitsTheYearEndWeekendSundayStartDoesNot()
    {
        // Sunday 31 December 2023 and Monday 1 January 2024.
        Transaction[] rows =
        [
            new("a", "1", new DateTime(2023, 12, 31, 18, 0, 0), 1.00m),
            new("b", "2", new DateTime(2024, 1, 1, 9, 0, 0), 2.00m),
        ];

        var monday = History(rows, asOf: new DateTime(2024, 1, 2)).Kpis(new PeriodCalendar(PeriodUnit.Week));
        var sunday = History(rows, asOf: new DateTime(2024, 1, 2)).Kpis(new PeriodCalendar(PeriodUnit.Week) { FirstDayOfWeek = DayOfWeek.Sunday });

        Assert.Equal([new DateTime(2023, 12, 25), new DateTime(2024, 1, 1)], monday.Select(k => k.Start));
        Assert.Equal([new DateTime(2024, 1, 1), new DateTime(2024, 1, 8)], monday.Select(k => k.End));
        Assert.Equal([1, 1], monday.Select(k => k.NewCustomers));
        Assert.Equal([null, 0], monday.Select(k => k.RetainedCustomers));
        var week = Assert.Single(sunday);
        Assert.Equal(new DateTime(2023, 12, 31), week.Start);
        Assert.Equal(new DateTime(2024, 1, 7), week.End);
        Assert.Equal(2, week.ActiveCustomers);
        Assert.Equal(3.00m, week.Revenue);
    }

    [Fact]
    public void Kpis_QuarterAndYear_CrossTheYearBoundaryAsConsecutivePeriods()
    {
        Transaction[] rows =
        [
            new("a", "1", new DateTime(2023, 12, 31, 23, 59, 59), 1.00m),
            new("a", "2", new DateTime(2024, 1, 1), 2.00m),
            new("b", "3", new DateTime(2024, 3, 31, 23, 0, 0), 4.00m),
        ];

        var quarters = History(rows, asOf: new DateTime(2024, 4, 1)).Kpis(new PeriodCalendar(PeriodUnit.Quarter));
        var years = History(rows, asOf: new DateTime(2024, 4, 1)).Kpis(new PeriodCalendar(PeriodUnit.Year));

        Assert.Equal([new DateTime(2023, 10, 1), new DateTime(2024, 1, 1)], quarters.Select(k => k.Start));
        Assert.Equal([new DateTime(2024, 1, 1), new DateTime(2024, 4, 1)], quarters.Select(k => k.End));
        Assert.Equal([null, 1], quarters.Select(k => k.RetainedCustomers));
        Assert.Equal([1L, 2], quarters.Select(k => k.Orders));
        Assert.Equal([true, true], quarters.Select(k => k.Complete));
        Assert.Equal([new DateTime(2023, 1, 1), new DateTime(2024, 1, 1)], years.Select(k => k.Start));
        Assert.Equal([new DateTime(2024, 1, 1), new DateTime(2025, 1, 1)], years.Select(k => k.End));
        Assert.Equal([true, false], years.Select(k => k.Complete));
        Assert.Equal([null, 1], years.Select(k => k.RetainedCustomers));
        Assert.Equal([1.00m, 6.00m], years.Select(k => k.Revenue));
    }

    [Fact]
    public void Kpis_Day_CountsEveryDayFromFirstToLast()
    {
        var kpis = History(
        [
            new("a", "1", new DateTime(2024, 2, 28, 23, 59, 0), 1.00m),
            new("a", "2", new DateTime(2024, 3, 1, 0, 0, 0), 2.00m),
        ], asOf: new DateTime(2024, 3, 2)).Kpis(new PeriodCalendar(PeriodUnit.Day));

        // 29 February 2024 exists and is empty: a churns on it and is reactivated on 1 March.
        Assert.Equal([new DateTime(2024, 2, 28), new DateTime(2024, 2, 29), new DateTime(2024, 3, 1)], kpis.Select(k => k.Start));
        Assert.Equal([1, 0, 1], kpis.Select(k => k.ActiveCustomers));
        Assert.Equal([null, 1, 0], kpis.Select(k => k.ChurnedCustomers));
        Assert.Equal([null, 0, 1], kpis.Select(k => k.ReactivatedCustomers));
    }

    [Fact]
    public void StartOf_BerlinTimeZone_TakesTimestampsAsUtc()
    {
        var berlin = new PeriodCalendar(PeriodUnit.Month) { TimeZone = Berlin };
        var plain = new PeriodCalendar(PeriodUnit.Month);

        // 22:30 UTC on 31 March 2024 is 00:30 summer time on 1 April in Berlin.
        Assert.Equal(Month(4), berlin.StartOf(new DateTime(2024, 3, 31, 22, 30, 0)));
        Assert.Equal(Month(3), plain.StartOf(new DateTime(2024, 3, 31, 22, 30, 0)));

        // The day before, the clocks were still on winter time (UTC+1): 22:30 UTC is 23:30 on 30 March.
        Assert.Equal(Month(3), berlin.StartOf(new DateTime(2024, 3, 30, 23, 30, 0)));

        // 23:00 UTC on 31 January is midnight of 1 February (winter time).
        Assert.Equal(Month(2), berlin.StartOf(new DateTime(2024, 1, 31, 23, 0, 0)));
        Assert.Equal(Month(1), berlin.StartOf(new DateTime(2024, 1, 31, 22, 59, 59)));
    }

    [Theory]
    [InlineData("2024-10-26 21:59:59", "2024-10-26")] // 23:59:59 summer time (UTC+2)
    [InlineData("2024-10-26 22:00:00", "2024-10-27")] // midnight summer time
    [InlineData("2024-10-27 00:30:00", "2024-10-27")] // 02:30 summer time, before the clocks go back at 01:00 UTC
    [InlineData("2024-10-27 01:30:00", "2024-10-27")] // 02:30 winter time, the hour that repeats
    [InlineData("2024-10-27 22:59:59", "2024-10-27")] // 23:59:59 winter time (UTC+1): the day has 25 hours
    [InlineData("2024-10-27 23:00:00", "2024-10-28")]
    [InlineData("2024-03-30 23:00:00", "2024-03-31")] // midnight winter time
    [InlineData("2024-03-31 21:59:59", "2024-03-31")] // 23:59:59 summer time: the day has 23 hours
    [InlineData("2024-03-31 22:00:00", "2024-04-01")]
    public void StartOf_BerlinDays_FollowDaylightSavingTime(string utc, string day)
    {
        var calendar = new PeriodCalendar(PeriodUnit.Day) { TimeZone = Berlin };

        Assert.Equal(Parse(day), calendar.StartOf(Parse(utc)));
    }

    [Fact]
    public void Kpis_BerlinTimeZone_PutsAPurchaseAtUtcMonthEndInTheNextMonth()
    {
        Transaction[] rows =
        [
            new("a", "1", new DateTime(2024, 3, 31, 22, 30, 0), 5.00m), // 1 April, 00:30 in Berlin
            new("b", "2", new DateTime(2024, 3, 30, 23, 30, 0), 7.00m), // 31 March, 00:30 in Berlin
        ];

        var zoned = History(rows, asOf: new DateTime(2024, 4, 2)).Kpis(new PeriodCalendar(PeriodUnit.Month) { TimeZone = Berlin });
        var plain = History(rows, asOf: new DateTime(2024, 4, 1)).Kpis(Monthly);

        Assert.Equal([Month(3), Month(4)], zoned.Select(k => k.Start));
        Assert.Equal([7.00m, 5.00m], zoned.Select(k => k.Revenue));
        Assert.Equal([null, 0], zoned.Select(k => k.RetainedCustomers));
        var march = Assert.Single(plain);
        Assert.Equal(Month(3), march.Start);
        Assert.Equal(12.00m, march.Revenue);
    }

    [Fact]
    public void Kpis_BerlinTimeZone_JudgesCompletenessOnTheZonesClock()
    {
        // The analysis date 22:30 UTC on 30 April is 00:30 on 1 May in Berlin: April has ended there.
        Transaction[] rows = [new("a", "1", new DateTime(2024, 4, 10), 5.00m)];
        var asOf = new DateTime(2024, 4, 30, 22, 30, 0);

        var zoned = History(rows, asOf: asOf).Kpis(new PeriodCalendar(PeriodUnit.Month) { TimeZone = Berlin });
        var plain = Assert.Single(History(rows, asOf: asOf).Kpis(Monthly));

        // In Berlin the periods run into May, where the analysis date falls, and only May is partial.
        Assert.Equal([(Month(4), true), (Month(5), false)], zoned.Select(k => (k.Start, k.Complete)));
        Assert.False(plain.Complete);
    }

    [Fact]
    public void Kpis_PeriodEndingExactlyOnTheAnalysisDate_IsComplete()
    {
        Transaction[] rows = [new("a", "1", new DateTime(2024, 4, 10), 5.00m)];

        Assert.True(Assert.Single(History(rows, asOf: Month(5)).Kpis(Monthly)).Complete);
        Assert.False(Assert.Single(History(rows, asOf: Month(5).AddTicks(-1)).Kpis(Monthly)).Complete);
    }

    // ---- History ----

    [Fact]
    public void History_WithoutKeepOrders_Throws()
    {
        var accumulator = new RfmAccumulator(AsOf);
        accumulator.AddRange(Rows);

        Assert.False(accumulator.KeepsOrders);
        Assert.Throws<InvalidOperationException>(() => accumulator.History());
        Assert.Throws<InvalidOperationException>(() => accumulator.History(AsOf));
    }

    [Fact]
    public void KeepsOrders_IsWhatTheConstructorOrCalculatorWasTold()
    {
        Assert.True(new RfmAccumulator(AsOf, keepOrders: true).KeepsOrders);
        Assert.False(new RfmAccumulator(AsOf).KeepsOrders);
        Assert.True(RfmCalculator.Default.CreateAccumulator(AsOf, keepOrders: true).KeepsOrders);
        Assert.False(RfmCalculator.Default.CreateAccumulator(AsOf).KeepsOrders);
    }

    [Fact]
    public void History_AsOfEarlierDate_MovesCompletenessAndMetrics()
    {
        var accumulator = Accumulator(Rows, asOf: new DateTime(2024, 12, 31));

        var may31 = accumulator.History(new DateTime(2024, 5, 31));
        var june1 = accumulator.History(Month(6));

        Assert.Equal(new DateTime(2024, 5, 31), may31.AsOf);
        Assert.Equal(new DateTime(2024, 5, 31), may31.Metrics.AsOf);
        Assert.False(may31.Kpis(Monthly)[^1].Complete);
        Assert.True(june1.Kpis(Monthly)[^1].Complete);
        Assert.Equal(accumulator.Snapshot(Month(6)).Customers.ToArray(), june1.Metrics.Customers.ToArray());
    }

    [Fact]
    public void History_AsOfOutsideLatestPurchaseToAnalysisDate_Throws()
    {
        var accumulator = Accumulator(Rows);

        // The latest purchase used is 10 May 2024 (the row of 25 May is after the analysis date).
        Assert.Equal("asOf", Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.History(AsOf.AddTicks(1))).ParamName);
        Assert.Equal("asOf", Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.History(new DateTime(2024, 5, 10).AddTicks(-1))).ParamName);
        Assert.Equal(new DateTime(2024, 5, 10), accumulator.History(new DateTime(2024, 5, 10)).AsOf);
    }

    [Fact]
    public void History_AccumulatorStaysUsable()
    {
        var accumulator = Accumulator(Rows[..5]);
        var before = accumulator.History();

        accumulator.AddRange(Rows[5..]);

        Assert.Equal(4, before.Orders);
        Assert.Equal([4L, 0, 0, 0, 0], before.Kpis(Monthly).Select(k => k.Orders)); // January's, then the months up to the analysis date
        Assert.Equal(History(Rows).Kpis(Monthly).ToArray(), accumulator.History().Kpis(Monthly).ToArray());
    }

    [Fact]
    public void Merge_KeepingAndNotKeepingOrders_Throws()
    {
        var keeping = Accumulator(Rows[..5]);
        var notKeeping = new RfmAccumulator(AsOf);
        notKeeping.AddRange(Rows[5..]);

        Assert.Equal("other", Assert.Throws<ArgumentException>(() => keeping.Merge(notKeeping)).ParamName);
        Assert.Equal("other", Assert.Throws<ArgumentException>(() => notKeeping.Merge(keeping)).ParamName);

        // Nothing was merged.
        Assert.Equal(4, keeping.History().Orders);
    }

    [Fact]
    public void Merge_TwoKeepingAccumulators_GivesTheSingleAccumulatorsKpis()
    {
        // The split goes through order 9, whose lines (February and March) land in different accumulators.
        var first = Accumulator(Rows[..11]);
        var second = Accumulator(Rows[11..]);

        first.Merge(second);

        Assert.Equal(History(Rows).Kpis(Monthly).ToArray(), first.History().Kpis(Monthly).ToArray());
        Assert.Equal(17, first.History().Orders);
    }

    // ---- Money that a decimal cannot hold exactly ----

    [Fact]
    public void Add_OrderMoneyNotExact_ThrowsAndLeavesTheAccumulatorAsItWas()
    {
        // The customer's total stays exact (1E20 - 1E20 + 1E-10), but order 1's would need 31 digits (1E20 + 1E-10).
        var policy = TransactionPolicy.Default with { ExcludeNonPositive = false };
        var accumulator = Accumulator(
        [
            new("a", "1", new DateTime(2024, 1, 3), 1E20m),
            new("a", "2", new DateTime(2024, 1, 4), -1E20m),
        ], policy);
        var before = accumulator.History();

        var ex = Assert.ThrowsAny<OverflowException>(() => accumulator.Add(new Transaction("a", "1", new DateTime(2024, 1, 5), 0.0000000001m)));
        Assert.StartsWith("Adding 0.0000000001 overflows the money of order '1' of customer 'a'", ex.Message, StringComparison.Ordinal);

        var after = accumulator.History();
        Assert.Equal(2, accumulator.RowsRead);
        Assert.Equal(before.Metrics.Customers.ToArray(), after.Metrics.Customers.ToArray());
        Assert.Equal(before.Kpis(Monthly).ToArray(), after.Kpis(Monthly).ToArray());

        // A row that fits is still taken.
        accumulator.Add(new Transaction("a", "1", new DateTime(2024, 1, 5), 1m));
        Assert.Equal(1m, accumulator.History().Kpis(Monthly)[0].Revenue);
    }

    [Fact]
    public void Merge_OrderMoneyNotExact_ThrowsAndMergesNothing()
    {
        var policy = TransactionPolicy.Default with { ExcludeNonPositive = false };
        var into = Accumulator(
        [
            new("a", "1", new DateTime(2024, 1, 3), 1E20m),
            new("a", "2", new DateTime(2024, 1, 4), -1E20m),
        ], policy);
        var other = Accumulator([new("a", "1", new DateTime(2024, 1, 5), 0.0000000001m)], policy);
        var before = into.History();

        Assert.Throws<OverflowException>(() => into.Merge(other));

        var after = into.History();
        Assert.Equal(2, into.RowsRead);
        Assert.Equal(before.Orders, after.Orders);
        Assert.Equal(before.Metrics.Customers.ToArray(), after.Metrics.Customers.ToArray());
        Assert.Equal(before.Kpis(Monthly).ToArray(), after.Kpis(Monthly).ToArray());
    }

    [Fact]
    public void KpisAndCohorts_PeriodRevenueNotExact_ThrowOverflow()
    {
        // Each customer's money is exact, and so is the money read (1E20 - 1E20 + 1E-10); January's together
        // (1E20 + 1E-10) is not.
        var history = History(
        [
            new("a", "1", new DateTime(2024, 1, 3), 1E20m),
            new("c", "3", new DateTime(2024, 2, 3), -1E20m),
            new("b", "2", new DateTime(2024, 1, 4), 0.0000000001m),
        ], TransactionPolicy.Default with { ExcludeNonPositive = false });

        var kpis = Assert.Throws<OverflowException>(() => history.Kpis(Monthly));
        Assert.Contains("2024-01-01", kpis.Message, StringComparison.Ordinal);
        Assert.Throws<OverflowException>(() => history.Cohorts(Monthly));

        // By day, every period holds one order and fits.
        Assert.Equal(3, history.Kpis(new PeriodCalendar(PeriodUnit.Day)).Count(k => k.Orders > 0));
    }

    // ---- Argument validation ----

    [Fact]
    public void Kpis_ArgValidation()
    {
        var history = History(Rows);

        Assert.Equal("calendar", Assert.Throws<ArgumentNullException>(() => history.Kpis(null!)).ParamName);
        Assert.Equal("calendar", Assert.Throws<ArgumentNullException>(() => history.Kpis(null!, new Dictionary<DateTime, long>())).ParamName);
        Assert.Equal("calendar", Assert.Throws<ArgumentNullException>(() => history.Cohorts(null!)).ParamName);
    }

    [Fact]
    public void PeriodCalendar_ArgValidation()
    {
        Assert.Equal("unit", Assert.Throws<ArgumentOutOfRangeException>(() => new PeriodCalendar((PeriodUnit)5)).ParamName);
        Assert.Equal("unit", Assert.Throws<ArgumentOutOfRangeException>(() => new PeriodCalendar((PeriodUnit)(-1))).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => new PeriodCalendar(PeriodUnit.Week) { FirstDayOfWeek = (DayOfWeek)7 }).ParamName);
    }

    [Fact]
    public void Kpis_LeadsKeyNotAPeriodStart_Throws()
    {
        var history = History(Rows);

        var ex = Assert.Throws<ArgumentException>(() => history.Kpis(Monthly, new Dictionary<DateTime, long> { [new DateTime(2024, 1, 15)] = 3 }));

        Assert.Equal("leads", ex.ParamName);
        Assert.Contains("2024-01-15", ex.Message, StringComparison.Ordinal);
        Assert.Contains("that would be 2024-01-01", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2023-12-01", "2023-12-01", "2024-05-01")] // a month before the first order's
    [InlineData("2024-07-01", "2024-01-01", "2024-07-01")] // a month after the analysis date's
    public void Kpis_LeadsOutsideTheData_WidenThePeriods(string start, string first, string last)
    {
        var kpis = History(Rows).Kpis(Monthly, new Dictionary<DateTime, long> { [Parse(start)] = 3 });

        Assert.Equal((Parse(first), Parse(last)), (kpis[0].Start, kpis[^1].Start));
        var withLeads = Assert.Single(kpis, k => k.Leads is not null);
        Assert.Equal((Parse(start), 0, 0.0), (withLeads.Start, withLeads.NewCustomers, withLeads.ConversionRate));
    }

    [Fact]
    public void Kpis_LeadsWithoutAnyOrder_Throw()
    {
        var history = new RfmAccumulator(AsOf, keepOrders: true).History();

        var ex = Assert.Throws<ArgumentException>(() => history.Kpis(Monthly, new Dictionary<DateTime, long> { [Month(1)] = 3 }));

        Assert.Equal("leads", ex.ParamName);
        Assert.Contains("there is no order", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Kpis_NegativeLeadCount_Throws()
    {
        var history = History(Rows);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => history.Kpis(Monthly, new Dictionary<DateTime, long> { [Month(2)] = -1 }));

        Assert.Equal("leads", ex.ParamName);
    }

    // ---- Helpers ----

    internal static TimeZoneInfo Berlin { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static DateTime Month(int month) => new(2024, month, 1);

    private static DateTime Parse(string text) => DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static RfmAccumulator Accumulator(Transaction[] rows, TransactionPolicy? policy = null, DateTime? asOf = null)
    {
        var accumulator = new RfmAccumulator(asOf ?? AsOf, policy, keepOrders: true);
        accumulator.AddRange(rows);
        return accumulator;
    }

    private static OrderHistory History(Transaction[] rows, TransactionPolicy? policy = null, DateTime? asOf = null) =>
        Accumulator(rows, policy, asOf).History();

    /// <summary>Rates equal up to rounding of the last bits; null where null.</summary>
    private static void AssertRates(double?[] expected, IEnumerable<double?> actual)
    {
        var got = actual.ToArray();
        Assert.Equal(expected.Length, got.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] is { } want)
            {
                Assert.True(got[i] is { } value && Math.Abs(value - want) <= 1e-12, $"period {i}: expected {want}, got {got[i]?.ToString() ?? "null"}");
            }
            else
            {
                Assert.True(got[i] is null, $"period {i}: expected null, got {got[i]}");
            }
        }
    }
}
