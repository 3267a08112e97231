using FsCheck.Xunit;

namespace Rfm.Tests;

/// <summary>
/// Properties of <see cref="RfmAccumulator"/> over random transaction logs and policies (see <see cref="Generators"/>):
/// merging, reconciliation, a plain LINQ reference, and the columnar path.
/// </summary>
[Properties(Arbitrary = [typeof(Generators)])]
public sealed class AccumulatorPropertyTests
{
    // ---- 8. Any split, merged in any order, gives the same snapshot ----

    [Property(MaxTest = 1000)]
    public void Merge_AnySplitMergedInAnyOrder_GivesTheSameSnapshot(SplitCase split)
    {
        var expected = Accumulate(split.Log, split.Policy).Snapshot();
        var merged = split.Merge();
        AssertSameSnapshot(expected, merged.Snapshot());
    }

    [Property(MaxTest = 1000)]
    public void Merge_LeavesTheOtherAccumulatorUnchanged(SplitCase split)
    {
        var into = new RfmAccumulator(split.Log.AsOf, split.Policy.Policy);
        var other = new RfmAccumulator(split.Log.AsOf, split.Policy.Policy);
        for (var i = 0; i < split.Log.Rows.Length; i++)
        {
            (split.Assignment[i] % 2 == 0 ? into : other).Add(split.Log.Rows[i]);
        }

        var before = other.Snapshot();
        into.Merge(other);
        AssertSameSnapshot(before, other.Snapshot());
    }

    [Property(MaxTest = 1000)]
    public void Snapshot_TakenMidway_DoesNotChangeLaterSnapshots(TransactionLog log, PolicyCase policy)
    {
        var expected = Accumulate(log, policy).Snapshot();
        var accumulator = new RfmAccumulator(log.AsOf, policy.Policy);
        for (var i = 0; i < log.Rows.Length; i++)
        {
            accumulator.Add(log.Rows[i]);
            if (i % 3 == 0)
            {
                accumulator.Snapshot();
            }
        }

        AssertSameSnapshot(expected, accumulator.Snapshot());
        AssertSameSnapshot(expected, accumulator.Snapshot());
    }

    // ---- 9. The ingestion summary always reconciles ----

    [Property(MaxTest = 1000)]
    public void Snapshot_Ingestion_AlwaysReconciles(SplitCase split)
    {
        var snapshot = split.Merge().Snapshot();
        var ingestion = snapshot.Ingestion;
        var rows = split.Log.Rows;

        // Rows read = rows used + rows excluded for each reason, and the same for the money.
        Assert.Equal(ingestion.RowsRead, ingestion.RowsUsed + ingestion.Exclusions.Sum(e => e.Rows));
        Assert.Equal(ingestion.AmountRead, ingestion.AmountUsed + ingestion.Exclusions.Sum(e => e.Amount));
        Assert.Equal(ingestion.RowsExcluded, ingestion.Exclusions.Sum(e => e.Rows));
        Assert.Equal(ingestion.AmountExcluded, ingestion.Exclusions.Sum(e => e.Amount));

        // Each side is what it claims to be: every row read, and exactly the customers' lines and money used.
        Assert.Equal(rows.Length, ingestion.RowsRead);
        Assert.Equal(rows.Sum(r => r.Amount), ingestion.AmountRead);
        Assert.Equal(snapshot.Customers.Sum(c => c.Lines), ingestion.RowsUsed);
        Assert.Equal(snapshot.Customers.Sum(c => c.Monetary), ingestion.AmountUsed);
        Assert.Equal(snapshot.Customers.Length, ingestion.Customers);

        // One entry per reason, in the enum's order, never negative.
        Assert.Equal(Enum.GetValues<ExclusionReason>(), ingestion.Exclusions.Select(e => e.Reason).ToArray());
        Assert.All(ingestion.Exclusions, e => Assert.True(e.Rows >= 0));
        Assert.All(ingestion.Exclusions.Where(e => e.Rows == 0), e => Assert.Equal(0m, e.Amount));
        if (!split.Policy.DropNonPositiveCustomers)
        {
            Assert.Equal(0, ingestion.Excluded(ExclusionReason.NonPositiveCustomerTotal).Rows);
        }
    }

    // ---- 10. Metrics agree with a plain LINQ reference ----

    [Property(MaxTest = 1000)]
    public void Snapshot_MatchesLinqReference(TransactionLog log, PolicyCase policy)
    {
        var snapshot = Accumulate(log, policy).Snapshot();
        var (customers, exclusions) = Reference(log, policy);

        Assert.Equal(log.AsOf, snapshot.AsOf);
        Assert.Equal(customers, snapshot.Customers.ToArray());
        Assert.Equal(exclusions, snapshot.Ingestion.Exclusions.ToArray());
    }

    // ---- 11. The columnar path gives the same snapshot as the struct path ----

    [Property(MaxTest = 1000)]
    public void AddColumns_GivesTheSameSnapshotAsAdd(TransactionLog log, PolicyCase policy, bool withOrderIds)
    {
        // Without an order id column every row is its own order, as rows whose OrderId is null are.
        var rows = withOrderIds ? log.Rows : Array.ConvertAll(log.Rows, r => r with { OrderId = null });
        var one = new RfmAccumulator(log.AsOf, policy.Policy);
        foreach (var row in rows)
        {
            one.Add(in row);
        }

        var columns = new RfmAccumulator(log.AsOf, policy.Policy);
        columns.AddColumns(
            Array.ConvertAll(log.Rows, r => r.CustomerId),
            withOrderIds ? Array.ConvertAll(log.Rows, r => r.OrderId) : [],
            Array.ConvertAll(log.Rows, r => r.Timestamp),
            Array.ConvertAll(log.Rows, r => r.Amount));

        var span = new RfmAccumulator(log.AsOf, policy.Policy);
        span.AddRange((ReadOnlySpan<Transaction>)rows);

        var sequence = new RfmAccumulator(log.AsOf, policy.Policy);
        sequence.AddRange(rows.Select(r => r));

        var expected = one.Snapshot();
        AssertSameSnapshot(expected, columns.Snapshot());
        AssertSameSnapshot(expected, span.Snapshot());
        AssertSameSnapshot(expected, sequence.Snapshot());
    }

    // ---- Helpers ----

    private static RfmAccumulator Accumulate(TransactionLog log, PolicyCase policy)
    {
        var accumulator = new RfmAccumulator(log.AsOf, policy.Policy);
        foreach (var row in log.Rows)
        {
            accumulator.Add(in row);
        }

        return accumulator;
    }

    /// <summary>
    /// The contract of DESIGN.md section 4, in plain LINQ: classify each row (missing customer, cancellation,
    /// non-positive amount, after as-of: the first that applies), group the rest by customer (ordinal), and measure.
    /// </summary>
    private static (CustomerMetrics[] Customers, ExclusionCount[] Exclusions) Reference(TransactionLog log, PolicyCase policy)
    {
        ExclusionReason? Classify(Transaction row) =>
            string.IsNullOrWhiteSpace(row.CustomerId) ? ExclusionReason.MissingCustomer
            : policy.IsCancellation(row.OrderId) ? ExclusionReason.Cancellation
            : policy.ExcludeNonPositive && row.Amount <= 0m ? ExclusionReason.NonPositiveAmount
            : row.Timestamp > log.AsOf ? ExclusionReason.AfterAsOf
            : null;

        var classified = log.Rows.Select(row => (Row: row, Reason: Classify(row))).ToList();
        var measured = classified
            .Where(x => x.Reason is null)
            .GroupBy(x => x.Row.CustomerId!, StringComparer.Ordinal)
            .Select(g =>
            {
                var rows = g.Select(x => x.Row).ToList();
                var first = rows.Min(r => r.Timestamp);
                var last = rows.Max(r => r.Timestamp);
                return new CustomerMetrics(
                    g.Key,
                    Recency: (int)Math.Floor((log.AsOf - last).TotalDays),
                    Frequency: rows.Where(r => !string.IsNullOrEmpty(r.OrderId)).Select(r => r.OrderId).Distinct(StringComparer.Ordinal).Count()
                        + rows.Count(r => string.IsNullOrEmpty(r.OrderId)),
                    Monetary: rows.Sum(r => r.Amount),
                    FirstPurchase: first,
                    LastPurchase: last,
                    Lines: rows.Count,
                    Tenure: (int)Math.Floor((log.AsOf - first).TotalDays));
            })
            .ToList();

        var dropped = measured.Where(c => policy.DropNonPositiveCustomers && c.Monetary <= 0m).ToList();
        var customers = measured.Except(dropped).OrderBy(c => c.CustomerId, StringComparer.Ordinal).ToArray();
        var exclusions = Enum.GetValues<ExclusionReason>()
            .Select(reason => reason == ExclusionReason.NonPositiveCustomerTotal
                ? new ExclusionCount(reason, dropped.Sum(c => c.Lines), dropped.Sum(c => c.Monetary))
                : new ExclusionCount(
                    reason,
                    classified.Count(x => x.Reason == reason),
                    classified.Where(x => x.Reason == reason).Sum(x => x.Row.Amount)))
            .ToArray();
        return (customers, exclusions);
    }

    private static void AssertSameSnapshot(MetricsSnapshot expected, MetricsSnapshot actual)
    {
        Assert.Equal(expected.AsOf, actual.AsOf);
        Assert.Equal(expected.Customers.ToArray(), actual.Customers.ToArray());
        var e = expected.Ingestion;
        var a = actual.Ingestion;
        Assert.Equal(
            (e.RowsRead, e.AmountRead, e.RowsUsed, e.AmountUsed, e.Customers),
            (a.RowsRead, a.AmountRead, a.RowsUsed, a.AmountUsed, a.Customers));
        Assert.Equal(e.Exclusions.ToArray(), a.Exclusions.ToArray());
    }
}
