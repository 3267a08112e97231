using System.Runtime.CompilerServices;

namespace Rfm;

/// <summary>
/// The three ISO 8601 forms that real exports use, read from bytes: <c>yyyy-MM-dd</c>, <c>yyyy-MM-dd HH:mm</c> and
/// <c>yyyy-MM-dd HH:mm:ss</c> (with a space or a <c>T</c>). Anything else, or an impossible date, is left to
/// <see cref="RowContract.TryParseTimestamp"/>, so the two agree by construction on what they both read.
/// </summary>
internal static class IsoDate
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<byte> text, out long ticks)
    {
        ticks = 0;
        if (text.Length is not (10 or 16 or 19) || text[4] != '-' || text[7] != '-')
        {
            return false;
        }

        int year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2);
        int hour = 0, minute = 0, second = 0;
        if (text.Length > 10)
        {
            if ((text[10] != ' ' && text[10] != 'T') || text[13] != ':')
            {
                return false;
            }

            hour = Digits(text, 11, 2);
            minute = Digits(text, 14, 2);
            if (text.Length == 19)
            {
                if (text[16] != ':')
                {
                    return false;
                }

                second = Digits(text, 17, 2);
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59)
        {
            return false;
        }

        ticks = new DateTime(year, month, day, hour, minute, second).Ticks;
        return true;
    }

    // The value of count digits, or -1 when one is not a digit.
    private static int Digits(ReadOnlySpan<byte> text, int start, int count)
    {
        var value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - '0';
            if (digit is < 0 or > 9)
            {
                return -1;
            }

            value = (value * 10) + digit;
        }

        return value;
    }
}
