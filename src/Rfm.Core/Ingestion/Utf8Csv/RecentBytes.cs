using System.Runtime.CompilerServices;

namespace Rfm;

/// <summary>A copy of the last value seen, to compare the next one against.</summary>
internal sealed class RecentBytes
{
    private byte[] _bytes = new byte[64];
    private int _length = -1;

    /// <summary>Whether <paramref name="value"/> differs from the last value; if so, it becomes the last value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Update(ReadOnlySpan<byte> value)
    {
        if (value.Length == _length && value.SequenceEqual(_bytes.AsSpan(0, value.Length)))
        {
            return false;
        }

        if (_bytes.Length < value.Length)
        {
            _bytes = new byte[value.Length];
        }

        value.CopyTo(_bytes);
        _length = value.Length;
        return true;
    }
}
