using System.Collections.Immutable;
using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Rfm.Analytics;

namespace Rfm;

/// <summary>
/// Folds transaction rows into per-customer state: first and last purchase, distinct orders, money and
/// line count, plus the account of every excluded row. Feed it in batches, merge partial accumulators
/// (per thread, shard or day) and take a <see cref="Snapshot(DateTime)"/> as of the analysis date when done.
/// </summary>
/// <remarks>
/// <para>
/// An accumulator is not bound to an analysis date. It may have a cut-off (<see cref="Cutoff"/>): rows dated after it
/// are excluded, counted as <see cref="ExclusionReason.AfterAsOf"/>. Recency and tenure are measured when a snapshot
/// is taken, to the date it is given, or to the cut-off by <see cref="Snapshot()"/>.
/// </para>
/// <para>Memory grows with customers and distinct orders, never with rows.</para>
/// <para>
/// Merging is exact: any split of the same rows across accumulators, merged in any order, gives the same
/// snapshot. An instance is not thread-safe; give each thread its own and merge them.
/// </para>
/// </remarks>
public sealed class RfmAccumulator
{
    private CustomerTable _customers = new();
    private OrderKeys _orders = new();
    private ExclusionAccount _account = new();

    // Every order with its time and money, when the caller asked for them (KPIs per period, cohorts).
    private OrderLedger? _ledger;

    // The last customer and order seen, by reference (the lines of one order usually share their strings), and what
    // was made of them, each worked out when first needed: whether there is a customer and its index (-1 until looked
    // up), whether the order is a cancellation and its key. A null customer has none; a null order is no cancellation.
    private string? _recentCustomer;
    private bool _recentHasCustomer;
    private int _recentCustomerIndex = -1;
    private string? _recentOrder;
    private bool? _recentCancelled;
    private long? _recentOrderKey;

    /// <summary>Creates an empty accumulator.</summary>
    /// <param name="cutoff">
    /// The cut-off: rows dated after it are excluded (as <see cref="ExclusionReason.AfterAsOf"/>), and
    /// <see cref="Snapshot()"/> measures to it; <see langword="null"/> for none, every row's date counts.
    /// </param>
    /// <param name="policy">Which rows count; <see langword="null"/> for <see cref="TransactionPolicy.Default"/>.</param>
    /// <param name="keepOrders">
    /// Whether to keep every order's time and money for <see cref="History()"/> (KPIs per period, cohorts). This costs
    /// memory per distinct order, and each order's money must then fit a <see cref="decimal"/> exactly, as each
    /// customer's must; without it memory grows with customers and the pairs frequency counts.
    /// </param>
    public RfmAccumulator(DateTime? cutoff = null, TransactionPolicy? policy = null, bool keepOrders = false)
    {
        Cutoff = cutoff;

        // Without a cut-off no row is after it: no tick count is greater than long.MaxValue.
        CutoffTicks = cutoff?.Ticks ?? long.MaxValue;
        Policy = policy ?? TransactionPolicy.Default;
        _ledger = keepOrders ? new OrderLedger() : null;
    }

    /// <summary>The cut-off: rows dated after it are excluded; <see langword="null"/> when every row's date counts.</summary>
    public DateTime? Cutoff { get; }

    /// <summary>The policy that decides which rows count.</summary>
    public TransactionPolicy Policy { get; }

    /// <summary>Whether the accumulator keeps every order for <see cref="History()"/>.</summary>
    public bool KeepsOrders => _ledger is not null;

    /// <summary>Rows seen so far, used or not.</summary>
    public long RowsRead => _account.RowsRead;

    /// <summary>Customers with at least one row used so far.</summary>
    public int CustomerCount => _customers.Count;

    /// <summary>Adds one row. Generic over the row type so that structs are neither boxed nor copied to the heap.</summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="transaction">The row.</param>
    /// <exception cref="OverflowException">A sum of money exceeds what a <see cref="decimal"/> holds exactly.</exception>
    public void Add<T>(in T transaction)
        where T : ITransaction
    {
        var customer = transaction.CustomerId;
        var order = transaction.OrderId;
        var timestamp = transaction.Timestamp;
        var amount = transaction.Amount;
        Add(customer, order, timestamp, amount, Classify(customer, order, timestamp, amount));
    }

    /// <summary>Adds every row of a sequence.</summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="transactions">The rows.</param>
    /// <exception cref="ArgumentNullException"><paramref name="transactions"/> is null.</exception>
    /// <exception cref="OverflowException">A sum of money exceeds what a <see cref="decimal"/> holds exactly.</exception>
    public void AddRange<T>(IEnumerable<T> transactions)
        where T : ITransaction
    {
        ArgumentNullException.ThrowIfNull(transactions);
        foreach (var transaction in transactions)
        {
            Add(in transaction);
        }
    }

    /// <summary>Adds every row of a span, reading each in place.</summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="transactions">The rows.</param>
    /// <exception cref="OverflowException">A sum of money exceeds what a <see cref="decimal"/> holds exactly.</exception>
    public void AddRange<T>(ReadOnlySpan<T> transactions)
        where T : ITransaction
    {
        foreach (ref readonly var transaction in transactions)
        {
            Add(in transaction);
        }
    }

    /// <summary>
    /// Adds rows given as columns (the columnar path): row <c>i</c> is
    /// (<paramref name="customerIds"/>[i], <paramref name="orderIds"/>[i], <paramref name="timestamps"/>[i], <paramref name="amounts"/>[i]).
    /// </summary>
    /// <param name="customerIds">The customer ids.</param>
    /// <param name="orderIds">The order ids, or an empty span when the rows have none (each row is then one order).</param>
    /// <param name="timestamps">The purchase dates.</param>
    /// <param name="amounts">The amounts.</param>
    /// <exception cref="ArgumentException">The columns differ in length.</exception>
    /// <exception cref="OverflowException">A sum of money exceeds what a <see cref="decimal"/> holds exactly.</exception>
    public void AddColumns(ReadOnlySpan<string?> customerIds, ReadOnlySpan<string?> orderIds, ReadOnlySpan<DateTime> timestamps, ReadOnlySpan<decimal> amounts)
    {
        var rows = customerIds.Length;
        if (timestamps.Length != rows || amounts.Length != rows || (!orderIds.IsEmpty && orderIds.Length != rows))
        {
            throw new ArgumentException(
                $"The columns must have one entry per row: {rows} customer ids, {orderIds.Length} order ids, {timestamps.Length} timestamps, {amounts.Length} amounts.");
        }

        for (var i = 0; i < rows; i++)
        {
            var customer = customerIds[i];
            var order = orderIds.IsEmpty ? null : orderIds[i];
            var timestamp = timestamps[i];
            var amount = amounts[i];
            Add(customer, order, timestamp, amount, Classify(customer, order, timestamp, amount));
        }
    }

    /// <summary>Reads every remaining row of a data reader (a database query, a CSV reader, ...).</summary>
    /// <param name="reader">The reader, positioned before its first row.</param>
    /// <param name="columns">Which columns hold what.</param>
    /// <param name="progress">Told the number of rows read so far, every 16,384 rows and at the end; may be null.</param>
    /// <param name="cancellationToken">Stops the read between rows.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> gives the money neither or both ways, or names a partition column (read it by partition).</exception>
    /// <exception cref="TransactionDataException">A column is missing, or a value cannot be read; the message names the row, column and value.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public void Add(IDataReader reader, TransactionColumns columns, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(columns);
        DataReaderIngestion.Read(reader, columns, this, progress, cancellationToken);
    }

    /// <summary>
    /// Reads every remaining row of a data reader asynchronously (<see cref="DbDataReader.ReadAsync(CancellationToken)"/>),
    /// so that a database query does not block a thread while it waits; each row is read as
    /// <see cref="Add(IDataReader, TransactionColumns, IProgress{long}?, CancellationToken)"/> reads it.
    /// </summary>
    /// <param name="reader">The reader, positioned before its first row.</param>
    /// <param name="columns">Which columns hold what.</param>
    /// <param name="progress">Told the number of rows read so far, every 16,384 rows and at the end; may be null.</param>
    /// <param name="cancellationToken">Stops the read: passed to every <see cref="DbDataReader.ReadAsync(CancellationToken)"/>.</param>
    /// <returns>A task that completes when the reader has no more rows.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> gives the money neither or both ways, or names a partition column (read it by partition).</exception>
    /// <exception cref="TransactionDataException">A column is missing, or a value cannot be read; the message names the row, column and value.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the rows read before stay added.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the type of the rows, so no call can match more than one.")]
    public Task AddAsync(DbDataReader reader, TransactionColumns columns, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(columns);
        return DataReaderIngestion.ReadAsync(reader, columns, this, progress, cancellationToken);
    }

    /// <summary>Adds every row of an asynchronous sequence, such as rows streamed from a service or a channel.</summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="transactions">The rows.</param>
    /// <param name="progress">Told the number of rows read so far, every 16,384 rows and at the end; may be null.</param>
    /// <param name="cancellationToken">Stops the read: passed to the sequence's enumerator.</param>
    /// <returns>A task that completes when the sequence ends.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transactions"/> is null.</exception>
    /// <exception cref="OverflowException">A sum of money exceeds what a <see cref="decimal"/> holds exactly.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the rows read before stay added.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in the type of the rows, so no call can match more than one.")]
    public Task AddAsync<T>(IAsyncEnumerable<T> transactions, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
        where T : ITransaction
    {
        ArgumentNullException.ThrowIfNull(transactions);
        return AddEachAsync(transactions, progress, cancellationToken);
    }

    private async Task AddEachAsync<T>(IAsyncEnumerable<T> transactions, IProgress<long>? progress, CancellationToken cancellationToken)
        where T : ITransaction
    {
        long row = 0;
        await foreach (var transaction in transactions.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            DataReaderIngestion.Tick(++row, progress, cancellationToken);
            Add(in transaction);
        }

        DataReaderIngestion.Finish(row, progress, cancellationToken);
    }

    /// <summary>
    /// Adds another accumulator's rows to this one, as if they had been added here. The other accumulator is not changed.
    /// </summary>
    /// <param name="other">
    /// An accumulator with the same cut-off (or, like this one, none) and policy: only then would its rows have been
    /// used or excluded here exactly as they were there.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="other"/> is this instance, or has another cut-off or policy, or one keeps orders and the other does not.</exception>
    /// <exception cref="OverflowException">A sum of money would exceed what a <see cref="decimal"/> holds exactly; nothing is merged.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per merge, over every customer and order: no time to tier up
    public void Merge(RfmAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            throw new ArgumentException("An accumulator cannot be merged into itself.", nameof(other));
        }

        if (other.Cutoff != Cutoff)
        {
            throw new ArgumentException(
                $"Only accumulators with the same cut-off, or both without one, can be merged (this: {CutoffText(Cutoff)}, other: {CutoffText(other.Cutoff)}).",
                nameof(other));
        }

        if (other.Policy != Policy)
        {
            throw new ArgumentException($"Only accumulators with the same policy can be merged (this: {Policy}, other: {other.Policy}).", nameof(other));
        }

        if (other.KeepsOrders != KeepsOrders)
        {
            throw new ArgumentException(
                $"Only accumulators that both keep orders, or both do not, can be merged (this: {KeepsOrders}, other: {other.KeepsOrders}).",
                nameof(other));
        }

        CheckMergedMoney(other);
        MergePartial(other);
    }

    /// <summary>
    /// Writes this accumulator's state to a stream, in the versioned binary format of docs/state-format.md: the cut-off,
    /// the policy's fingerprint, the account of every row read, and per customer its dates, money, lines and distinct
    /// orders. <see cref="Load"/> reads it back; the state then merges, adds rows and measures exactly as this one does.
    /// </summary>
    /// <remarks>
    /// The bytes depend only on what was accumulated, not on how: the same rows split into any batches, saved, loaded and
    /// merged in any order, give the same bytes. The stream is written to and not closed.
    /// </remarks>
    /// <param name="destination">The stream to write to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> cannot be written to.</exception>
    /// <exception cref="InvalidOperationException">
    /// The accumulator keeps orders (the format holds no order ledger), or a customer or order id is not valid UTF-16
    /// (it has a lone surrogate, which UTF-8 cannot hold), or the state would exceed the largest array (about 2 GB);
    /// nothing is written.
    /// </exception>
    /// <exception cref="IOException">The stream fails.</exception>
    public void Save(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The stream cannot be written to.", nameof(destination));
        }

        StateFormat.Save(this, destination);
    }

    /// <summary>Reads an accumulator's state written by <see cref="Save"/>.</summary>
    /// <remarks>
    /// Exactly the state's bytes are read: the stream is left after them. The state is checked whole before anything is
    /// made of it: its length, its checksum, and that every value is one a saved accumulator can hold.
    /// </remarks>
    /// <param name="source">The stream, positioned at the state's first byte.</param>
    /// <param name="policy">
    /// The policy the state was made under; <see langword="null"/> for <see cref="TransactionPolicy.Default"/>. It is
    /// known by its fingerprint: the cancellation rule's kind and text (a custom rule's description), and the two
    /// switches. The loaded accumulator has this policy, and merges with accumulators made with it.
    /// </param>
    /// <returns>The accumulator, which neither keeps orders nor remembers the previous row's order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="InvalidDataException">
    /// The bytes are not a state (wrong magic), are of a newer format version than this library reads, are truncated, or are corrupt (the checksum or a value is wrong).
    /// </exception>
    /// <exception cref="ArgumentException">
    /// The state was made under another policy than <paramref name="policy"/>: the message names both by their canonical
    /// text (the bytes are sound; the argument does not match them); or <paramref name="source"/> cannot be read.
    /// </exception>
    /// <exception cref="IOException">The stream fails.</exception>
    public static RfmAccumulator Load(Stream source, TransactionPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(source));
        }

        return StateFormat.Load(source, policy ?? TransactionPolicy.Default);
    }

    /// <summary>The customers, for the state format.</summary>
    internal CustomerTable Customers => _customers;

    /// <summary>The order keys and pairs, for the state format.</summary>
    internal OrderKeys Orders => _orders;

    /// <summary>The account of the rows read, for the state format.</summary>
    internal ExclusionAccount Account => _account;

    /// <summary>Whether no row has been added or merged.</summary>
    internal bool IsEmpty => _account.RowsRead == 0 && _customers.Count == 0;

    /// <summary>
    /// Becomes <paramref name="other"/>, an accumulator of the same cut-off and policy, which must not be used again; this
    /// one must be empty. Cheaper than a merge by the whole cost of the merge.
    /// </summary>
    internal void TakeOver(RfmAccumulator other)
    {
        if (!IsEmpty || other.Cutoff != Cutoff || other.Policy != Policy || other.KeepsOrders != KeepsOrders)
        {
            throw new InvalidOperationException("Only an empty accumulator can take over another of the same cut-off, policy and order keeping.");
        }

        (_customers, _orders, _account, _ledger) = (other._customers, other._orders, other._account, other._ledger);
    }

    /// <summary>An empty accumulator of the same cut-off, policy and order keeping, e.g. for one chunk of a parallel read.</summary>
    internal RfmAccumulator CreateEmptyLike() => new(Cutoff, Policy, KeepsOrders);

    /// <summary>The ticks of the cut-off; <see cref="long.MaxValue"/>, after every date, when there is none.</summary>
    internal long CutoffTicks { get; }

    /// <summary>
    /// Merges a partial accumulator of the same cut-off, policy and order keeping without the up-front overflow check: for
    /// readers that discard everything on an error.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per merge, over every customer and order: no time to tier up
    internal void MergePartial(RfmAccumulator other)
    {
        _account.Add(other._account);

        var theirCustomers = other._customers;
        var map = new int[theirCustomers.Count];
        for (var i = 0; i < map.Length; i++)
        {
            ref readonly var theirs = ref theirCustomers[i];
            var index = _customers.IndexOf(theirCustomers.IdAt(i), theirs.First);
            map[i] = index;
            ref var ours = ref _customers[index];
            ours.First = Math.Min(ours.First, theirs.First);
            ours.Last = Math.Max(ours.Last, theirs.Last);
            ours.Monetary = ExactDecimal.Sum(ours.Monetary, theirs.Monetary);
            ours.Lines += theirs.Lines;
            ours.RowsWithoutOrder += theirs.RowsWithoutOrder;
        }

        // Numbers are the same key everywhere; other order ids are numbered per accumulator.
        var ourKey = _orders.Adopt(other._orders);
        _orders.MergePairs(other._orders, map, ourKey, index => _customers[index].DistinctOrders++);
        _ledger?.Merge(other._ledger!, map, ourKey);
    }

    /// <summary>Every sum a merge makes, tried before anything is written, so that an overflow leaves this accumulator as it was.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void CheckMergedMoney(RfmAccumulator other)
    {
        _account.CheckAdd(other._account);
        var theirCustomers = other._customers;
        for (var i = 0; i < theirCustomers.Count; i++)
        {
            if (_customers.TryFind(theirCustomers.IdAt(i), out var index))
            {
                try
                {
                    _ = ExactDecimal.Sum(_customers[index].Monetary, theirCustomers[i].Monetary);
                }
                catch (OverflowException ex)
                {
                    throw MoneyOverflow(theirCustomers.IdAt(i), theirCustomers[i].Monetary, ex);
                }
            }
        }

        if (_ledger is not null)
        {
            var orderKey = _orders.Translate(other._orders);
            try
            {
                _ledger.CheckMerge(
                    other._ledger!,
                    customer => _customers.TryFind(theirCustomers.IdAt(customer), out var index) ? index : -1,
                    orderKey);
            }
            catch (OverflowException ex)
            {
                throw new OverflowException("Merging overflows the money of an order both accumulators hold: it exceeds what a decimal holds exactly.", ex);
            }
        }
    }

    /// <summary>The latest purchase among the rows used so far, or <see langword="null"/> before the first.</summary>
    public DateTime? LatestPurchase => _customers.Count == 0 ? null : new DateTime(_customers.Latest(), Cutoff?.Kind ?? DateTimeKind.Unspecified);

    /// <summary>Every customer's metrics as of the cut-off, with the account of all rows read so far.</summary>
    /// <returns>The snapshot; the accumulator stays usable.</returns>
    /// <exception cref="InvalidOperationException">The accumulator has no cut-off: give the analysis date with <see cref="Snapshot(DateTime)"/>.</exception>
    /// <exception cref="OverflowException">A recency or tenure exceeds <see cref="int.MaxValue"/> days, or the excluded rows' money taken together exceeds what a <see cref="decimal"/> holds exactly.</exception>
    public MetricsSnapshot Snapshot() => Snapshot(CutoffOrThrow(nameof(Snapshot)));

    /// <summary>
    /// Every customer's metrics as of an analysis date, from <see cref="LatestPurchase"/> on, and up to the
    /// <see cref="Cutoff"/> when there is one. Every row used is dated on or before it, so the result is exactly what an
    /// accumulator with that date as its cut-off would give. An accumulator without a cut-off can read all the data
    /// and then be measured from the data's own end.
    /// </summary>
    /// <param name="asOf">The analysis date: recency and tenure are measured to it.</param>
    /// <returns>The snapshot; the accumulator stays usable.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="asOf"/> is before <see cref="LatestPurchase"/> or after <see cref="Cutoff"/>.</exception>
    /// <exception cref="OverflowException">A recency or tenure exceeds <see cref="int.MaxValue"/> days, or the excluded rows' money taken together exceeds what a <see cref="decimal"/> holds exactly.</exception>
    public MetricsSnapshot Snapshot(DateTime asOf)
    {
        if (asOf > Cutoff || (LatestPurchase is { } latest && asOf < latest))
        {
            throw new ArgumentOutOfRangeException(
                nameof(asOf),
                asOf,
                $"A snapshot can be taken from the latest purchase used ({LatestPurchase:O}) up to the accumulator's cut-off ({CutoffText(Cutoff)}).");
        }

        var customers = ImmutableArray.CreateBuilder<CustomerMetrics>(_customers.Count);
        var asOfTicks = asOf.Ticks;
        long droppedLines = 0;
        var droppedMoney = 0m;
        foreach (var i in _customers.OrdinalOrder())
        {
            ref readonly var customer = ref _customers[i];
            if (Policy.DropNonPositiveCustomers && customer.Monetary <= 0m)
            {
                droppedLines += customer.Lines;
                droppedMoney = ExclusionAccount.MoneyOfDropped(droppedMoney, customer.Monetary);
                continue;
            }

            customers.Add(new CustomerMetrics(
                _customers.IdAt(i),
                Recency: WholeDays(asOfTicks - customer.Last),
                Frequency: customer.DistinctOrders + customer.RowsWithoutOrder,
                Monetary: customer.Monetary,
                FirstPurchase: new DateTime(customer.First, asOf.Kind),
                LastPurchase: new DateTime(customer.Last, asOf.Kind),
                Lines: customer.Lines,
                Tenure: WholeDays(asOfTicks - customer.First)));
        }

        var summary = _account.Summary(droppedLines, droppedMoney, customers.Count);
        return new MetricsSnapshot(asOf, customers.DrainToImmutable(), summary);
    }

    /// <summary>Every order used, with the customers' metrics, as of the cut-off: for KPIs per period and cohorts.</summary>
    /// <returns>The history; the accumulator stays usable.</returns>
    /// <exception cref="InvalidOperationException">The accumulator was created without <c>keepOrders</c>, or has no cut-off (give the analysis date with <see cref="History(DateTime)"/>).</exception>
    /// <exception cref="OverflowException">As for <see cref="Snapshot()"/>.</exception>
    public OrderHistory History() => History(CutoffOrThrow(nameof(History)));

    /// <summary>
    /// Every order used, with the customers' metrics, as of an analysis date, from <see cref="LatestPurchase"/> on and
    /// up to the <see cref="Cutoff"/>, as <see cref="Snapshot(DateTime)"/> allows.
    /// </summary>
    /// <param name="asOf">The analysis date: periods ending on or before it are complete.</param>
    /// <returns>The history; the accumulator stays usable.</returns>
    /// <exception cref="InvalidOperationException">The accumulator was created without <c>keepOrders</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="asOf"/> is before <see cref="LatestPurchase"/> or after <see cref="Cutoff"/>.</exception>
    /// <exception cref="OverflowException">As for <see cref="Snapshot(DateTime)"/>.</exception>
    public OrderHistory History(DateTime asOf)
    {
        if (_ledger is null)
        {
            throw new InvalidOperationException("This accumulator does not keep orders: create it with keepOrders: true to take a history.");
        }

        return OrderHistoryBuilder.Build(Snapshot(asOf), _ledger, _customers.Count, id => _customers.TryFind(id, out var index) ? index : -1);
    }

    /// <summary>The one place a row from the public paths enters the state; <paramref name="exclusion"/> is the policy's verdict.</summary>
    internal void Add(string? customerId, string? orderId, DateTime timestamp, decimal amount, ExclusionReason? exclusion)
    {
        if (exclusion is { } reason)
        {
            _account.CountExcluded(reason, amount);
            return;
        }

        var ticks = timestamp.Ticks;
        var amountRead = _account.AmountReadWith(amount);
        SeeCustomer(customerId);
        SeeOrder(orderId);
        if (_recentCustomerIndex < 0)
        {
            _recentCustomerIndex = _customers.IndexOf(customerId!, ticks);
        }

        var orderKey = _recentOrderKey ??= RowContract.IsBlankId(orderId) ? OrderKeys.NoOrder : _orders.KeyOf(orderId);
        try
        {
            // AddRun works out every sum before it writes, so an overflow there leaves the state as it was.
            AddRun(_recentCustomerIndex, orderKey, ticks, lines: 1, amount);
        }
        catch (OverflowException ex) when (ex is not OrderMoneyOverflowException)
        {
            throw MoneyOverflow(_customers.IdAt(_recentCustomerIndex), amount, ex);
        }

        _account.CountRead(amountRead);
    }

    private void SeeCustomer(string? customerId)
    {
        if (!ReferenceEquals(customerId, _recentCustomer))
        {
            _recentCustomer = customerId;
            _recentHasCustomer = !RowContract.IsBlankId(customerId);
            _recentCustomerIndex = -1;
        }
    }

    private void SeeOrder(string? orderId)
    {
        if (!ReferenceEquals(orderId, _recentOrder))
        {
            _recentOrder = orderId;
            _recentCancelled = null;
            _recentOrderKey = null;
        }
    }

    /// <summary>
    /// <see cref="TransactionPolicy.Classify(string?, string?, DateTime, decimal, DateTime)"/>, with the verdicts on the
    /// previous row's customer and order kept by reference: the lines of one order share their strings.
    /// </summary>
    private ExclusionReason? Classify(string? customerId, string? orderId, DateTime timestamp, decimal amount)
    {
        SeeCustomer(customerId);
        var cancelled = false;
        if (_recentHasCustomer)
        {
            SeeOrder(orderId);
            cancelled = _recentCancelled ??= Policy.Cancellations.IsCancellation(orderId);
        }

        return Policy.Classify(
            _recentHasCustomer,
            cancelled,
            positiveQuantity: true,
            positivePrice: true,
            positiveAmount: amount > 0m,
            afterAsOf: timestamp.Ticks > CutoffTicks);
    }

    /// <summary>
    /// Adds <paramref name="lines"/> rows that count, of one customer, order and date, with their money together; the
    /// caller counts the rows themselves (the byte reader with <see cref="AddTotals"/>). The sums of money are worked out
    /// before anything is written, so an overflow leaves the state as it was.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void AddRun(int index, long orderKey, long ticks, long lines, decimal amount)
    {
        ref var customer = ref _customers[index];
        var monetary = ExactDecimal.Sum(customer.Monetary, amount);
        if (_ledger is not null)
        {
            RecordOrder(index, orderKey, ticks, lines, amount);
        }

        customer.Monetary = monetary;

        customer.First = Math.Min(customer.First, ticks);
        customer.Last = Math.Max(customer.Last, ticks);
        customer.Lines += lines;
        if (orderKey == OrderKeys.NoOrder)
        {
            customer.RowsWithoutOrder = checked((int)(customer.RowsWithoutOrder + lines));
        }
        else if (orderKey != customer.LastOrder)
        {
            customer.LastOrder = orderKey;
            if (_orders.AddPair(index, orderKey))
            {
                customer.DistinctOrders++;
            }
        }
    }

    // Kept apart from AddRun, which runs for every row of the hot path without a ledger. Only the sum can throw, and it
    // comes before anything is written.
    private void RecordOrder(int index, long orderKey, long ticks, long lines, decimal amount)
    {
        decimal orderAmount;
        try
        {
            orderAmount = _ledger!.AmountWith(index, orderKey, amount);
        }
        catch (OverflowException ex)
        {
            // With amounts of both signs an order can overflow where its customer's total does not.
            throw new OrderMoneyOverflowException(
                $"Adding {amount} overflows the money of order '{_orders.NameOf(orderKey)}' of customer '{_customers.IdAt(index)}': it exceeds what a decimal holds exactly (an accumulator that keeps orders needs each order's money exact too).",
                ex);
        }

        _ledger.Add(index, orderKey, ticks, lines, orderAmount);
    }

    /// <summary>Counts rows read and excluded in bulk, for the same readers as <see cref="AddRun"/>.</summary>
    internal void AddTotals(long rows, decimal amount, ReadOnlySpan<long> excludedRows, ReadOnlySpan<decimal> excludedAmount) =>
        _account.AddTotals(rows, amount, excludedRows, excludedAmount);

    /// <summary>The key of a non-empty order id, for readers that hand over runs (<see cref="AddRun"/>).</summary>
    internal long OrderKey(ReadOnlySpan<char> orderId) => _orders.KeyOf(orderId);

    /// <summary>The index of a customer (added, with its first purchase at <paramref name="ticks"/>, when new), for readers that hand over runs.</summary>
    internal int CustomerIndex(ReadOnlySpan<char> customerId, long ticks) => _customers.IndexOf(customerId, ticks);

    private static OverflowException MoneyOverflow(string customerId, decimal amount, OverflowException inner) =>
        ExclusionAccount.AddingOverflows(amount, $"the money of customer '{customerId}'", inner);

    private static int WholeDays(long ticks) => checked((int)(ticks / TimeSpan.TicksPerDay));

    private static string CutoffText(DateTime? cutoff) => cutoff is { } date ? date.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "none";

    private DateTime CutoffOrThrow(string method) =>
        Cutoff ?? throw new InvalidOperationException(
            $"This accumulator has no cut-off, so {method}() has no date to measure recency to: give the analysis date, as in {method}(asOf).");
}
