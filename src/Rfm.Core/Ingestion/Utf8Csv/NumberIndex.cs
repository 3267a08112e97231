using System.Runtime.CompilerServices;

namespace Rfm;

/// <summary>
/// A map from non-negative numbers to indexes, one probe into one array: the reader's shortcut from a numeric
/// customer id to the accumulator's index, which a string dictionary reaches only after several cache misses.
/// </summary>
internal sealed class NumberIndex
{
    private Entry[] _entries = new Entry[1024];
    private int _count;

    /// <summary>The index stored for <paramref name="number"/>, or a reference to fill in when <paramref name="exists"/> is false.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ref int GetOrAdd(long number, out bool exists)
    {
        // Callers pass canonical numbers (TryCanonicalNumber), never negative: number + 1 marks a used slot.
        if (_count >= _entries.Length >> 1)
        {
            Grow();
        }

        ref var entry = ref Find(_entries, number + 1);
        exists = entry.Key != 0;
        if (!exists)
        {
            entry.Key = number + 1;
            _count++;
        }

        return ref entry.Value;
    }

    // The entry holding key (number + 1), or the empty one where it belongs.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ref Entry Find(Entry[] entries, long key)
    {
        var mask = entries.Length - 1;
        var slot = unchecked((int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> 33)) & mask;
        while (entries[slot].Key != key && entries[slot].Key != 0)
        {
            slot = (slot + 1) & mask;
        }

        return ref entries[slot];
    }

    private void Grow()
    {
        var larger = new Entry[_entries.Length * 2];
        foreach (var entry in _entries)
        {
            if (entry.Key != 0)
            {
                Find(larger, entry.Key) = entry;
            }
        }

        _entries = larger;
    }

    private struct Entry
    {
        public long Key;
        public int Value;
    }
}
