using System.Collections.Immutable;
using System.Data;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Rfm.Analytics;

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
    internal static readonly int ReasonSlots = Enum.GetValues<ExclusionReason>().Length + 1;

    // A row without an order id; an order key is otherwise a number (see OrderKey).
    internal const long NoOrder = long.MinValue;

    private Dictionary<string, int> _customerIndex = new(StringComparer.Ordinal);
    private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _customerByChars;

    // Order ids that are not plain numbers, numbered in order of appearance; their keys are negative.
    private Dictionary<string, int> _orderNames = new(StringComparer.Ordinal);
    private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _orderByChars;
    private List<string> _orderNameList = [];
    private OrderPairSet _orders = new();

    // Every order with its time and money, when the caller asked for them (KPIs per period, cohorts).
    private OrderLedger? _ledger;

    // One slot per customer in order of first appearance: the ids apart, and the state a row touches together, in
    // one cache line, because customers come in random order and each array touched would cost a cache miss.
    private string[] _ids = new string[InitialCapacity];
    private CustomerState[] _state = new CustomerState[InitialCapacity];

    private int _count;

    // The last customer and order seen, by reference (the lines of one order usually share their strings), and what
    // was made of them, each worked out when first needed: whether there is a customer and its index (-1 until looked
    // up), whether the order is a cancellation and its key. A null customer has none; a null order is no cancellation.
    private string? _recentCustomer;
    private bool _recentHasCustomer;
    private int _recentCustomerIndex = -1;
    private string? _recentOrder;
    private bool? _recentCancelled;
    private long? _recentOrderKey;
    private readonly long _asOfTicks;

    private long[] _excludedRows = new long[ReasonSlots];
    private decimal[] _excludedAmount = new decimal[ReasonSlots];
    private long _rowsRead;
    private decimal _amountRead;

    /// <summary>Creates an empty accumulator.</summary>
    /// <param name="asOf">The analysis date: rows dated after it are excluded, and recency is measured to it.</param>
    /// <param name="policy">Which rows count; <see langword="null"/> for <see cref="TransactionPolicy.Default"/>.</param>
    /// <param name="keepOrders">
    /// Whether to keep every order's time and money for <see cref="History()"/> (KPIs per period, cohorts). This costs
    /// memory per distinct order, and each order's money must then fit a <see cref="decimal"/> exactly, as each
    /// customer's must; without it memory grows with customers and the pairs frequency counts.
    /// </param>
    public RfmAccumulator(DateTime asOf, TransactionPolicy? policy = null, bool keepOrders = false)
    {
        AsOf = asOf;
        _asOfTicks = asOf.Ticks;
        Policy = policy ?? TransactionPolicy.Default;
        _customerByChars = _customerIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        _orderByChars = _orderNames.GetAlternateLookup<ReadOnlySpan<char>>();
        _ledger = keepOrders ? new OrderLedger() : null;
    }

    /// <summary>The analysis date.</summary>
    public DateTime AsOf { get; }

    /// <summary>The policy that decides which rows count.</summary>
    public TransactionPolicy Policy { get; }

    /// <summary>Whether the accumulator keeps every order for <see cref="History()"/>.</summary>
    public bool KeepsOrders => _ledger is not null;

    /// <summary>Rows seen so far, used or not.</summary>
    public long RowsRead => _rowsRead;

    /// <summary>Customers with at least one row used so far.</summary>
    public int CustomerCount => _count;

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
    /// <exception cref="ArgumentException"><paramref name="other"/> is this instance, or has another analysis date or policy, or one keeps orders and the other does not.</exception>
    /// <exception cref="OverflowException">A sum of money would exceed what a <see cref="decimal"/> holds exactly; nothing is merged.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per merge, over every customer and order: no time to tier up
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

        if (other.KeepsOrders != KeepsOrders)
        {
            throw new ArgumentException(
                $"Only accumulators that both keep orders, or both do not, can be merged (this: {KeepsOrders}, other: {other.KeepsOrders}).",
                nameof(other));
        }

        CheckMergedMoney(other);
        MergePartial(other);
    }

    /// <summary>Whether no row has been added or merged.</summary>
    internal bool IsEmpty => _rowsRead == 0 && _count == 0;

    /// <summary>
    /// Becomes <paramref name="other"/>, an accumulator of the same date and policy, which must not be used again; this
    /// one must be empty. Cheaper than a merge by the whole cost of the merge.
    /// </summary>
    internal void TakeOver(RfmAccumulator other)
    {
        if (!IsEmpty || other.AsOf != AsOf || other.Policy != Policy || other.KeepsOrders != KeepsOrders)
        {
            throw new InvalidOperationException("Only an empty accumulator can take over another of the same date, policy and order keeping.");
        }

        (_customerIndex, _customerByChars, _orderNames, _orderByChars, _orderNameList, _orders) =
            (other._customerIndex, other._customerByChars, other._orderNames, other._orderByChars, other._orderNameList, other._orders);
        (_ids, _state, _count, _ledger) = (other._ids, other._state, other._count, other._ledger);
        (_excludedRows, _excludedAmount, _rowsRead, _amountRead) = (other._excludedRows, other._excludedAmount, other._rowsRead, other._amountRead);
    }

    /// <summary>An empty accumulator of the same date, policy and order keeping, e.g. for one chunk of a parallel read.</summary>
    internal RfmAccumulator CreateEmptyLike() => new(AsOf, Policy, KeepsOrders);

    /// <summary>
    /// Merges a partial accumulator of the same date, policy and order keeping without the up-front overflow check: for
    /// readers that discard everything on an error.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per merge, over every customer and order: no time to tier up
    internal void MergePartial(RfmAccumulator other)
    {
        AddTotals(other._rowsRead, other._amountRead, other._excludedRows, other._excludedAmount);

        var map = new int[other._count];
        for (var i = 0; i < other._count; i++)
        {
            ref readonly var theirs = ref other._state[i];
            var index = CustomerIndex(other._ids[i], theirs.First);
            map[i] = index;
            ref var ours = ref _state[index];
            ours.First = Math.Min(ours.First, theirs.First);
            ours.Last = Math.Max(ours.Last, theirs.Last);
            ours.Monetary = ExactDecimal.Sum(ours.Monetary, theirs.Monetary);
            ours.Lines += theirs.Lines;
            ours.RowsWithoutOrder += theirs.RowsWithoutOrder;
        }

        // Numbers are the same key everywhere; other order ids are numbered per accumulator.
        var orderKeys = new long[other._orderNameList.Count];
        for (var i = 0; i < orderKeys.Length; i++)
        {
            orderKeys[i] = OrderKey(other._orderNameList[i]);
        }

        long OurKey(long order) => order < 0 ? orderKeys[-order - 1] : order;
        _orders.EnsureCapacity(_orders.Count + other._orders.Count);
        other._orders.ForEach((customer, order) =>
        {
            var index = map[customer];
            if (_orders.Add(index, OurKey(order)))
            {
                _state[index].DistinctOrders++;
            }
        });

        _ledger?.Merge(other._ledger!, map, OurKey);
    }

    // Every sum a merge makes, tried before anything is written, so that an overflow leaves this accumulator as it was.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CheckMergedMoney(RfmAccumulator other)
    {
        try
        {
            _ = ExactDecimal.Sum(_amountRead, other._amountRead);
            for (var reason = 0; reason < ReasonSlots; reason++)
            {
                _ = ExactDecimal.Sum(_excludedAmount[reason], other._excludedAmount[reason]);
            }
        }
        catch (OverflowException ex)
        {
            throw new OverflowException("Merging overflows the total money of the rows read: it exceeds what a decimal holds exactly (its range, or 28 to 29 significant digits).", ex);
        }

        for (var i = 0; i < other._count; i++)
        {
            if (_customerIndex.TryGetValue(other._ids[i], out var index))
            {
                try
                {
                    _ = ExactDecimal.Sum(_state[index].Monetary, other._state[i].Monetary);
                }
                catch (OverflowException ex)
                {
                    throw MoneyOverflow(other._ids[i], other._state[i].Monetary, ex);
                }
            }
        }

        if (_ledger is not null)
        {
            var orderKeys = other._orderNameList.Select(name => _orderNames.TryGetValue(name, out var serial) ? -serial - 1 : NoOrder).ToArray();
            try
            {
                _ledger.CheckMerge(
                    other._ledger!,
                    customer => _customerIndex.TryGetValue(other._ids[customer], out var index) ? index : -1,
                    order => order >= 0 ? order : orderKeys[-order - 1]);
            }
            catch (OverflowException ex)
            {
                throw new OverflowException("Merging overflows the money of an order both accumulators hold: it exceeds what a decimal holds exactly.", ex);
            }
        }
    }

    /// <summary>The latest purchase among the rows used so far, or <see langword="null"/> before the first.</summary>
    public DateTime? LatestPurchase => _count == 0 ? null : new DateTime(Latest(), AsOf.Kind);

    /// <summary>Every customer's metrics as of <see cref="AsOf"/>, with the account of all rows read so far.</summary>
    /// <returns>The snapshot; the accumulator stays usable.</returns>
    /// <exception cref="OverflowException">A recency or tenure exceeds <see cref="int.MaxValue"/> days, or the excluded rows' money taken together exceeds what a <see cref="decimal"/> holds exactly.</exception>
    public MetricsSnapshot Snapshot() => Snapshot(AsOf);

    /// <summary>
    /// Every customer's metrics as of an earlier date, from <see cref="LatestPurchase"/> up to <see cref="AsOf"/>. Every
    /// row used is dated on or before it, so the result is exactly what an accumulator created with that date would
    /// give. This lets a caller read once with an open-ended <see cref="AsOf"/> and measure from the data's own end.
    /// </summary>
    /// <param name="asOf">The date to measure recency and tenure to.</param>
    /// <returns>The snapshot; the accumulator stays usable.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="asOf"/> is after <see cref="AsOf"/> or before <see cref="LatestPurchase"/>.</exception>
    /// <exception cref="OverflowException">A recency or tenure exceeds <see cref="int.MaxValue"/> days, or the excluded rows' money taken together exceeds what a <see cref="decimal"/> holds exactly.</exception>
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

        // Sorting the ids with the positions alongside compares strings directly, without a delegate per comparison.
        Array.Sort(_ids[.._count], order, StringComparer.Ordinal);

        var excludedRows = (long[])_excludedRows.Clone();
        var excludedAmount = (decimal[])_excludedAmount.Clone();
        var customers = ImmutableArray.CreateBuilder<CustomerMetrics>(_count);
        var asOfTicks = asOf.Ticks;
        foreach (var i in order)
        {
            if (Policy.DropNonPositiveCustomers && _state[i].Monetary <= 0m)
            {
                excludedRows[(int)ExclusionReason.NonPositiveCustomerTotal] += _state[i].Lines;
                excludedAmount[(int)ExclusionReason.NonPositiveCustomerTotal] = MoneyOfDropped(excludedAmount[(int)ExclusionReason.NonPositiveCustomerTotal], _state[i].Monetary);
                continue;
            }

            customers.Add(new CustomerMetrics(
                _ids[i],
                Recency: WholeDays(asOfTicks - _state[i].Last),
                Frequency: _state[i].DistinctOrders + _state[i].RowsWithoutOrder,
                Monetary: _state[i].Monetary,
                FirstPurchase: new DateTime(_state[i].First, asOf.Kind),
                LastPurchase: new DateTime(_state[i].Last, asOf.Kind),
                Lines: _state[i].Lines,
                Tenure: WholeDays(asOfTicks - _state[i].First)));
        }

        var summary = IngestionSummary.Account(_rowsRead, _amountRead, excludedRows, excludedAmount, customers.Count);
        return new MetricsSnapshot(asOf, customers.DrainToImmutable(), summary);
    }

    /// <summary>Every order used, with the customers' metrics, as of <see cref="AsOf"/>: for KPIs per period and cohorts.</summary>
    /// <returns>The history; the accumulator stays usable.</returns>
    /// <exception cref="InvalidOperationException">The accumulator was created without <c>keepOrders</c>.</exception>
    /// <exception cref="OverflowException">As for <see cref="Snapshot()"/>.</exception>
    public OrderHistory History() => History(AsOf);

    /// <summary>
    /// Every order used, with the customers' metrics, as of an earlier date, from <see cref="LatestPurchase"/> up to
    /// <see cref="AsOf"/>, as <see cref="Snapshot(DateTime)"/> allows.
    /// </summary>
    /// <param name="asOf">The analysis date: periods ending on or before it are complete.</param>
    /// <returns>The history; the accumulator stays usable.</returns>
    /// <exception cref="InvalidOperationException">The accumulator was created without <c>keepOrders</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="asOf"/> is after <see cref="AsOf"/> or before <see cref="LatestPurchase"/>.</exception>
    /// <exception cref="OverflowException">As for <see cref="Snapshot(DateTime)"/>.</exception>
    public OrderHistory History(DateTime asOf)
    {
        if (_ledger is null)
        {
            throw new InvalidOperationException("This accumulator does not keep orders: create it with keepOrders: true to take a history.");
        }

        var snapshot = Snapshot(asOf);

        // Entries name customers by their index here; the history names them by position in the snapshot, which leaves
        // out customers dropped for a non-positive total.
        var position = new int[_count];
        Array.Fill(position, -1);
        for (var i = 0; i < snapshot.Customers.Length; i++)
        {
            position[_customerIndex[snapshot.Customers[i].CustomerId]] = i;
        }

        var kept = 0;
        foreach (var customer in _ledger.Customer)
        {
            kept += position[customer] >= 0 ? 1 : 0;
        }

        var (customers, ticks, amounts, orders) = (new int[kept], new long[kept], new decimal[kept], new int[kept]);
        var next = 0;
        for (var entry = 0; entry < _ledger.Count; entry++)
        {
            if (position[_ledger.Customer[entry]] is var at and >= 0)
            {
                (customers[next], ticks[next], amounts[next], orders[next]) = (at, _ledger.Ticks[entry], _ledger.Amount[entry], _ledger.Orders[entry]);
                next++;
            }
        }

        return new OrderHistory(snapshot, customers, ticks, amounts, orders);
    }

    /// <summary>The one place a row from the public paths enters the state; <paramref name="exclusion"/> is the policy's verdict.</summary>
    internal void Add(string? customerId, string? orderId, DateTime timestamp, decimal amount, ExclusionReason? exclusion)
    {
        if (exclusion is { } reason)
        {
            AddExcluded(reason, amount);
            return;
        }

        var ticks = timestamp.Ticks;
        var amountRead = AmountReadWith(amount);
        SeeCustomer(customerId);
        SeeOrder(orderId);
        if (_recentCustomerIndex < 0)
        {
            _recentCustomerIndex = CustomerIndex(customerId!, ticks);
        }

        var orderKey = _recentOrderKey ??= RowContract.IsBlankId(orderId) ? NoOrder : OrderKey(orderId);
        AddIncluded(_recentCustomerIndex, orderKey, ticks, amount, amountRead);
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
            afterAsOf: timestamp.Ticks > _asOfTicks);
    }

    /// <summary>Counts an excluded row. Every sum that can overflow is computed before anything is written.</summary>
    private void AddExcluded(ExclusionReason reason, decimal amount)
    {
        var amountRead = AmountReadWith(amount);
        try
        {
            _excludedAmount[(int)reason] = ExactDecimal.Sum(_excludedAmount[(int)reason], amount);
        }
        catch (OverflowException ex)
        {
            throw AddingOverflows(amount, $"the money of the rows excluded as {reason}", ex);
        }

        _excludedRows[(int)reason]++;
        _amountRead = amountRead;
        _rowsRead++;
    }

    /// <summary>
    /// Adds a row that counts, for a customer's index and an order's key (or <see cref="NoOrder"/>); <paramref name="amountRead"/> is
    /// <see cref="AmountReadWith"/>, taken before the customer was looked up, so that an overflow leaves the state as it was.
    /// </summary>
    private void AddIncluded(int index, long orderKey, long ticks, decimal amount, decimal amountRead)
    {
        try
        {
            // AddRun works out every sum before it writes, so an overflow there leaves the state as it was.
            AddRun(index, orderKey, ticks, lines: 1, amount);
        }
        catch (OverflowException ex) when (ex is not OrderMoneyOverflowException)
        {
            throw MoneyOverflow(_ids[index], amount, ex);
        }

        _amountRead = amountRead;
        _rowsRead++;
    }

    /// <summary>
    /// Adds <paramref name="lines"/> rows that count, of one customer, order and date, with their money together; the
    /// caller counts the rows themselves (the byte reader with <see cref="AddTotals"/>). The sums of money are worked out
    /// before anything is written, so an overflow leaves the state as it was.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void AddRun(int index, long orderKey, long ticks, long lines, decimal amount)
    {
        ref var customer = ref _state[index];
        var monetary = ExactDecimal.Sum(customer.Monetary, amount);
        if (_ledger is not null)
        {
            RecordOrder(index, orderKey, ticks, lines, amount);
        }

        customer.Monetary = monetary;

        customer.First = Math.Min(customer.First, ticks);
        customer.Last = Math.Max(customer.Last, ticks);
        customer.Lines += lines;
        if (orderKey == NoOrder)
        {
            customer.RowsWithoutOrder = checked((int)(customer.RowsWithoutOrder + lines));
        }
        else if (orderKey != customer.LastOrder)
        {
            customer.LastOrder = orderKey;
            if (_orders.Add(index, orderKey))
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
            var order = orderKey >= 0 ? orderKey.ToString(System.Globalization.CultureInfo.InvariantCulture) : _orderNameList[(int)(-orderKey - 1)];
            throw new OrderMoneyOverflowException(
                $"Adding {amount} overflows the money of order '{order}' of customer '{_ids[index]}': it exceeds what a decimal holds exactly (an accumulator that keeps orders needs each order's money exact too).",
                ex);
        }

        _ledger.Add(index, orderKey, ticks, lines, orderAmount);
    }

    /// <summary>Counts rows read and excluded in bulk, for the same readers as <see cref="AddRun"/>.</summary>
    internal void AddTotals(long rows, decimal amount, ReadOnlySpan<long> excludedRows, ReadOnlySpan<decimal> excludedAmount)
    {
        _rowsRead += rows;
        _amountRead = ExactDecimal.Sum(_amountRead, amount);
        for (var reason = 0; reason < ReasonSlots; reason++)
        {
            _excludedRows[reason] += excludedRows[reason];
            _excludedAmount[reason] = ExactDecimal.Sum(_excludedAmount[reason], excludedAmount[reason]);
        }
    }

    /// <summary>The total money read with one more row, checked before anything is written.</summary>
    private decimal AmountReadWith(decimal amount)
    {
        try
        {
            return ExactDecimal.Sum(_amountRead, amount);
        }
        catch (OverflowException ex)
        {
            throw AddingOverflows(amount, "the total money of the rows read", ex);
        }
    }

    /// <summary>The key of a non-empty order id: the number itself for a canonical decimal number that fits, else a negative serial number.</summary>
    internal long OrderKey(ReadOnlySpan<char> orderId)
    {
        if (TryCanonicalNumber(orderId, out var number))
        {
            return number;
        }

        ref var serial = ref CollectionsMarshal.GetValueRefOrAddDefault(_orderByChars, orderId, out var exists);
        if (!exists)
        {
            serial = _orderNameList.Count;
            _orderNameList.Add(orderId.ToString());
        }

        return -serial - 1;
    }

    /// <summary>The index of a customer (added, with its first purchase at <paramref name="ticks"/>, when new).</summary>
    internal int CustomerIndex(ReadOnlySpan<char> customerId, long ticks)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_customerByChars, customerId, out var exists);
        return exists ? slot : slot = NewCustomer(customerId.ToString(), ticks);
    }

    /// <summary>
    /// Whether an id (characters or UTF-8 bytes) is a number that stands for it exactly: digits only, no leading zero
    /// (so that "007" and "7" stay two ids), at most 18 of them. Such ids are kept and compared as numbers.
    /// </summary>
    internal static bool TryCanonicalNumber<T>(ReadOnlySpan<T> id, out long number)
        where T : unmanaged, IBinaryInteger<T>
    {
        number = 0;
        if (id.IsEmpty || id.Length > 18 || (id.Length > 1 && id[0] == T.CreateTruncating('0')))
        {
            return false;
        }

        foreach (var c in id)
        {
            var digit = unchecked(uint.CreateTruncating(c) - '0');
            if (digit > 9)
            {
                return false;
            }

            number = (number * 10) + digit;
        }

        return true;
    }

    private static decimal MoneyOfDropped(decimal total, decimal customer)
    {
        try
        {
            return ExactDecimal.Sum(total, customer);
        }
        catch (OverflowException ex)
        {
            throw new OverflowException("The money of the customers dropped for a non-positive total exceeds what a decimal holds exactly.", ex);
        }
    }

    private static OverflowException MoneyOverflow(string customerId, decimal amount, OverflowException inner) =>
        AddingOverflows(amount, $"the money of customer '{customerId}'", inner);

    private static OverflowException AddingOverflows(decimal amount, string total, OverflowException inner) =>
        new($"Adding {amount} overflows {total}: it exceeds what a decimal holds exactly (its range, or 28 to 29 significant digits).", inner);

    // The latest purchase used: every customer's last, which the state holds anyway.
    private long Latest()
    {
        var latest = long.MinValue;
        foreach (ref readonly var customer in _state.AsSpan(0, _count))
        {
            latest = Math.Max(latest, customer.Last);
        }

        return latest;
    }

    private static int WholeDays(long ticks) => checked((int)(ticks / TimeSpan.TicksPerDay));

    private int CustomerIndex(string customerId, long ticks)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_customerIndex, customerId, out var exists);
        return exists ? slot : slot = NewCustomer(customerId, ticks);
    }

    private int NewCustomer(string customerId, long ticks)
    {
        if (_count == _ids.Length)
        {
            Grow();
        }

        _ids[_count] = customerId;
        _state[_count].First = ticks;
        _state[_count].Last = ticks;
        _state[_count].LastOrder = NoOrder;
        return _count++;
    }

    private void Grow()
    {
        var capacity = _ids.Length * 2;
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _state, capacity);
    }

    /// <summary>What the accumulator knows of one customer.</summary>
    private struct CustomerState
    {
        public decimal Monetary;
        public long First;
        public long Last;
        public long Lines;

        // The order key of the customer's previous row: consecutive lines of one order skip the pair set.
        public long LastOrder;
        public int DistinctOrders;
        public int RowsWithoutOrder;
    }
}
