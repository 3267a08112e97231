using System.Data;
using FsCheck.Xunit;

namespace Rfm.Tests.Partitions;

/// <summary>
/// Analysis by partition (<see cref="PartitionedAccumulator"/>, <see cref="RfmCalculator.CalculateByPartition"/>): each
/// partition's result is what a separate analysis of its rows alone gives.
/// </summary>
[Properties(Arbitrary = [typeof(Generators), typeof(PartitionGenerators)])]
public sealed class PartitionTests
{
    private static readonly TransactionColumns Columns = new()
    {
        Partition = "store",
        Customer = "customer",
        Order = "order",
        Timestamp = "date",
        Amount = "amount",
    };

    [Property(MaxTest = 1000)]
    public void CalculateByPartition_EqualsSeparateRunsPerPartition(PartitionedLog log, CalculatorCase calculator)
    {
        using var reader = Table(log).CreateDataReader();

        var partitioned = calculator.Calculator.CalculateByPartition(reader, Columns, log.Log.AsOf);

        var expected = SeparateRuns(log, calculator.Calculator);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), partitioned.Partitions.Select(p => p.Partition));
        foreach (var (name, result) in partitioned.Partitions)
        {
            AssertSameResult(expected[name], result);
        }

        Assert.Equal(log.Log.Rows.Length, partitioned.Partitions.Sum(p => p.Result.Ingestion.RowsRead));
        Assert.Equal(log.Log.AsOf, partitioned.AsOf);
    }

    [Property(MaxTest = 1000)]
    public void Merge_OfAnySplit_EqualsSeparateRunsPerPartition(PartitionedLog log, CalculatorCase calculator, int seed)
    {
        var random = new Random(seed);
        var parts = new[] { calculator.Calculator.CreatePartitionedAccumulator(log.Log.AsOf), calculator.Calculator.CreatePartitionedAccumulator(log.Log.AsOf) };
        for (var i = 0; i < log.Log.Rows.Length; i++)
        {
            parts[random.Next(2)].For(log.Partitions[i]).Add(log.Log.Rows[i]);
        }

        parts[0].Merge(parts[1]);
        var merged = calculator.Calculator.Calculate(parts[0]);

        var expected = SeparateRuns(log, calculator.Calculator);
        Assert.Equal(expected.Count, merged.Partitions.Length);
        foreach (var (name, rows) in expected)
        {
            Assert.True(merged.TryGetPartition(name, out var result));
            AssertSameResult(rows, result);
        }
    }

    [Fact]
    public void BlankPartitions_AreThePartitionNamedEmpty_AndCaseMatters()
    {
        using var reader = TestData.Csv("store,customer,order,date,amount\nA,c1,1,2024-01-01,10\na,c1,2,2024-01-02,20\n,c1,3,2024-01-03,30\n  ,c1,4,2024-01-04,40\nA,c1,5,2024-01-05,50\n");

        var result = RfmCalculator.Default.CalculateByPartition(reader, Columns, new DateTime(2024, 2, 1));

        Assert.Equal(["", "A", "a"], result.Partitions.Select(p => p.Partition));
        Assert.True(result.TryGetPartition("A", out var a));
        var customer = Assert.Single(a.Customers);
        Assert.Equal((2, 60m), (customer.Metrics.Frequency, customer.Metrics.Monetary));
        Assert.True(result.TryGetPartition(" ", out var blank));
        Assert.Equal(70m, Assert.Single(blank.Customers).Metrics.Monetary);
        Assert.False(result.TryGetPartition("b", out _));
    }

    [Fact]
    public void Partition_OfOnlyExcludedRows_IsKeptWithItsAccount()
    {
        using var reader = TestData.Csv("store,customer,order,date,amount\nA,c1,1,2024-01-01,10\nB,,2,2024-01-02,20\n");

        var result = RfmCalculator.Default.CalculateByPartition(reader, Columns, new DateTime(2024, 2, 1));

        Assert.True(result.TryGetPartition("B", out var b));
        Assert.Empty(b.Customers);
        Assert.Equal(1, b.Ingestion.Excluded(ExclusionReason.MissingCustomer).Rows);
    }

    [Fact]
    public void PartitionedMapping_IsRefusedByTheReadersIntoOneAccumulator()
    {
        using var reader = TestData.Csv("store,customer,order,date,amount\nA,c1,1,2024-01-01,10\n");

        var error = Assert.Throws<ArgumentException>(() => RfmCalculator.Default.Calculate(reader, Columns, new DateTime(2024, 2, 1)));
        Assert.Equal("columns", error.ParamName);
        Assert.Contains("store", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Utf8CsvIngestion.TryReadStream(new MemoryStream(), ["store"], ",", Columns, new RfmAccumulator()));
    }

    [Fact]
    public void CalculateByPartition_ArgValidation()
    {
        using var reader = TestData.Csv("customer,order,date,amount\nc1,1,2024-01-01,10\n");
        var calculator = RfmCalculator.Default;

        Assert.Equal("reader", Assert.Throws<ArgumentNullException>(() => calculator.CalculateByPartition(null!, Columns, DateTime.Today)).ParamName);
        Assert.Equal("columns", Assert.Throws<ArgumentNullException>(() => calculator.CalculateByPartition(reader, null!, DateTime.Today)).ParamName);
        Assert.Equal("columns", Assert.Throws<ArgumentException>(() => calculator.CalculateByPartition(reader, Columns with { Partition = null }, DateTime.Today)).ParamName);
        Assert.Equal("partitions", Assert.Throws<ArgumentNullException>(() => calculator.Calculate((PartitionedAccumulator)null!)).ParamName);
        Assert.Throws<InvalidOperationException>(() => calculator.Calculate(calculator.CreatePartitionedAccumulator()));
    }

    [Fact]
    public void PartitionedResult_Create_RefusesDuplicatesBlankNamesAndOtherDates()
    {
        var asOf = new DateTime(2024, 2, 1);
        var result = RfmCalculator.Default.Calculate(Array.Empty<Transaction>(), asOf);

        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => PartitionedResult.Create(asOf, [new("A", result), new("A", result)])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PartitionedResult.Create(asOf, [new(" ", result)]));
        Assert.Throws<ArgumentException>(() => PartitionedResult.Create(asOf.AddDays(1), [new("A", result)]));
        Assert.Equal(["", "B", "a"], PartitionedResult.Create(asOf, [new("a", result), new("", result), new("B", result)]).Partitions.Select(p => p.Partition));
    }

    [Fact]
    public void Merge_RefusesAnotherCutoffOrPolicy()
    {
        var ours = new PartitionedAccumulator(new DateTime(2024, 2, 1));
        Assert.Throws<ArgumentException>(() => ours.Merge(new PartitionedAccumulator(new DateTime(2024, 2, 2))));
        Assert.Throws<ArgumentException>(() => ours.Merge(new PartitionedAccumulator(new DateTime(2024, 2, 1), TransactionPolicy.Tutorial)));
        Assert.Throws<ArgumentException>(() => ours.Merge(ours));
    }

    [Fact]
    public void Merge_ThatOverflows_LeavesEveryPartitionAsItWas()
    {
        var asOf = new DateTime(2024, 2, 1);
        var ours = new PartitionedAccumulator(asOf);
        var theirs = new PartitionedAccumulator(asOf);
        ours.For("A").Add(new Transaction("c1", "1", asOf.AddDays(-1), 1m));
        ours.For("B").Add(new Transaction("c1", "1", asOf.AddDays(-1), decimal.MaxValue));
        theirs.For("A").Add(new Transaction("c1", "2", asOf.AddDays(-1), 1m));
        theirs.For("B").Add(new Transaction("c1", "2", asOf.AddDays(-1), decimal.MaxValue));

        var error = Assert.Throws<OverflowException>(() => ours.Merge(theirs));

        Assert.Contains("'B'", error.Message, StringComparison.Ordinal);
        var result = RfmCalculator.Default.Calculate(ours);
        Assert.True(result.TryGetPartition("A", out var a));
        Assert.Equal(1m, Assert.Single(a.Customers).Metrics.Monetary);
    }

    private static DataTable Table(PartitionedLog log)
    {
        var table = new DataTable();
        table.Columns.Add("store", typeof(string));
        table.Columns.Add("customer", typeof(string));
        table.Columns.Add("order", typeof(string));
        table.Columns.Add("date", typeof(DateTime));
        table.Columns.Add("amount", typeof(decimal));
        for (var i = 0; i < log.Log.Rows.Length; i++)
        {
            var row = log.Log.Rows[i];
            table.Rows.Add((object?)log.Partitions[i] ?? DBNull.Value, (object?)row.CustomerId ?? DBNull.Value, (object?)row.OrderId ?? DBNull.Value, row.Timestamp, row.Amount);
        }

        return table;
    }

    // Each partition's rows analysed alone, blank names together as "".
    private static Dictionary<string, RfmResult> SeparateRuns(PartitionedLog log, RfmCalculator calculator) =>
        log.Log.Rows
            .Select((row, i) => (Name: string.IsNullOrWhiteSpace(log.Partitions[i]) ? string.Empty : log.Partitions[i]!, Row: row))
            .GroupBy(x => x.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => calculator.Calculate(g.Select(x => x.Row).ToArray(), log.Log.AsOf), StringComparer.Ordinal);

    private static void AssertSameResult(RfmResult expected, RfmResult actual)
    {
        Assert.Equal(expected.AsOf, actual.AsOf);
        Assert.Equal(expected.Customers.ToArray(), actual.Customers.ToArray());
        Assert.Equal(expected.Segments.ToArray(), actual.Segments.ToArray());
        Assert.Equal(expected.Scoring.ToArray().Select(s => (s.Metric, s.Strategy, s.Bins)), actual.Scoring.ToArray().Select(s => (s.Metric, s.Strategy, s.Bins)));
        for (var i = 0; i < expected.Scoring.Length; i++)
        {
            Assert.Equal(expected.Scoring[i].Edges.ToArray(), actual.Scoring[i].Edges.ToArray());
            Assert.Equal(expected.Scoring[i].Bands.ToArray(), actual.Scoring[i].Bands.ToArray());
        }

        Assert.Equal(
            (expected.Ingestion.RowsRead, expected.Ingestion.AmountRead, expected.Ingestion.RowsUsed, expected.Ingestion.AmountUsed, expected.Ingestion.Customers),
            (actual.Ingestion.RowsRead, actual.Ingestion.AmountRead, actual.Ingestion.RowsUsed, actual.Ingestion.AmountUsed, actual.Ingestion.Customers));
        Assert.Equal(expected.Ingestion.Exclusions.ToArray(), actual.Ingestion.Exclusions.ToArray());
    }
}
