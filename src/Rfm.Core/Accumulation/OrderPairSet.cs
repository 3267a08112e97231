using System.Runtime.CompilerServices;

namespace Rfm;

/// <summary>
/// The distinct (customer, order key) pairs seen, which is what frequency counts. A pair nearly always packs into
/// one <see cref="ulong"/> (customer below 2^23, order key within ±2^39), kept in an open-addressing table of 8 bytes
/// a pair; the rare pair that does not is kept in an ordinary set. Memory is what bounds a long log, so this matters
/// more than speed here.
/// </summary>
internal sealed class OrderPairSet
{
    private const int CustomerBits = 23;
    private const int OrderBits = 40;
    private const long OrderLimit = 1L << (OrderBits - 1);
    private const ulong OrderMask = (1UL << OrderBits) - 1;

    // Slots hold packed + 1, so that 0 marks an empty slot.
    private ulong[] _slots = new ulong[1024];
    private int _packedCount;
    private HashSet<(int Customer, long Order)>? _unpacked;

    public int Count => _packedCount + (_unpacked?.Count ?? 0);

    /// <summary>Adds the pair; <see langword="true"/> when it was not there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Add(int customer, long order)
    {
        if ((uint)customer >= 1u << CustomerBits || order is < -OrderLimit or >= OrderLimit)
        {
            return (_unpacked ??= []).Add((customer, order));
        }

        if (_packedCount >= (_slots.Length >> 2) * 3)
        {
            Grow();
        }

        var stored = unchecked(((ulong)customer << OrderBits | ((ulong)order & OrderMask)) + 1);
        if (!Insert(_slots, stored))
        {
            return false;
        }

        _packedCount++;
        return true;
    }

    /// <summary>Calls <paramref name="action"/> with every pair, in no particular order.</summary>
    public void ForEach(Action<int, long> action)
    {
        foreach (var stored in _slots)
        {
            if (stored != 0)
            {
                var packed = stored - 1;
                action((int)(packed >> OrderBits), unchecked((long)(packed << (64 - OrderBits))) >> (64 - OrderBits));
            }
        }

        if (_unpacked is not null)
        {
            foreach (var (customer, order) in _unpacked)
            {
                action(customer, order);
            }
        }
    }

    /// <summary>Makes room for <paramref name="count"/> pairs at once, instead of growing step by step.</summary>
    public void EnsureCapacity(int count)
    {
        while (count >= (_slots.Length >> 2) * 3)
        {
            Grow();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Insert(ulong[] slots, ulong stored)
    {
        var mask = slots.Length - 1;
        var index = unchecked((int)((stored * 0x9E3779B97F4A7C15UL) >> 33)) & mask;
        while (true)
        {
            var slot = slots[index];
            if (slot == 0)
            {
                slots[index] = stored;
                return true;
            }

            if (slot == stored)
            {
                return false;
            }

            index = (index + 1) & mask;
        }
    }

    private void Grow()
    {
        var larger = new ulong[_slots.Length * 2];
        foreach (var stored in _slots)
        {
            if (stored != 0)
            {
                Insert(larger, stored);
            }
        }

        _slots = larger;
    }
}
