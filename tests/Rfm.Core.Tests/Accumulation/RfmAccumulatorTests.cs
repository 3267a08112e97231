namespace Rfm.Tests.Accumulation;

public sealed class RfmAccumulatorTests
{
    private static readonly DateTime AsOf = new(2024, 1, 10);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(35, 1)] // 1 day 11 hours is 1 day, as pandas' .days
    [InlineData(24, 1)]
    [InlineData(23, 0)]
    [InlineData(24 * 9, 9)]
    public void Recency_IsWholeDaysRoundedDown(int hoursBefore, int days)
    {
        var accumulator = new RfmAccumulator(AsOf);
        accumulator.Add(new Transaction("a", "1", AsOf.AddHours(-hoursBefore), 1m));

        Assert.Equal(days, accumulator.Snapshot().Customers[0].Recency);
    }

    [Fact]
    public void Frequency_CountsDistinctOrders_AndEachRowWithoutOrderId()
    {
        var accumulator = new RfmAccumulator(AsOf);
        accumulator.AddRange<Transaction>(
        [
            new("a", "1", AsOf.AddDays(-3), 1m),
            new("a", "2", AsOf.AddDays(-2), 1m),
            new("a", "1", AsOf.AddDays(-1), 1m),
            new("a", null, AsOf.AddDays(-1), 1m),
            new("a", "", AsOf.AddDays(-1), 1m),
            new("b", "1", AsOf.AddDays(-1), 1m),
        ]);

        var snapshot = accumulator.Snapshot();

        Assert.Equal(4, snapshot.Customers[0].Frequency);
        Assert.Equal(5, snapshot.Customers[0].Lines);
        Assert.Equal(1, snapshot.Customers[1].Frequency);
    }

    [Fact]
    public void Snapshot_KeepsFirstLastTenureAndExactMoney()
    {
        var accumulator = new RfmAccumulator(AsOf);
        accumulator.Add(new Transaction("a", "1", new DateTime(2023, 12, 1, 9, 30, 0), 0.1m));
        accumulator.Add(new Transaction("a", "2", new DateTime(2024, 1, 5), 0.2m));

        var customer = accumulator.Snapshot().Customers[0];

        Assert.Equal(0.3m, customer.Monetary);
        Assert.Equal(new DateTime(2023, 12, 1, 9, 30, 0), customer.FirstPurchase);
        Assert.Equal(new DateTime(2024, 1, 5), customer.LastPurchase);
        Assert.Equal(39, customer.Tenure);
        Assert.Equal(5, customer.Recency);
    }

    [Fact]
    public void Snapshot_OrdersCustomersByOrdinalId()
    {
        var accumulator = new RfmAccumulator(AsOf);
        foreach (var id in new[] { "b", "10", "B", "9", "a" })
        {
            accumulator.Add(new Transaction(id, null, AsOf, 1m));
        }

        Assert.Equal(["10", "9", "B", "a", "b"], accumulator.Snapshot().Customers.Select(c => c.CustomerId));
    }

    [Fact]
    public void DropNonPositiveCustomers_CountsTheirRowsAndMoney()
    {
        var policy = TransactionPolicy.Default with { ExcludeNonPositive = false, DropNonPositiveCustomers = true };
        var accumulator = new RfmAccumulator(AsOf, policy);
        accumulator.Add(new Transaction("a", "1", AsOf, 5m));
        accumulator.Add(new Transaction("a", "2", AsOf, -5m));
        accumulator.Add(new Transaction("b", "3", AsOf, 1m));

        var snapshot = accumulator.Snapshot();

        Assert.Equal("b", Assert.Single(snapshot.Customers).CustomerId);
        Assert.Equal(new ExclusionCount(ExclusionReason.NonPositiveCustomerTotal, 2, 0m), snapshot.Ingestion.Excluded(ExclusionReason.NonPositiveCustomerTotal));
        Assert.Equal(1, snapshot.Ingestion.RowsUsed);
        Assert.Equal(1, snapshot.Ingestion.Customers);
    }

    [Fact]
    public void Ingestion_ListsEveryReason_AndReconciles()
    {
        var accumulator = new RfmAccumulator(AsOf);
        accumulator.Add(new Transaction(null, "1", AsOf, 2m));
        accumulator.Add(new Transaction("a", "C1", AsOf, 3m));
        accumulator.Add(new Transaction("a", "2", AsOf.AddDays(1), 4m));
        accumulator.Add(new Transaction("a", "3", AsOf, 5m));

        var ingestion = accumulator.Snapshot().Ingestion;

        Assert.Equal(Enum.GetValues<ExclusionReason>(), ingestion.Exclusions.Select(e => e.Reason));
        Assert.Equal(4, ingestion.RowsRead);
        Assert.Equal(14m, ingestion.AmountRead);
        Assert.Equal(1, ingestion.RowsUsed);
        Assert.Equal(5m, ingestion.AmountUsed);
        Assert.Equal(3, ingestion.RowsExcluded);
        Assert.Equal(9m, ingestion.AmountExcluded);
        Assert.Equal(4m, ingestion.Excluded(ExclusionReason.AfterAsOf).Amount);
    }

    [Fact]
    public void Merge_CombinesOrdersSeenOnBothSidesOnce()
    {
        var left = new RfmAccumulator(AsOf);
        var right = new RfmAccumulator(AsOf);
        left.Add(new Transaction("a", "1", AsOf.AddDays(-5), 1m));
        right.Add(new Transaction("a", "1", AsOf.AddDays(-1), 2m));
        right.Add(new Transaction("a", "2", AsOf.AddDays(-9), 3m));
        right.Add(new Transaction("b", null, AsOf, 4m));

        left.Merge(right);
        var snapshot = left.Snapshot();

        Assert.Equal(new CustomerMetrics("a", 1, 2, 6m, AsOf.AddDays(-9), AsOf.AddDays(-1), 3, 9), snapshot.Customers[0]);
        Assert.Equal(4, snapshot.Ingestion.RowsRead);
        Assert.Equal(3, right.Snapshot().Ingestion.RowsRead);
    }

    [Fact]
    public void Merge_DifferentCutoffOrPolicyOrSelf_Throws()
    {
        var accumulator = new RfmAccumulator(AsOf);

        Assert.Throws<ArgumentException>(() => accumulator.Merge(new RfmAccumulator(AsOf.AddDays(1))));
        var ex = Assert.Throws<ArgumentException>(() => accumulator.Merge(new RfmAccumulator()));
        Assert.Contains("other: none", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new RfmAccumulator().Merge(accumulator));
        Assert.Throws<ArgumentException>(() => accumulator.Merge(new RfmAccumulator(AsOf, TransactionPolicy.Tutorial)));
        Assert.Throws<ArgumentException>(() => accumulator.Merge(accumulator));
        Assert.Equal("other", Assert.Throws<ArgumentNullException>(() => accumulator.Merge(null!)).ParamName);
    }

    [Fact]
    public void Merge_PoliciesBuiltSeparatelyFromTheSameSettings_AreEqual()
    {
        TransactionPolicy Build() => TransactionPolicy.Default with { Cancellations = CancellationRule.OrderIdContains("C") };
        var left = new RfmAccumulator(AsOf, Build());
        var right = new RfmAccumulator(AsOf, Build());
        right.Add(new Transaction("a", "1", AsOf, 1m));

        left.Merge(right);

        Assert.Equal(1, left.Snapshot().Ingestion.RowsUsed);
        Assert.NotEqual(CancellationRule.OrderIdContains("C"), CancellationRule.OrderIdStartsWith("C"));
    }

    [Fact]
    public void MoneyOverflow_NamesTheCustomer()
    {
        var accumulator = new RfmAccumulator(AsOf, TransactionPolicy.Default with { ExcludeNonPositive = false });
        var quarter = decimal.MaxValue / 4;
        accumulator.Add(new Transaction("big", "1", AsOf, 3 * quarter));
        accumulator.Add(new Transaction("other", "1", AsOf, -2 * quarter));

        // The row total stays in range (3/4 - 2/4 + 2/4); the customer's would be 5/4 of the maximum.
        var ex = Assert.Throws<OverflowException>(() => accumulator.Add(new Transaction("big", "2", AsOf, 2 * quarter)));

        Assert.Contains("customer 'big'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RowTotalOverflow_SaysSo_AndLeavesTheStateAsItWas()
    {
        var accumulator = new RfmAccumulator(AsOf);
        var big = decimal.MaxValue / 2 + 1;
        accumulator.Add(new Transaction("a", "1", AsOf, big));

        var ex = Assert.Throws<OverflowException>(() => accumulator.Add(new Transaction("b", "2", AsOf, big)));

        Assert.Contains("total money of the rows read", ex.Message, StringComparison.Ordinal);
        var snapshot = accumulator.Snapshot();
        Assert.Equal(1, snapshot.Ingestion.RowsRead);
        Assert.Equal("a", Assert.Single(snapshot.Customers).CustomerId);
    }

    [Fact]
    public void MergeOverflow_MergesNothing()
    {
        var big = decimal.MaxValue / 2 + 1;
        var left = new RfmAccumulator(AsOf);
        left.Add(new Transaction("a", "1", AsOf, big));
        var right = new RfmAccumulator(AsOf);
        right.Add(new Transaction("b", "2", AsOf, -big)); // excluded, but it keeps the rows' total in range
        right.Add(new Transaction("a", "3", AsOf, big));

        var ex = Assert.Throws<OverflowException>(() => left.Merge(right));

        Assert.Contains("customer 'a'", ex.Message, StringComparison.Ordinal);
        var snapshot = left.Snapshot();
        Assert.Equal(1, snapshot.Ingestion.RowsRead);
        Assert.Single(snapshot.Customers);
        Assert.Equal(snapshot.Ingestion.AmountRead, snapshot.Ingestion.AmountUsed + snapshot.Ingestion.AmountExcluded);
    }

    [Fact]
    public void SnapshotAtAnEarlierDate_EqualsAnAccumulatorMadeForIt()
    {
        Transaction[] rows = [new("a", "1", AsOf.AddDays(-10), 1m), new("b", "2", AsOf.AddDays(-3), 2m), new("c", "C3", AsOf.AddDays(-1), 4m)];
        var open = new RfmAccumulator();
        open.AddRange(rows);
        var exact = new RfmAccumulator(AsOf.AddDays(-2));
        exact.AddRange(rows);

        var early = open.Snapshot(AsOf.AddDays(-2));

        Assert.Equal(AsOf.AddDays(-3), open.LatestPurchase);
        Assert.Equal(exact.Snapshot().Customers.ToArray(), early.Customers.ToArray());
        Assert.Equal(exact.Snapshot().Ingestion.Exclusions.ToArray(), early.Ingestion.Exclusions.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => open.Snapshot(AsOf.AddDays(-4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => exact.Snapshot(AsOf));
        Assert.Null(new RfmAccumulator(AsOf).LatestPurchase);
    }

    [Fact]
    public void WithoutCutoff_EveryDateCounts_AndTheAnalysisDateMustBeGiven()
    {
        var accumulator = new RfmAccumulator(keepOrders: true);
        accumulator.Add(new Transaction("a", "1", AsOf.AddDays(-3), 1m));
        accumulator.Add(new Transaction("b", "2", new DateTime(2031, 5, 1), 2m));

        Assert.Null(accumulator.Cutoff);
        var noDate = Assert.Throws<InvalidOperationException>(() => accumulator.Snapshot());
        Assert.Contains("Snapshot(asOf)", noDate.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => accumulator.History());
        Assert.Throws<ArgumentOutOfRangeException>(() => accumulator.Snapshot(new DateTime(2031, 4, 30)));

        var snapshot = accumulator.Snapshot(new DateTime(2031, 5, 2));
        Assert.Equal(0L, snapshot.Ingestion.Excluded(ExclusionReason.AfterAsOf).Rows);
        Assert.Equal([2672, 1], snapshot.Customers.Select(c => c.Recency));
        Assert.Equal(new DateTime(2031, 5, 2), accumulator.History(new DateTime(2031, 5, 2)).AsOf);
    }

    [Fact]
    public void Merge_BothWithoutCutoff_IsExact()
    {
        Transaction[] rows = [new("a", "1", AsOf.AddDays(-10), 1m), new("b", "2", AsOf.AddDays(-3), 2m), new("a", "3", AsOf.AddDays(-1), 4m)];
        var whole = new RfmAccumulator();
        whole.AddRange(rows);
        var left = new RfmAccumulator();
        left.AddRange(rows.AsSpan(0, 1));
        var right = new RfmAccumulator();
        right.AddRange(rows.AsSpan(1));

        left.Merge(right);

        Assert.Equal(whole.Snapshot(AsOf).Customers.ToArray(), left.Snapshot(AsOf).Customers.ToArray());
        Assert.Null(left.Cutoff);
    }

    [Fact]
    public void AddColumns_LengthMismatch_Throws()
    {
        var accumulator = new RfmAccumulator(AsOf);

        Assert.Throws<ArgumentException>(() => accumulator.AddColumns(["a"], [], [AsOf, AsOf], [1m]));
        Assert.Throws<ArgumentException>(() => accumulator.AddColumns(["a"], ["1", "2"], [AsOf], [1m]));
        Assert.Equal("transactions", Assert.Throws<ArgumentNullException>(() => accumulator.AddRange((IEnumerable<Transaction>)null!)).ParamName);
    }
}
