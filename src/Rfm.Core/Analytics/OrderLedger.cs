using System.Runtime.InteropServices;

namespace Rfm;

/// <summary>
/// Every order an accumulator used, for analyses over time (KPIs per period, cohorts): per order its customer, its time
/// (the earliest of its lines) and its money. Rows without an order id are orders of their own; a run of them with one
/// customer and time is kept as one entry that counts its rows as orders, since only sums per period are ever asked of it.
/// </summary>
internal sealed class OrderLedger
{
    private readonly Dictionary<(int Customer, long Order), int> _entryOf = [];
    private int[] _customer = new int[256];
    private long[] _ticks = new long[256];
    private decimal[] _amount = new decimal[256];
    private int[] _orders = new int[256];

    // The order key of each entry, or NoOrder for rows without one.
    private long[] _key = new long[256];

    public int Count { get; private set; }

    public ReadOnlySpan<int> Customer => _customer.AsSpan(0, Count);

    public ReadOnlySpan<long> Ticks => _ticks.AsSpan(0, Count);

    public ReadOnlySpan<decimal> Amount => _amount.AsSpan(0, Count);

    public ReadOnlySpan<int> Orders => _orders.AsSpan(0, Count);

    /// <summary>
    /// The order's money with <paramref name="amount"/> added, or <paramref name="amount"/> for a new order: worked out
    /// before anything is written, so that an overflow leaves the ledger (and the accumulator) as it was.
    /// </summary>
    public decimal AmountWith(int customer, long orderKey, decimal amount) =>
        orderKey != OrderKeys.NoOrder && _entryOf.TryGetValue((customer, orderKey), out var entry)
            ? ExactDecimal.Sum(_amount[entry], amount)
            : amount;

    /// <summary>Records <paramref name="lines"/> rows of one order (or, without one, that many orders), whose money is already summed by <see cref="AmountWith"/>.</summary>
    public void Add(int customer, long orderKey, long ticks, long lines, decimal newAmount)
    {
        if (orderKey == OrderKeys.NoOrder)
        {
            Append(customer, OrderKeys.NoOrder, ticks, newAmount, checked((int)lines));
            return;
        }

        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_entryOf, (customer, orderKey), out var exists);
        if (!exists)
        {
            entry = Count;
            Append(customer, orderKey, ticks, newAmount, orders: 1);
            return;
        }

        _ticks[entry] = Math.Min(_ticks[entry], ticks);
        _amount[entry] = newAmount;
    }

    /// <summary>Adds another ledger's orders, with its customers and order keys translated into this accumulator's.</summary>
    public void Merge(OrderLedger other, ReadOnlySpan<int> customerMap, Func<long, long> orderKeyMap)
    {
        for (var i = 0; i < other.Count; i++)
        {
            var customer = customerMap[other._customer[i]];
            var key = other._key[i] == OrderKeys.NoOrder ? OrderKeys.NoOrder : orderKeyMap(other._key[i]);
            Add(customer, key, other._ticks[i], other._orders[i], AmountWith(customer, key, other._amount[i]));
        }
    }

    /// <summary>Whether merging <paramref name="other"/> would overflow the money of an order both hold.</summary>
    public void CheckMerge(OrderLedger other, Func<int, int> customerOf, Func<long, long> orderKeyMap)
    {
        foreach (var ((theirCustomer, theirKey), entry) in other._entryOf)
        {
            var customer = customerOf(theirCustomer);
            if (customer >= 0 && _entryOf.TryGetValue((customer, orderKeyMap(theirKey)), out var ours))
            {
                _ = ExactDecimal.Sum(_amount[ours], other._amount[entry]);
            }
        }
    }

    private void Append(int customer, long key, long ticks, decimal amount, int orders)
    {
        if (Count == _customer.Length)
        {
            var capacity = Count * 2;
            Array.Resize(ref _customer, capacity);
            Array.Resize(ref _ticks, capacity);
            Array.Resize(ref _amount, capacity);
            Array.Resize(ref _orders, capacity);
            Array.Resize(ref _key, capacity);
        }

        _customer[Count] = customer;
        _ticks[Count] = ticks;
        _amount[Count] = amount;
        _orders[Count] = orders;
        _key[Count] = key;
        Count++;
    }
}

/// <summary>An order's money that a decimal cannot hold exactly: its message names the order and the customer already.</summary>
internal sealed class OrderMoneyOverflowException(string message, Exception inner) : OverflowException(message, inner);
