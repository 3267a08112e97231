using System.Numerics;

namespace Rfm;

/// <summary>
/// Decimal parsing and multiplication that refuse to round: <see cref="decimal.Parse(string)"/> turns <c>1e-40</c>
/// into 0 and keeps only 28-29 significant digits, and a product can lose digits the same way. Money must not change
/// silently between the file and the sums.
/// </summary>
internal static class ExactDecimal
{
    private const int MaxScale = 28;
    private static readonly BigInteger MaxMantissa = (BigInteger.One << 96) - 1;

    /// <summary>Parses <c>[sign]digits[.digits][e[sign]digits]</c> (white space around allowed), only when the value fits exactly.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out decimal value)
    {
        value = 0m;
        text = text.Trim();
        var negative = false;
        if (!text.IsEmpty && (text[0] == '-' || text[0] == '+'))
        {
            negative = text[0] == '-';
            text = text[1..];
        }

        BigInteger mantissa = BigInteger.Zero;
        var digits = 0;
        var scale = 0;
        var afterPoint = false;
        var i = 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '0' and <= '9')
            {
                mantissa = (mantissa * 10) + (c - '0');
                digits++;
                if (afterPoint)
                {
                    scale++;
                }
            }
            else if (c == '.' && !afterPoint)
            {
                afterPoint = true;
            }
            else
            {
                break;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < text.Length)
        {
            if ((text[i] != 'e' && text[i] != 'E') || !int.TryParse(text[(i + 1)..], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var exponent)
                || exponent is < -1000 or > 1000)
            {
                return false;
            }

            scale -= exponent;
        }

        return TryCreate(mantissa, scale, negative, out value);
    }

    /// <summary>The exact product, or <see langword="false"/> when it does not fit in a decimal without rounding.</summary>
    public static bool TryMultiply(decimal left, decimal right, out decimal product)
    {
        var (leftMantissa, leftScale, leftNegative) = Split(left);
        var (rightMantissa, rightScale, rightNegative) = Split(right);
        return TryCreate(leftMantissa * rightMantissa, leftScale + rightScale, leftNegative != rightNegative, out product);
    }

    private static (BigInteger Mantissa, int Scale, bool Negative) Split(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var mantissa = unchecked(((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0]);
        return (mantissa, (bits[3] >> 16) & 0xFF, bits[3] < 0);
    }

    // value = mantissa / 10^scale; trailing zeros are dropped only as far as needed to fit.
    private static bool TryCreate(BigInteger mantissa, int scale, bool negative, out decimal value)
    {
        value = 0m;
        if (scale < 0)
        {
            if (-scale > MaxScale + 1)
            {
                return mantissa.IsZero && Zero(negative, out value);
            }

            mantissa *= BigInteger.Pow(10, -scale);
            scale = 0;
        }

        while ((scale > MaxScale || mantissa > MaxMantissa) && scale > 0 && (mantissa % 10).IsZero)
        {
            mantissa /= 10;
            scale--;
        }

        if (mantissa.IsZero)
        {
            return Zero(negative, out value);
        }

        if (scale > MaxScale || mantissa > MaxMantissa)
        {
            return false;
        }

        var low = unchecked((int)(uint)(mantissa & uint.MaxValue));
        var middle = unchecked((int)(uint)((mantissa >> 32) & uint.MaxValue));
        var high = unchecked((int)(uint)(mantissa >> 64));
        value = new decimal(low, middle, high, negative, (byte)scale);
        return true;
    }

    private static bool Zero(bool negative, out decimal value)
    {
        value = negative ? -0m : 0m;
        return true;
    }
}
