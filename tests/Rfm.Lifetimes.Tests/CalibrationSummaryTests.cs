namespace Rfm.Lifetimes.Tests;

/// <summary>The customer base in the models' terms, worked by hand, and every case the summary leaves out and counts.</summary>
public sealed class CalibrationSummaryTests
{
    private static readonly DateOnly CalibrationEnd = new(2024, 1, 31);
    private static readonly DateOnly HoldoutEnd = new(2024, 2, 29);

    private static readonly Transaction[] Log =
    [
        new("ann", "1", new DateTime(2024, 1, 1, 9, 0, 0), 10m),
        new("ann", "2", new DateTime(2024, 1, 1, 18, 0, 0), 5m), // the same day: one purchase
        new("ann", "3", new DateTime(2024, 1, 8), 20m),
        new("ann", "4", new DateTime(2024, 1, 22, 23, 59, 59), 30m),
        new("ann", "5", new DateTime(2024, 2, 5, 10, 0, 0), 1m), // holdout: two rows, one day
        new("ann", "6", new DateTime(2024, 2, 5, 11, 0, 0), 2m),
        new("ann", "7", new DateTime(2024, 2, 29, 23, 0, 0), 3m), // the holdout's last day counts
        new("ann", "8", new DateTime(2024, 3, 1), 99m), // after the holdout: counted, not used
        new("bob", "9", new DateTime(2024, 1, 31, 12, 0, 0), 7m), // one purchase, on calibration's last day
        new("cy", "10", new DateTime(2024, 2, 2), 8m), // first seen in the holdout
    ];

    [Fact]
    public void Summarises_a_hand_worked_log()
    {
        var summary = CalibrationSummary.From(Log, CalibrationEnd, HoldoutEnd, TimeUnit.Week);

        Assert.Equal(["ann", "bob"], summary.Customers.Select(c => c.CustomerId));
        var ann = summary.Customers[0];
        Assert.Equal(2, ann.RepeatPurchases); // Jan 8 and Jan 22 after the first day
        Assert.Equal(21 / 7.0, ann.TimeOfLastPurchase); // Jan 1 to Jan 22
        Assert.Equal(30 / 7.0, ann.Age); // Jan 1 to Jan 31
        Assert.Equal(25m, ann.MeanRepeatSpend); // (20 + 30) / 2: the first day is left out
        Assert.Equal(2, ann.HoldoutPurchases);
        Assert.Equal(6m, ann.HoldoutSpend);

        var bob = summary.Customers[1];
        Assert.Equal((0, 0.0, 0.0, (decimal?)null), (bob.RepeatPurchases, bob.TimeOfLastPurchase, bob.Age, bob.MeanRepeatSpend));

        Assert.Equal(1, summary.CustomersFirstSeenInHoldout);
        Assert.Equal(29 / 7.0, summary.HoldoutLength);

        // Read up to the holdout's last day, the later row is excluded, with its reason.
        Assert.Equal(0, summary.OrdersAfterEnd);
        Assert.Equal((long)Log.Length, summary.Ingestion.RowsRead);
        Assert.Equal(1, summary.Ingestion.Exclusions.Single(e => e.Reason == ExclusionReason.AfterAsOf).Rows);
    }

    [Fact]
    public void Orders_of_a_longer_history_after_the_last_day_are_counted()
    {
        var accumulator = new RfmAccumulator(new DateTime(2024, 12, 31), keepOrders: true);
        accumulator.AddRange(Log);

        var summary = CalibrationSummary.From(accumulator.History(), CalibrationEnd, HoldoutEnd, TimeUnit.Week);

        Assert.Equal(1, summary.OrdersAfterEnd);
        Assert.Equal(2, summary.Customers[0].HoldoutPurchases);
        Assert.Equal(1, summary.CustomersFirstSeenInHoldout);
    }

    [Fact]
    public void A_customer_first_seen_after_the_last_day_is_not_counted_as_first_seen_in_the_holdout()
    {
        var accumulator = new RfmAccumulator(new DateTime(2024, 12, 31), keepOrders: true);
        accumulator.AddRange(Log.Append(new Transaction("dee", "11", new DateTime(2024, 6, 1), 5m)));

        var summary = CalibrationSummary.From(accumulator.History(), CalibrationEnd, HoldoutEnd, TimeUnit.Week);

        Assert.Equal(1, summary.CustomersFirstSeenInHoldout); // cy, not dee
        Assert.Equal(2, summary.OrdersAfterEnd); // ann's March order and dee's
    }

    [Fact]
    public void The_history_entries_are_the_orders()
    {
        var accumulator = new RfmAccumulator(new DateTime(2024, 12, 31), keepOrders: true);
        accumulator.AddRange(Log);
        var history = accumulator.History();

        var entries = history.Entries().ToArray();

        Assert.Equal(Log.Length, entries.Sum(e => e.Orders));
        Assert.Equal(Log.Sum(t => t.Amount), entries.Sum(e => e.Amount));
        Assert.All(entries, e => Assert.Contains(Log, t => t.CustomerId == history.Metrics.Customers[e.Customer].CustomerId && t.Timestamp == e.Time && t.Amount == e.Amount));
    }

    [Theory]
    [InlineData(TimeUnit.Day, 21, 30)]
    [InlineData(TimeUnit.Week, 3, 30 / 7.0)]
    [InlineData(TimeUnit.Month, 21 / 30.436875, 30 / 30.436875)]
    public void Times_are_elapsed_days_in_the_unit(TimeUnit unit, double tx, double age)
    {
        var ann = CalibrationSummary.From(Log, CalibrationEnd, HoldoutEnd, unit).Customers[0];

        Assert.Equal(tx, ann.TimeOfLastPurchase, 1e-12);
        Assert.Equal(age, ann.Age, 1e-12);
    }

    [Fact]
    public void Without_a_holdout_nothing_after_calibration_is_used()
    {
        var summary = CalibrationSummary.From(Log, CalibrationEnd);

        Assert.Null(summary.HoldoutEnd);
        Assert.Equal(0, summary.HoldoutLength);
        Assert.All(summary.Customers, c => Assert.Equal((0, 0m), (c.HoldoutPurchases, c.HoldoutSpend)));
        Assert.Equal(5, summary.Ingestion.Exclusions.Single(e => e.Reason == ExclusionReason.AfterAsOf).Rows); // ann's four later rows and cy's
        Assert.Equal(["ann", "bob"], summary.Customers.Select(c => c.CustomerId));
    }

    [Fact]
    public void Rows_the_policy_excludes_are_in_the_account_not_in_the_summary()
    {
        Transaction[] log = [new("ann", "1", new DateTime(2024, 1, 1), 10m), new("ann", "C2", new DateTime(2024, 1, 5), 10m), new("ann", "3", new DateTime(2024, 1, 9), -4m)];

        var summary = CalibrationSummary.From(log, CalibrationEnd);

        Assert.Equal(0, summary.Customers.Single().RepeatPurchases);
        Assert.Equal((3L, 1L, 2L), (summary.Ingestion.RowsRead, summary.Ingestion.RowsUsed, summary.Ingestion.RowsExcluded));
    }

    [Fact]
    public void A_history_that_stops_before_the_last_day_is_refused()
    {
        var accumulator = new RfmAccumulator(new DateTime(2024, 2, 29), keepOrders: true);
        accumulator.AddRange(Log);

        var error = Assert.Throws<ArgumentException>(() => CalibrationSummary.From(accumulator.History(), CalibrationEnd, HoldoutEnd, TimeUnit.Week));

        Assert.Equal("history", error.ParamName);
        Assert.Contains("2024-02-29", error.Message);
    }

    [Fact]
    public void A_holdout_must_end_after_calibration()
    {
        var error = Assert.Throws<ArgumentException>(() => CalibrationSummary.From(Log, CalibrationEnd, CalibrationEnd));

        Assert.Equal("holdoutEnd", error.ParamName);
    }

    [Theory]
    [InlineData(-1, 0, 0, "repeat purchases")]
    [InlineData(1, 5, 4, "T = 4")]
    [InlineData(0, 1, 4, "time of the last purchase")]
    [InlineData(1, double.NaN, 4, "time of the last purchase")]
    [InlineData(1, 1, double.PositiveInfinity, "age")]
    public void A_customer_out_of_range_is_refused_by_name(int x, double tx, double age, string problem)
    {
        var error = Assert.Throws<ArgumentException>(() => new CustomerActivity("c-42", x, tx, age, x > 0 ? 1m : null));

        Assert.Contains("'c-42'", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void The_mean_repeat_spend_is_given_exactly_with_repeat_purchases()
    {
        Assert.Throws<ArgumentException>(() => new CustomerActivity("c", 0, 0, 1, 5m));
        Assert.Throws<ArgumentException>(() => new CustomerActivity("c", 1, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CustomerActivity("c", 0, 0, 1) { HoldoutPurchases = -1 });
    }
}
