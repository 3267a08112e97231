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

    // 17 digits padded stay below 10^17, which leaves room for the length in the low bits of a positive long.
    private const int MaxKeyDigits = 17;
    private const int LengthBits = 5;

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

    /// <summary>Makes room for <paramref name="count"/> customers at once.</summary>
    public void EnsureCapacity(int count)
    {
        if (count > _ids.Length)
        {
            Array.Resize(ref _ids, count);
            Array.Resize(ref _state, count);
        }

        _index.EnsureCapacity(count);
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

        var keys = NumericOrdinalKeys(_ids.AsSpan(0, _count));
        if (keys is not null)
        {
            // Every id is a canonical number: integers that sort as the digit strings do, compared in one instruction.
            Array.Sort(keys, order);
        }
        else
        {
            // Sorting the ids with the positions alongside compares strings directly, without a delegate per comparison.
            Array.Sort(_ids[.._count], order, StringComparer.Ordinal);
        }

        return order;
    }

    /// <summary>
    /// When every id is a canonical number (ASCII digits, no leading zero unless the id is <c>0</c>, at most
    /// <see cref="MaxKeyDigits"/> digits), one integer per id whose order is exactly the ordinal order of the ids;
    /// otherwise <see langword="null"/>.
    /// </summary>
    /// <remarks>
    /// Ordinal order compares digit strings digit by digit, a prefix first: <c>12 &lt; 120 &lt; 13 &lt; 2</c>. So the key
    /// is the value padded with zeros on the right to the longest id's length (12 and 120 both become 1200 among
    /// 4-digit ids, and 13 becomes 1300, after both), then the length, which puts a prefix before its extensions
    /// (12 before 120). Distinct ids give distinct keys: the padded value and the length give back the digits.
    /// </remarks>
    internal static long[]? NumericOrdinalKeys(ReadOnlySpan<string> ids)
    {
        var longest = 0;
        foreach (var id in ids)
        {
            if (!IsCanonicalNumber(id))
            {
                return null;
            }

            longest = Math.Max(longest, id.Length);
        }

        var keys = new long[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            var id = ids[i];
            var value = 0L;
            foreach (var digit in id)
            {
                value = (value * 10) + (digit - '0');
            }

            for (var pad = id.Length; pad < longest; pad++)
            {
                value *= 10;
            }

            keys[i] = (value << LengthBits) | (long)id.Length;
        }

        return keys;
    }

    private static bool IsCanonicalNumber(string id)
    {
        if (id.Length is 0 or > MaxKeyDigits || (id[0] == '0' && id.Length > 1))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
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
