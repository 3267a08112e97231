using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rfm;

/// <summary>
/// The distinct orders an accumulator has seen: each order id as a number (its key), and the set of distinct (customer,
/// order) pairs that frequency counts.
/// </summary>
/// <remarks>
/// An order id that is a canonical decimal number is its own key, the same in every accumulator; any other id gets a
/// negative serial number in order of appearance, which differs between accumulators and is translated on a merge.
/// </remarks>
internal sealed class OrderKeys
{
    /// <summary>The key of a row without an order id; an order key is otherwise a number.</summary>
    public const long NoOrder = long.MinValue;

    private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _namesByChars;
    private readonly List<string> _nameList = [];
    private readonly OrderPairSet _pairs = new();

    public OrderKeys()
    {
        _namesByChars = _names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The key of a non-empty order id: the number itself for a canonical decimal number that fits, else a negative serial number.</summary>
    public long KeyOf(ReadOnlySpan<char> orderId)
    {
        if (TryCanonicalNumber(orderId, out var number))
        {
            return number;
        }

        ref var serial = ref CollectionsMarshal.GetValueRefOrAddDefault(_namesByChars, orderId, out var exists);
        if (!exists)
        {
            serial = _nameList.Count;
            _nameList.Add(orderId.ToString());
        }

        return -serial - 1;
    }

    /// <summary>The order id a key stands for.</summary>
    public string NameOf(long key) =>
        key >= 0 ? key.ToString(System.Globalization.CultureInfo.InvariantCulture) : _nameList[(int)(-key - 1)];

    /// <summary>How many order ids have a serial number (the ids that are not canonical numbers).</summary>
    public int NameCount => _nameList.Count;

    /// <summary>Calls <paramref name="action"/> with every (customer, order key) pair, in no particular order.</summary>
    public void ForEachPair(Action<int, long> action) => _pairs.ForEach(action);

    /// <summary>How many distinct (customer, order) pairs there are.</summary>
    public int PairCount => _pairs.Count;

    /// <summary>Makes room for <paramref name="count"/> pairs at once.</summary>
    public void EnsurePairCapacity(int count) => _pairs.EnsureCapacity(count);

    /// <summary>Records that a customer has an order; whether the pair is new.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool AddPair(int customer, long key) => _pairs.Add(customer, key);

    /// <summary>
    /// A translation of <paramref name="other"/>'s keys into this instance's, numbering its order ids here when new.
    /// </summary>
    public Func<long, long> Adopt(OrderKeys other)
    {
        var keys = new long[other._nameList.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = KeyOf(other._nameList[i]);
        }

        return key => key < 0 ? keys[-key - 1] : key;
    }

    /// <summary>
    /// A translation of <paramref name="other"/>'s keys into this instance's that adds nothing: an order id not seen
    /// here becomes <see cref="NoOrder"/>.
    /// </summary>
    public Func<long, long> Translate(OrderKeys other)
    {
        var keys = other._nameList.Select(name => _names.TryGetValue(name, out var serial) ? -serial - 1 : NoOrder).ToArray();
        return key => key >= 0 ? key : keys[-key - 1];
    }

    /// <summary>
    /// Adds <paramref name="other"/>'s pairs, with customers translated by <paramref name="customerMap"/> and keys by
    /// <paramref name="key"/>, telling <paramref name="newPair"/> the customer of each pair new here.
    /// </summary>
    public void MergePairs(OrderKeys other, int[] customerMap, Func<long, long> key, Action<int> newPair)
    {
        _pairs.EnsureCapacity(_pairs.Count + other._pairs.Count);
        other._pairs.ForEach((customer, order) =>
        {
            var index = customerMap[customer];
            if (_pairs.Add(index, key(order)))
            {
                newPair(index);
            }
        });
    }

    /// <summary>
    /// Whether an id (characters or UTF-8 bytes) is a number that stands for it exactly: digits only, no leading zero
    /// (so that "007" and "7" stay two ids), at most 18 of them. Such ids are kept and compared as numbers.
    /// </summary>
    public static bool TryCanonicalNumber<T>(ReadOnlySpan<T> id, out long number)
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
}
