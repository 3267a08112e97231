using System.Runtime.CompilerServices;
using System.Text;

namespace Rfm;

/// <summary>
/// Reads the values of UTF-8 fields as the general reader would: blank or not, dates, text. Nothing is allocated per
/// value: the text is decoded into a buffer reused from one value to the next, and a date is parsed only when it
/// differs from the one before.
/// </summary>
/// <param name="dateFormat">The exact format of the dates, or <see langword="null"/> for <see cref="RowContract.TimestampPattern"/>.</param>
internal sealed class Utf8CsvFieldReader(string? dateFormat)
{
    private readonly RecentBytes _recentDate = new();
    private long _recentTicks;
    private char[] _chars = new char[256];

    /// <summary><see cref="RowContract.IsBlankId(ReadOnlySpan{char})"/> of the decoded text; a visible ASCII first byte settles it at once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsBlank(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return true;
        }

        if (value[0] is > 0x20 and < 0x7F)
        {
            return false;
        }

        return RowContract.IsBlankId(Decode(value));
    }

    /// <summary>The ticks of a date, by <see cref="RowContract.TryParseTimestamp"/>.</summary>
    /// <exception cref="UnsupportedCsvException">The text is not a date.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long Ticks(ReadOnlySpan<byte> text)
    {
        if (!_recentDate.Update(text))
        {
            return _recentTicks;
        }

        long ticks;
        if (dateFormat is null && IsoDate.TryParse(text, out var parsed))
        {
            ticks = parsed;
        }
        else if (!IsBlank(text) && RowContract.TryParseTimestamp(Decode(text), dateFormat, out var date))
        {
            ticks = date.Ticks;
        }
        else
        {
            throw new UnsupportedCsvException("a date cannot be read");
        }

        return _recentTicks = ticks;
    }

    /// <summary>The text of a value, valid until the next call.</summary>
    public ReadOnlySpan<char> Decode(ReadOnlySpan<byte> value)
    {
        if (_chars.Length < value.Length)
        {
            _chars = new char[value.Length];
        }

        return _chars.AsSpan(0, Encoding.UTF8.GetChars(value, _chars));
    }
}
