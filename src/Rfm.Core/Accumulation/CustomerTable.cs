using System.Runtime.InteropServices;

namespace Rfm;

/// <summary>
/// The customers an accumulator has seen, numbered in order of first appearance, each with what its rows add up to.
/// </summary>
/// <remarks>
/// The ids are kept apart from the state a row touches, which sits in one cache line per customer: customers come in
/// random order, and each array touched would cost a cache miss.
/// </remarks>
internal sealed class CustomerTable
{
    private const int InitialCapacity = 256;

    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _indexByChars;
    private string[] _ids = new string[InitialCapacity];
    private CustomerState[] _state = new CustomerState[InitialCapacity];
    private int _count;

    public CustomerTable()
    {
        _indexByChars = _index.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The number of customers.</summary>
    public int Count => _count;

    /// <summary>The state of the customer at <paramref name="index"/>, to read or update in place.</summary>
    public ref CustomerState this[int index] => ref _state[index];

    /// <summary>The id of the customer at <paramref name="index"/>.</summary>
    public string IdAt(int index) => _ids[index];

    /// <summary>The index of a customer (added, with its first purchase at <paramref name="ticks"/>, when new).</summary>
    public int IndexOf(ReadOnlySpan<char> customerId, long ticks)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_indexByChars, customerId, out var exists);
        return exists ? slot : slot = Add(customerId.ToString(), ticks);
    }

    /// <summary>The index of a customer (added, with its first purchase at <paramref name="ticks"/>, when new).</summary>
    public int IndexOf(string customerId, long ticks)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_index, customerId, out var exists);
        return exists ? slot : slot = Add(customerId, ticks);
    }

    /// <summary>The index of a customer already in the table.</summary>
    public bool TryFind(string customerId, out int index) => _index.TryGetValue(customerId, out index);

    /// <summary>The indices of the customers in the ordinal order of their ids.</summary>
    public int[] OrdinalOrder()
    {
        var order = new int[_count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // Sorting the ids with the positions alongside compares strings directly, without a delegate per comparison.
        Array.Sort(_ids[.._count], order, StringComparer.Ordinal);
        return order;
    }

    /// <summary>The latest purchase of any customer: every customer's last, which the state holds anyway.</summary>
    public long Latest()
    {
        var latest = long.MinValue;
        foreach (ref readonly var customer in _state.AsSpan(0, _count))
        {
            latest = Math.Max(latest, customer.Last);
        }

        return latest;
    }

    private int Add(string customerId, long ticks)
    {
        if (_count == _ids.Length)
        {
            var capacity = _ids.Length * 2;
            Array.Resize(ref _ids, capacity);
            Array.Resize(ref _state, capacity);
        }

        _ids[_count] = customerId;
        _state[_count].First = ticks;
        _state[_count].Last = ticks;
        _state[_count].LastOrder = OrderKeys.NoOrder;
        return _count++;
    }
}

/// <summary>What an accumulator knows of one customer.</summary>
internal struct CustomerState
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
