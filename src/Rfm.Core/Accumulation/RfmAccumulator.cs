using System.Collections.Immutable;
using System.Data;
using System.Runtime.InteropServices;

namespace Rfm;

/// <summary>
/// Folds transaction rows into per-customer state: first and last purchase, distinct orders, money and
/// line count, plus the account of every excluded row. Feed it in batches, merge partial accumulators
/// (per thread, shard or day) and take a <see cref="Snapshot()"/> when done.
/// </summary>
/// <remarks>
/// <para>Memory grows with customers and distinct orders, never with rows.</para>
/// <para>
/// Merging is exact: any split of the same rows across accumulators, merged in any order, gives the same
/// snapshot. An instance is not thread-safe; give each thread its own and merge them.
/// </para>
/// </remarks>
public sealed class RfmAccumulator
{
    private const int InitialCapacity = 256;
    private static readonly int ReasonSlots = Enum.GetValues<ExclusionReason>().Length + 1;

    private readonly Dictionary<string, int> _customerIndex = new(StringComparer.Ordinal);
    private readonly HashSet<(int Customer, string Order)> _orders = [];

    // Struct-of-arrays state, one slot per customer in order of first appearance.
    private string[] _ids = new string[InitialCapacity];
    private long[] _first = new long[InitialCapacity];
    private long[] _last = new long[InitialCapacity];
    private decimal[] _monetary = new decimal[InitialCapacity];
    private int[] _distinctOrderIds = new int[InitialCapacity];
    private int[] _rowsWithoutOrderId = new int[InitialCapacity];
    private long[] _lines = new long[InitialCapacity];

    // The order id of the customer's previous row: consecutive lines of one order skip the hash set.
    private string?[] _lastOrder = new string?[InitialCapacity];
    private int _count;
    private long _latest = long.MinValue;

    private readonly long[] _excludedRows = new long[ReasonSlots];
    private readonly decimal[] _excludedAmount = new decimal[ReasonSlots];
    private long _rowsRead;
    private decimal _amountRead;

    /// <summary>Creates an empty accumulator.</summary>
    /// <param name="asOf">The analysis date: rows dated after it are excluded, and recency is measured to it.</param>
    /// <param name="policy">Which rows count; <see langword="null"/> for <see cref="TransactionPolicy.Default"/>.</param>
    public RfmAccumulator(DateTime asOf, TransactionPolicy? policy = null)
    {
        AsOf = asOf;
        Policy = policy ?? TransactionPolicy.Default;
    }

    /// <summary>The analysis date.</summary>
    public DateTime AsOf { get; }

    /// <summary>The policy that decides which rows count.</summary>
    public TransactionPolicy Policy { get; }

    /// <summary>Rows seen so far, used or not.</summary>
    public long RowsRead => _rowsRead;

    /// <summary>Customers with at least one row used so far.</summary>
    public int CustomerCount => _count;

    /// <summary>Adds one row. Generic over the row type so that structs are neither boxed nor copied to the heap.</summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="transaction">The row.</param>
    /// <exception cref="OverflowException">A sum of money exceeds <see cref="decimal"/>'s range.</exception>
    public void Add<T>(in T transaction)
        where T : ITransaction
    {
        var customer = transaction.CustomerId;
        var order = transaction.OrderId;
        var timestamp = transaction.Timestamp;
        var amount = transaction.Amount;
        Add(customer, order, timestamp, amount, Policy.Classify(customer, order, timestamp, amount, AsOf));
    }

    /// <summary>Adds every row of a sequence.</summary>
    /// <typeparam name="T">The row type.</typeparam>
    /// <param name="transactions">The rows.</param>
    /// <exception cref="ArgumentNullException"><paramref name="transactions"/> is null.</exception>
    /// <exception cref="OverflowException">A sum of money exceeds <see cref="decimal"/>'s range.</exception>
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
    /// <exception cref="OverflowException">A sum of money exceeds <see cref="decimal"/>'s range.</exception>
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
    /// <exception cref="OverflowException">A sum of money exceeds <see cref="decimal"/>'s range.</exception>
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
            Add(customer, order, timestamp, amount, Policy.Classify(customer, order, timestamp, amount, AsOf));
        }
    }

    /// <summary>Reads every remaining row of a data reader (a database query, a CSV reader, ...).</summary>
    /// <param name="reader">The reader, positioned before its first row.</param>
    /// <param name="columns">Which columns hold what.</param>
    /// <param name="progress">Told the number of rows read so far, every 16,384 rows and at the end; may be null.</param>
    /// <param name="cancellationToken">Stops the read between rows.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> gives the money neither or both ways.</exception>
    /// <exception cref="TransactionDataException">A column is missing, or a value cannot be read; the message names the row, column and value.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public void Add(IDataReader reader, TransactionColumns columns, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(columns);
        DataReaderIngestion.Read(reader, columns, this, progress, cancellationToken);
    }

    /// <summary>
    /// Adds another accumulator's rows to this one, as if they had been added here. The other accumulator is not changed.
    /// </summary>
    /// <param name="other">An accumulator with the same analysis date and policy.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="other"/> is this instance, or has another analysis date or policy.</exception>
    /// <exception cref="OverflowException">A sum of money would exceed <see cref="decimal"/>'s range; nothing is merged.</exception>
    public void Merge(RfmAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            throw new ArgumentException("An accumulator cannot be merged into itself.", nameof(other));
        }

        if (other.AsOf != AsOf)
        {
            throw new ArgumentException(
                $"Only accumulators with the same analysis date can be merged (this: {AsOf:O}, other: {other.AsOf:O}).",
                nameof(other));
        }

        if (other.Policy != Policy)
        {
            throw new ArgumentException($"Only accumulators with the same policy can be merged (this: {Policy}, other: {other.Policy}).", nameof(other));
        }

        CheckMergedMoney(other);
        _rowsRead += other._rowsRead;
        _amountRead += other._amountRead;
        _latest = Math.Max(_latest, other._latest);
        for (var reason = 0; reason < ReasonSlots; reason++)
        {
            _excludedRows[reason] += other._excludedRows[reason];
            _excludedAmount[reason] += other._excludedAmount[reason];
        }

        var map = new int[other._count];
        for (var i = 0; i < other._count; i++)
        {
            var index = IndexOf(other._ids[i], other._first[i]);
            map[i] = index;
            _first[index] = Math.Min(_first[index], other._first[i]);
            _last[index] = Math.Max(_last[index], other._last[i]);
            _monetary[index] += other._monetary[i];
            _lines[index] += other._lines[i];
            _rowsWithoutOrderId[index] += other._rowsWithoutOrderId[i];
        }

        foreach (var (customer, order) in other._orders)
        {
            var index = map[customer];
            if (_orders.Add((index, order)))
            {
                _distinctOrderIds[index]++;
            }
        }
    }

    // Every sum a merge makes, tried before anything is written, so that an overflow leaves this accumulator as it was.
    private void CheckMergedMoney(RfmAccumulator other)
    {
        try
        {
            _ = _amountRead + other._amountRead;
            for (var reason = 0; reason < ReasonSlots; reason++)
            {
                _ = _excludedAmount[reason] + other._excludedAmount[reason];
            }
        }
        catch (OverflowException ex)
        {
            throw new OverflowException("Merging overflows the total money of the rows read: it exceeds the range of decimal.", ex);
        }

        for (var i = 0; i < other._count; i++)
        {
            if (_customerIndex.TryGetValue(other._ids[i], out var index))
            {
                try
                {
                    _ = _monetary[index] + other._monetary[i];
                }
                catch (OverflowException ex)
                {
                    throw MoneyOverflow(other._ids[i], other._monetary[i], ex);
                }
            }
        }
    }

    /// <summary>The latest purchase among the rows used so far, or <see langword="null"/> before the first.</summary>
    public DateTime? LatestPurchase => _count == 0 ? null : new DateTime(_latest, AsOf.Kind);

    /// <summary>Every customer's metrics as of <see cref="AsOf"/>, with the account of all rows read so far.</summary>
    /// <returns>The snapshot; the accumulator stays usable.</returns>
    /// <exception cref="OverflowException">A recency or tenure exceeds <see cref="int.MaxValue"/> days, or the excluded rows' money taken together exceeds <see cref="decimal"/>'s range.</exception>
    public MetricsSnapshot Snapshot() => Snapshot(AsOf);

    /// <summary>
    /// Every customer's metrics as of an earlier date, from <see cref="LatestPurchase"/> up to <see cref="AsOf"/>. Every
    /// row used is dated on or before it, so the result is exactly what an accumulator created with that date would
    /// give. This lets a caller read once with an open-ended <see cref="AsOf"/> and measure from the data's own end.
    /// </summary>
    /// <param name="asOf">The date to measure recency and tenure to.</param>
    /// <returns>The snapshot; the accumulator stays usable.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="asOf"/> is after <see cref="AsOf"/> or before <see cref="LatestPurchase"/>.</exception>
    /// <exception cref="OverflowException">A recency or tenure exceeds <see cref="int.MaxValue"/> days, or the excluded rows' money taken together exceeds <see cref="decimal"/>'s range.</exception>
    public MetricsSnapshot Snapshot(DateTime asOf)
    {
        if (asOf > AsOf || (LatestPurchase is { } latest && asOf < latest))
        {
            throw new ArgumentOutOfRangeException(
                nameof(asOf),
                asOf,
                $"A snapshot can be taken from the latest purchase used ({LatestPurchase:O}) up to the accumulator's analysis date ({AsOf:O}).");
        }

        var order = new int[_count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var ids = _ids;
        Array.Sort(order, (x, y) => string.CompareOrdinal(ids[x], ids[y]));

        var excludedRows = (long[])_excludedRows.Clone();
        var excludedAmount = (decimal[])_excludedAmount.Clone();
        var customers = ImmutableArray.CreateBuilder<CustomerMetrics>(_count);
        var asOfTicks = asOf.Ticks;
        foreach (var i in order)
        {
            if (Policy.DropNonPositiveCustomers && _monetary[i] <= 0m)
            {
                excludedRows[(int)ExclusionReason.NonPositiveCustomerTotal] += _lines[i];
                excludedAmount[(int)ExclusionReason.NonPositiveCustomerTotal] = MoneyOfDropped(excludedAmount[(int)ExclusionReason.NonPositiveCustomerTotal], _monetary[i]);
                continue;
            }

            customers.Add(new CustomerMetrics(
                _ids[i],
                Recency: WholeDays(asOfTicks - _last[i]),
                Frequency: _distinctOrderIds[i] + _rowsWithoutOrderId[i],
                Monetary: _monetary[i],
                FirstPurchase: new DateTime(_first[i], asOf.Kind),
                LastPurchase: new DateTime(_last[i], asOf.Kind),
                Lines: _lines[i],
                Tenure: WholeDays(asOfTicks - _first[i])));
        }

        var exclusions = ImmutableArray.CreateBuilder<ExclusionCount>(ReasonSlots - 1);
        var rowsExcluded = 0L;
        var amountExcluded = 0m;
        decimal amountUsed;
        try
        {
            foreach (var reason in Enum.GetValues<ExclusionReason>())
            {
                var slot = (int)reason;
                exclusions.Add(new ExclusionCount(reason, excludedRows[slot], excludedAmount[slot]));
                rowsExcluded += excludedRows[slot];
                amountExcluded += excludedAmount[slot];
            }

            amountUsed = _amountRead - amountExcluded;
        }
        catch (OverflowException ex)
        {
            // Each running sum fits, but the excluded or the used rows together hold more money than decimal can.
            throw new OverflowException("The money of the excluded or of the used rows, taken together, exceeds the range of decimal, so the ingestion summary cannot be made.", ex);
        }

        var summary = new IngestionSummary(
            _rowsRead,
            _amountRead,
            rowsExcluded,
            amountExcluded,
            amountUsed,
            customers.Count,
            exclusions.MoveToImmutable());
        return new MetricsSnapshot(asOf, customers.DrainToImmutable(), summary);
    }

    /// <summary>The one place a row enters the state; <paramref name="exclusion"/> is the policy's verdict.</summary>
    /// <remarks>Every sum that can overflow is computed before anything is written, so an overflow leaves the state as it was.</remarks>
    internal void Add(string? customerId, string? orderId, DateTime timestamp, decimal amount, ExclusionReason? exclusion)
    {
        decimal amountRead;
        try
        {
            amountRead = _amountRead + amount;
        }
        catch (OverflowException ex)
        {
            throw new OverflowException($"Adding {amount} overflows the total money of the rows read: it exceeds the range of decimal.", ex);
        }

        try
        {
            if (exclusion is { } reason)
            {
                _excludedAmount[(int)reason] += amount;
                _excludedRows[(int)reason]++;
            }
            else
            {
                AddIncluded(customerId!, orderId, timestamp.Ticks, amount);
            }
        }
        catch (OverflowException ex)
        {
            throw exclusion is { } reason
                ? new OverflowException($"Adding {amount} overflows the money of the rows excluded as {reason}: it exceeds the range of decimal.", ex)
                : MoneyOverflow(customerId!, amount, ex);
        }

        _amountRead = amountRead;
        _rowsRead++;
    }

    private void AddIncluded(string customerId, string? orderId, long ticks, decimal amount)
    {
        var index = IndexOf(customerId, ticks);
        _monetary[index] += amount;
        if (ticks < _first[index])
        {
            _first[index] = ticks;
        }

        if (ticks > _last[index])
        {
            _last[index] = ticks;
        }

        _latest = Math.Max(_latest, ticks);
        _lines[index]++;
        if (string.IsNullOrEmpty(orderId))
        {
            _rowsWithoutOrderId[index]++;
        }
        else if (!string.Equals(orderId, _lastOrder[index], StringComparison.Ordinal))
        {
            _lastOrder[index] = orderId;
            if (_orders.Add((index, orderId)))
            {
                _distinctOrderIds[index]++;
            }
        }
    }

    private static decimal MoneyOfDropped(decimal total, decimal customer)
    {
        try
        {
            return total + customer;
        }
        catch (OverflowException ex)
        {
            throw new OverflowException("The money of the customers dropped for a non-positive total exceeds the range of decimal.", ex);
        }
    }

    private static OverflowException MoneyOverflow(string customerId, decimal amount, OverflowException inner) =>
        new($"Adding {amount} overflows the money of customer '{customerId}': it exceeds the range of decimal.", inner);

    private static int WholeDays(long ticks) => checked((int)(ticks / TimeSpan.TicksPerDay));

    private int IndexOf(string customerId, long ticks)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_customerIndex, customerId, out var exists);
        if (exists)
        {
            return slot;
        }

        if (_count == _ids.Length)
        {
            Grow();
        }

        slot = _count;
        _ids[_count] = customerId;
        _first[_count] = ticks;
        _last[_count] = ticks;
        return _count++;
    }

    private void Grow()
    {
        var capacity = _ids.Length * 2;
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _first, capacity);
        Array.Resize(ref _last, capacity);
        Array.Resize(ref _monetary, capacity);
        Array.Resize(ref _distinctOrderIds, capacity);
        Array.Resize(ref _rowsWithoutOrderId, capacity);
        Array.Resize(ref _lines, capacity);
        Array.Resize(ref _lastOrder, capacity);
    }
}
