using System.Data;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;

namespace Rfm.Extensions.DependencyInjection.Tests;

/// <summary>The engine's asynchronous reads, into one result or one per partition: the same result as the synchronous one, as of the engine's analysis date.</summary>
public sealed class EngineAsyncTests
{
    private static readonly DateTime AsOf = new(2011, 12, 10);

    private static readonly Transaction[] Rows =
    [
        new("alice", "1", AsOf.AddDays(-3), 120m), new("alice", "2", AsOf.AddDays(-1), 80m),
        new("bob", "3", AsOf.AddDays(-200), 15m), new("carol", "4", AsOf.AddDays(-40), 60m),
        new("dave", "5", AsOf.AddDays(-90), 300m), new("erin", "C6", AsOf.AddDays(-10), 5m),
        new("frank", "7", AsOf.AddDays(2), 9m),
    ];

    private static RfmEngine Engine()
    {
        var provider = new ServiceCollection().AddRfm(options => options.AsOf = AsOf).BuildServiceProvider();
        return provider.GetRequiredService<RfmEngine>();
    }

    [Fact]
    public async Task CalculateAsync_AsyncSequence_EqualsCalculate()
    {
        var engine = Engine();
        var progress = new List<long>();

        var result = await engine.CalculateAsync(Stream(), new Reports(progress));

        Assert.Equal(Lines(engine.Calculate(Rows)), Lines(result));
        Assert.Equal(AsOf, result.AsOf);
        Assert.Equal([Rows.LongLength], progress);
        Assert.Equal(1, result.Ingestion.Excluded(ExclusionReason.Cancellation).Rows);
        Assert.Equal(1, result.Ingestion.Excluded(ExclusionReason.AfterAsOf).Rows);
    }

    [Fact]
    public async Task CalculateAsync_DataReader_EqualsCalculate()
    {
        var engine = Engine();
        using var table = new DataTable();
        table.Columns.Add("customer", typeof(string));
        table.Columns.Add("order", typeof(string));
        table.Columns.Add("date", typeof(DateTime));
        table.Columns.Add("amount", typeof(decimal));
        foreach (var row in Rows)
        {
            table.Rows.Add(row.CustomerId, row.OrderId, row.Timestamp, row.Amount);
        }

        await using var reader = table.CreateDataReader();
        var result = await engine.CalculateAsync(reader, new TransactionColumns { Customer = "customer", Order = "order", Timestamp = "date", Amount = "amount" });

        Assert.Equal(Lines(engine.Calculate(Rows)), Lines(result));
    }

    [Fact]
    public async Task CalculateByPartitionAsync_DataReader_EqualsCalculateByPartition_AsOfTheEngine()
    {
        var engine = Engine();
        using var table = new DataTable();
        table.Columns.Add("customer", typeof(string));
        table.Columns.Add("order", typeof(string));
        table.Columns.Add("date", typeof(DateTime));
        table.Columns.Add("amount", typeof(decimal));
        table.Columns.Add("store", typeof(string));
        for (var i = 0; i < Rows.Length; i++)
        {
            table.Rows.Add(Rows[i].CustomerId, Rows[i].OrderId, Rows[i].Timestamp, Rows[i].Amount, i % 2 == 0 ? "north" : "south");
        }

        var columns = new TransactionColumns { Customer = "customer", Order = "order", Timestamp = "date", Amount = "amount", Partition = "store" };
        PartitionedResult expected;
        using (var reader = table.CreateDataReader())
        {
            expected = engine.CalculateByPartition(reader, columns);
        }

        var progress = new List<long>();
        await using var asyncReader = table.CreateDataReader();
        var result = await engine.CalculateByPartitionAsync(asyncReader, columns, new Reports(progress));

        Assert.Equal(AsOf, result.AsOf);
        Assert.Equal(AsOf, expected.AsOf);
        Assert.Equal(["north", "south"], result.Partitions.Select(p => p.Partition));
        Assert.Equal(expected.Partitions.Select(p => (p.Partition, Lines(p.Result))), result.Partitions.Select(p => (p.Partition, Lines(p.Result))));
        Assert.Equal(Lines(engine.Calculate(Rows.Where((_, i) => i % 2 == 0))), Lines(result.Partitions[0].Result));
        Assert.Equal([Rows.LongLength], progress);
    }

    [Fact]
    public async Task CalculateByPartitionAsync_Cancelled_Throws()
    {
        var engine = Engine();
        using var table = new DataTable();
        table.Columns.Add("customer", typeof(string));
        table.Columns.Add("order", typeof(string));
        table.Columns.Add("date", typeof(DateTime));
        table.Columns.Add("amount", typeof(decimal));
        table.Columns.Add("store", typeof(string));
        table.Rows.Add("alice", "1", AsOf.AddDays(-3), 120m, "north");
        await using var reader = table.CreateDataReader();
        var columns = new TransactionColumns { Customer = "customer", Order = "order", Timestamp = "date", Amount = "amount", Partition = "store" };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.CalculateByPartitionAsync(reader, columns, cancellationToken: new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task CalculateAsync_Cancelled_Throws()
    {
        var engine = Engine();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.CalculateAsync(Stream(), cancellationToken: new CancellationToken(canceled: true)));
    }

    private static async IAsyncEnumerable<Transaction> Stream([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var row in Rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return row;
        }
    }

    private static List<string> Lines(RfmResult result) =>
        [.. result.Customers.Select(c => FormattableString.Invariant($"{c.Metrics} {c.Score} {c.Segment.Key}"))];

    private sealed class Reports(List<long> values) : IProgress<long>
    {
        public void Report(long value) => values.Add(value);
    }
}
