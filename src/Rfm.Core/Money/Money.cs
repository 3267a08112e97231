using System.Globalization;

namespace Rfm;

/// <summary>
/// Exact money: sums that never round, and the conversion to the binary floating point that scoring compares. For
/// packages that add up or score money of their own (a database's sums, say) exactly as this library does.
/// </summary>
public static class Money
{
    private const ulong ExactDoubleLimit = 1UL << 53;

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>The exact sum of two amounts, never rounded.</summary>
    /// <param name="left">An amount.</param>
    /// <param name="right">Another.</param>
    /// <returns><paramref name="left"/> + <paramref name="right"/>.</returns>
    /// <exception cref="OverflowException">The exact sum does not fit a decimal: out of range, or too many digits.</exception>
    public static decimal Add(decimal left, decimal right) => ExactDecimal.Sum(left, right);

    /// <summary>
    /// The double nearest to <paramref name="value"/>. The built-in cast is not correctly rounded beyond about
    /// 16 significant digits, so equal amounts written with different scales (1234.5678901234567800 and
    /// 1234.56789012345678) could become different doubles and get different scores.
    /// </summary>
    /// <param name="value">The amount.</param>
    /// <returns>The nearest double.</returns>
    public static double ToDouble(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        if (bits[2] == 0 && scale < PowersOfTen.Length)
        {
            var mantissa = unchecked(((ulong)(uint)bits[1] << 32) | (uint)bits[0]);
            if (mantissa < ExactDoubleLimit)
            {
                // Both operands are exact, so the one division rounds correctly.
                var magnitude = mantissa / PowersOfTen[scale];
                return value < 0 ? -magnitude : magnitude;
            }
        }

        return double.Parse(value.ToString(CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
