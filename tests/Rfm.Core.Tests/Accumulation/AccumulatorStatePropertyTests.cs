using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Rfm.Tests.Accumulation;

/// <summary>
/// A log split into batches, each batch's accumulator saved and loaded or not, merged along a random tree with more
/// saves and loads on the way, and rows added after the merges: the whole sequence that nightly runs make.
/// </summary>
/// <param name="Log">The rows; <see cref="TransactionLog.AsOf"/> is the cut-off when <see cref="HasCutoff"/>.</param>
/// <param name="Policy">The policy of every accumulator.</param>
/// <param name="HasCutoff">Whether the accumulators have the log's date as their cut-off, or none.</param>
/// <param name="Parts">How many batches; row i goes to batch <c>Assignment[i]</c>, and <see cref="Parts"/> means after the merges.</param>
/// <param name="Assignment">The batch of each row.</param>
/// <param name="Steps">Per batch and per merge, whether to save and load there (odd) or not (even), and which to merge.</param>
public sealed record StateCase(TransactionLog Log, PolicyCase Policy, bool HasCutoff, int Parts, int[] Assignment, int[] Steps)
{
    public DateTime? Cutoff => HasCutoff ? Log.AsOf : null;

    public RfmAccumulator OnePass()
    {
        var accumulator = new RfmAccumulator(Cutoff, Policy.Policy);
        accumulator.AddRange(Log.Rows);
        return accumulator;
    }

    public RfmAccumulator InBatches()
    {
        var parts = Enumerable.Range(0, Parts).Select(_ => new RfmAccumulator(Cutoff, Policy.Policy)).ToList();
        for (var i = 0; i < Log.Rows.Length; i++)
        {
            if (Assignment[i] < Parts)
            {
                parts[Assignment[i]].Add(Log.Rows[i]);
            }
        }

        var step = 0;
        for (var p = 0; p < parts.Count; p++)
        {
            parts[p] = Steps[step++] % 2 == 1 ? RoundTrip(parts[p]) : parts[p];
        }

        while (parts.Count > 1)
        {
            var from = Steps[step++] % parts.Count;
            var source = parts[from];
            parts.RemoveAt(from);
            var into = Steps[step++] % parts.Count;
            parts[into].Merge(source);
            parts[into] = Steps[step++] % 2 == 1 ? RoundTrip(parts[into]) : parts[into];
        }

        var merged = parts[0];
        for (var i = 0; i < Log.Rows.Length; i++)
        {
            if (Assignment[i] == Parts)
            {
                merged.Add(Log.Rows[i]);
            }
        }

        return Steps[step] % 2 == 1 ? RoundTrip(merged) : merged;
    }

    public RfmAccumulator RoundTrip(RfmAccumulator accumulator)
    {
        using var stream = new MemoryStream();
        accumulator.Save(stream);
        stream.Position = 0;
        return RfmAccumulator.Load(stream, Policy.Policy);
    }

    public override string ToString() =>
        $"{Policy}; cut-off {HasCutoff}; {Parts} parts, assignment [{string.Join(",", Assignment)}], steps [{string.Join(",", Steps)}]; {Log}";
}

/// <summary>Save, load and merge in any sequence give exactly what one pass over all rows gives.</summary>
[Properties(Arbitrary = [typeof(Generators), typeof(AccumulatorStatePropertyTests)])]
public sealed class AccumulatorStatePropertyTests
{
    // Order ids beyond the shared generator's: the largest canonical number, one digit more (an id, not a number), a
    // leading zero (an id), and a number too large to pack with a customer in 8 bytes.
    private static readonly Dictionary<string, string> MoreOrderIds = new(StringComparer.Ordinal)
    {
        ["5"] = "999999999999999999",
        ["6"] = "1000000000000000000",
        ["7"] = "007",
        ["8"] = "549755813888",
    };

    public static Arbitrary<StateCase> StateCases() =>
        Arb.From(
            from log in Generators.TransactionLogs().Generator
            from policy in Generators.Policies().Generator
            from hasCutoff in Gen.Elements(true, false)
            from moreIds in Gen.Elements(false, true)
            from extraScales in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 12))).ArrayOf(log.Rows.Length)
            from parts in Gen.Choose(1, 5)
            from assignment in Gen.Frequency((6, Gen.Choose(0, parts - 1)), (1, Gen.Constant(parts))).ArrayOf(log.Rows.Length)
            from steps in Gen.Choose(0, 1_000).ArrayOf((4 * parts) + 1)
            select new StateCase(log with { Rows = Vary(log.Rows, moreIds, extraScales) }, policy, hasCutoff, parts, assignment, steps),
            c => Enumerable.Range(0, c.Log.Rows.Length).Select(i => c with
            {
                Log = c.Log with { Rows = [.. c.Log.Rows[..i], .. c.Log.Rows[(i + 1)..]] },
                Assignment = [.. c.Assignment[..i], .. c.Assignment[(i + 1)..]],
            }));

    [Property(MaxTest = 1000)]
    public void SaveLoadMerge_AnySequence_EqualsOnePass_ByteForByte(StateCase state)
    {
        var expected = state.OnePass();
        var actual = state.InBatches();

        Assert.Equal(Bytes(expected), Bytes(actual));
        var asOf = state.HasCutoff ? state.Log.AsOf : (expected.LatestPurchase is { } latest && latest > state.Log.AsOf ? latest : state.Log.AsOf);
        var e = expected.Snapshot(asOf);
        var a = actual.Snapshot(asOf);
        Assert.Equal(e.Customers.ToArray(), a.Customers.ToArray());
        Assert.Equal(e.Customers.Select(c => c.Monetary.Scale), a.Customers.Select(c => c.Monetary.Scale));
        Assert.Equal(
            (e.Ingestion.RowsRead, e.Ingestion.AmountRead, e.Ingestion.RowsUsed, e.Ingestion.AmountUsed, e.Ingestion.Customers),
            (a.Ingestion.RowsRead, a.Ingestion.AmountRead, a.Ingestion.RowsUsed, a.Ingestion.AmountUsed, a.Ingestion.Customers));
        Assert.Equal(e.Ingestion.Exclusions.ToArray(), a.Ingestion.Exclusions.ToArray());
        Assert.Equal(e.Ingestion.AmountRead.Scale, a.Ingestion.AmountRead.Scale);
        Assert.Equal(expected.Cutoff, actual.Cutoff);
        Assert.Equal(expected.LatestPurchase, actual.LatestPurchase);
    }

    internal static byte[] Bytes(RfmAccumulator accumulator)
    {
        using var stream = new MemoryStream();
        accumulator.Save(stream);
        return stream.ToArray();
    }

    private static Transaction[] Vary(Transaction[] rows, bool moreIds, int[] extraScales) =>
        [.. rows.Select((row, i) => row with
        {
            OrderId = moreIds && row.OrderId is { } order && MoreOrderIds.TryGetValue(order, out var other) ? other : row.OrderId,
            Amount = Rescale(row.Amount, extraScales[i]),
        })];

    // The same digits with more decimal places: 12.5 with 3 more is 0.0125, exactly.
    private static decimal Rescale(decimal amount, int extra)
    {
        var bits = decimal.GetBits(amount);
        return new decimal(bits[0], bits[1], bits[2], amount < 0m, (byte)Math.Min(28, amount.Scale + extra));
    }
}
