using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace Rfm.Tests.Partitions;

/// <summary>A transaction log with each row's partition: a few names, some differing only in case, and blank ones.</summary>
public sealed record PartitionedLog(TransactionLog Log, string?[] Partitions)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"partitions [{string.Join(", ", Partitions.Select(p => p is null ? "null" : $"\"{p}\""))}], {Log}");
}

public static class PartitionGenerators
{
    // Blank names (null, empty, white space) are all the partition "", and case matters: "a" is not "A".
    private static readonly string?[] Names = ["A", "a", "B", "store 7", " A", null, string.Empty, " ", "\t"];

    public static Arbitrary<PartitionedLog> PartitionedLogs() =>
        Arb.From(
            from log in Generators.TransactionLogs().Generator
            from pool in Gen.Shuffle(Names)
            from poolSize in Gen.Choose(1, 4)
            from partitions in Gen.Elements(pool[..poolSize]).ArrayOf(log.Rows.Length)
            select new PartitionedLog(log, partitions));
}
