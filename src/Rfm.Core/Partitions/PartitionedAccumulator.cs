using System.Collections.Immutable;
using System.Data;
using System.Data.Common;

namespace Rfm;

/// <summary>
/// One <see cref="RfmAccumulator"/> per partition (store, tenant, country), each created when its partition's first row
/// arrives, all with the same cut-off and policy. A partition is analysed as if its rows were a table of their own: a
/// customer id is unique within a partition, not across them.
/// </summary>
/// <remarks>
/// <para>
/// A partition is named by a text, compared ordinally and kept exactly as given; a blank name (null, empty or white
/// space, as <see cref="RowContract.IsBlankId(string?)"/> defines it) is the partition named <c>""</c>, so every row belongs to
/// exactly one partition and none is dropped.
/// </para>
/// <para>An instance is not thread-safe; give each thread its own and merge them.</para>
/// </remarks>
public sealed class PartitionedAccumulator
{
    private readonly Dictionary<string, RfmAccumulator> _partitions = new(StringComparer.Ordinal);

    /// <summary>Creates an accumulator without partitions.</summary>
    /// <param name="cutoff">The cut-off of every partition's accumulator (see <see cref="RfmAccumulator.Cutoff"/>); <see langword="null"/> for none.</param>
    /// <param name="policy">Which rows count; <see langword="null"/> for <see cref="TransactionPolicy.Default"/>.</param>
    public PartitionedAccumulator(DateTime? cutoff = null, TransactionPolicy? policy = null)
    {
        Cutoff = cutoff;
        Policy = policy ?? TransactionPolicy.Default;
    }

    /// <summary>The cut-off of every partition: rows dated after it are excluded; <see langword="null"/> when every row's date counts.</summary>
    public DateTime? Cutoff { get; }

    /// <summary>The policy that decides which rows count, in every partition.</summary>
    public TransactionPolicy Policy { get; }

    /// <summary>The number of partitions seen so far.</summary>
    public int Count => _partitions.Count;

    /// <summary>The names of the partitions seen so far, in ordinal order.</summary>
    public ImmutableArray<string> Partitions => [.. _partitions.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// The accumulator of a partition, created (empty, with this cut-off and policy) when the partition is new. Add that
    /// partition's rows to it with any of its methods.
    /// </summary>
    /// <param name="partition">The partition's name; a blank name (null included) is the partition <c>""</c>.</param>
    /// <returns>The partition's accumulator, owned by this instance.</returns>
    public RfmAccumulator For(string? partition)
    {
        var key = NameOf(partition);
        if (!_partitions.TryGetValue(key, out var accumulator))
        {
            accumulator = new RfmAccumulator(Cutoff, Policy);
            _partitions.Add(key, accumulator);
        }

        return accumulator;
    }

    /// <summary>Finds the accumulator of a partition without creating one.</summary>
    /// <param name="partition">The partition's name; a blank name (null included) is the partition <c>""</c>.</param>
    /// <param name="accumulator">The partition's accumulator, when the partition has been seen.</param>
    /// <returns>Whether the partition has been seen.</returns>
    public bool TryGet(string? partition, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RfmAccumulator? accumulator) =>
        _partitions.TryGetValue(NameOf(partition), out accumulator);

    /// <summary>
    /// Reads every remaining row of a data reader into the accumulator of its partition, the value of the mapping's
    /// <see cref="TransactionColumns.Partition"/> column.
    /// </summary>
    /// <param name="reader">The reader, positioned before its first row.</param>
    /// <param name="columns">Which columns hold what, with a partition column.</param>
    /// <param name="progress">Told the number of rows read so far, every 16,384 rows and at the end; may be null.</param>
    /// <param name="cancellationToken">Stops the read between rows.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> gives the money neither or both ways, or names no partition column.</exception>
    /// <exception cref="TransactionDataException">A column is missing, or a value cannot be read; the message names the row, column and value.</exception>
    /// <exception cref="OverflowException">A sum of money exceeds what a <see cref="decimal"/> holds exactly.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public void Add(IDataReader reader, TransactionColumns columns, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(columns);
        DataReaderIngestion.Read(reader, columns, this, progress, cancellationToken);
    }

    /// <summary>
    /// Reads every remaining row of a data reader asynchronously (<see cref="DbDataReader.ReadAsync(CancellationToken)"/>)
    /// into the accumulator of its partition, so that a database query does not block a thread while it waits; each row
    /// is read as <see cref="Add(IDataReader, TransactionColumns, IProgress{long}?, CancellationToken)"/> reads it.
    /// </summary>
    /// <param name="reader">The reader, positioned before its first row.</param>
    /// <param name="columns">Which columns hold what, with a partition column.</param>
    /// <param name="progress">Told the number of rows read so far, every 16,384 rows and at the end; may be null.</param>
    /// <param name="cancellationToken">Stops the read: passed to every <see cref="DbDataReader.ReadAsync(CancellationToken)"/>.</param>
    /// <returns>A task that completes when the reader has no more rows.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> gives the money neither or both ways, or names no partition column.</exception>
    /// <exception cref="TransactionDataException">A column is missing, or a value cannot be read; the message names the row, column and value.</exception>
    /// <exception cref="OverflowException">A sum of money exceeds what a <see cref="decimal"/> holds exactly.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the rows read before stay added.</exception>
    public Task AddAsync(DbDataReader reader, TransactionColumns columns, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(columns);
        return DataReaderIngestion.ReadAsync(reader, columns, this, progress, cancellationToken);
    }

    /// <summary>
    /// Adds another partitioned accumulator's rows to this one, partition by partition, as if they had been added here.
    /// The other accumulator is not changed.
    /// </summary>
    /// <param name="other">An accumulator with the same cut-off (or, like this one, none) and policy.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="other"/> is this instance, or has another cut-off or policy.</exception>
    /// <exception cref="OverflowException">A sum of money would exceed what a <see cref="decimal"/> holds exactly; nothing is merged.</exception>
    public void Merge(PartitionedAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            throw new ArgumentException("An accumulator cannot be merged into itself.", nameof(other));
        }

        if (other.Cutoff != Cutoff || other.Policy != Policy)
        {
            throw new ArgumentException(
                $"Only partitioned accumulators with the same cut-off and policy can be merged (this: {Cutoff?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, {Policy}; other: {other.Cutoff?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, {other.Policy}).",
                nameof(other));
        }

        // Every partition's sums are tried before any is written, so that an overflow leaves this accumulator as it was.
        foreach (var (key, theirs) in other._partitions)
        {
            if (_partitions.TryGetValue(key, out var ours))
            {
                try
                {
                    ours.CheckMergedMoney(theirs);
                }
                catch (OverflowException ex)
                {
                    throw new OverflowException($"Merging partition '{key}' overflows: {ex.Message}", ex);
                }
            }
        }

        foreach (var (key, theirs) in other._partitions)
        {
            For(key).MergePartial(theirs);
        }
    }

    // A blank name is the partition "".
    internal static string NameOf(string? partition) => RowContract.IsBlankId(partition) ? string.Empty : partition;
}
