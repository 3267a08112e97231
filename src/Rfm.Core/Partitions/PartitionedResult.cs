using System.Collections.Immutable;

namespace Rfm;

/// <summary>
/// The outcome of an analysis by partition (store, tenant, country): one <see cref="RfmResult"/> per partition, each
/// what a separate analysis of that partition's rows gives, all as of one analysis date. Immutable.
/// </summary>
public sealed class PartitionedResult
{
    private PartitionedResult(DateTime asOf, ImmutableArray<RfmPartition> partitions)
    {
        AsOf = asOf;
        Partitions = partitions;
    }

    /// <summary>The analysis date of every partition.</summary>
    public DateTime AsOf { get; }

    /// <summary>One entry per partition, ordered by name (ordinal).</summary>
    public ImmutableArray<RfmPartition> Partitions { get; }

    /// <summary>
    /// Gathers results worked out per partition elsewhere (by a database, or partition by partition), in any order.
    /// </summary>
    /// <param name="asOf">The analysis date every result must have.</param>
    /// <param name="partitions">The partitions, each with a name of its own; a blank name must be <c>""</c>.</param>
    /// <returns>The result, its partitions ordered by name (ordinal).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="partitions"/> is null, or a partition's name or result is null.</exception>
    /// <exception cref="ArgumentException">A name is given twice or is blank but not <c>""</c>, or a result has another analysis date; the message names the partition.</exception>
    public static PartitionedResult Create(DateTime asOf, IEnumerable<RfmPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var ordered = partitions.ToArray();
        foreach (var (name, result) in ordered)
        {
            if (name is null || result is null)
            {
                throw new ArgumentNullException(nameof(partitions), "A partition's name or result is null.");
            }

            if (name.Length > 0 && RowContract.IsBlankId(name))
            {
                throw new ArgumentException($"Partition '{name}' has a blank name: the partition of rows without one is named \"\".", nameof(partitions));
            }

            if (result.AsOf != asOf)
            {
                throw new ArgumentException(
                    $"Partition '{name}' is analysed as of {result.AsOf:O}, not {asOf:O}.", nameof(partitions));
            }
        }

        Array.Sort(ordered, static (a, b) => string.CompareOrdinal(a.Partition, b.Partition));
        for (var i = 1; i < ordered.Length; i++)
        {
            if (string.Equals(ordered[i - 1].Partition, ordered[i].Partition, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Partition '{ordered[i].Partition}' is given twice.", nameof(partitions));
            }
        }

        return new PartitionedResult(asOf, [.. ordered]);
    }

    /// <summary>Finds one partition's result by name (a binary search).</summary>
    /// <param name="partition">The partition's name; a blank name (null included) is the partition <c>""</c>.</param>
    /// <param name="result">The partition's result, when found.</param>
    /// <returns><see langword="true"/> when the partition is in the result.</returns>
    public bool TryGetPartition(string? partition, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RfmResult? result)
    {
        var key = PartitionedAccumulator.NameOf(partition);
        int low = 0, high = Partitions.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var comparison = string.CompareOrdinal(Partitions[middle].Partition, key);
            if (comparison == 0)
            {
                result = Partitions[middle].Result;
                return true;
            }

            if (comparison < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        result = null;
        return false;
    }
}
