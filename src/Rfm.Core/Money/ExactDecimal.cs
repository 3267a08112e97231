using System.Numerics;
using System.Runtime.CompilerServices;

namespace Rfm;

/// <summary>
/// Decimal parsing and multiplication that refuse to round: <see cref="decimal.Parse(string)"/> turns <c>1e-40</c>
/// into 0 and keeps only 28-29 significant digits, and a product can lose digits the same way. Money must not change
/// silently between the file and the sums.
/// </summary>
internal static class ExactDecimal
{
    private const int MaxScale = 28;

    // The most significant digits a decimal's 96-bit mantissa holds.
    private const int MaxSignificantDigits = 29;
    private static readonly BigInteger MaxMantissa = (BigInteger.One << 96) - 1;

    // 18 digits always fit in a long, so the common value needs no BigInteger.
    private const int MaxFastDigits = 18;

    /// <summary>
    /// <c>[sign]digits[.digits]</c> with 1 to 18 digits, as mantissa, scale and sign; <see langword="false"/> for any
    /// other form (which <see cref="TryParseUtf8"/> may still read).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static bool TryParsePlain(ReadOnlySpan<byte> utf8, out ulong mantissa, out int scale, out bool negative)
    {
        mantissa = 0;
        scale = 0;
        negative = false;
        var i = 0;
        if (!utf8.IsEmpty && (utf8[0] == '-' || utf8[0] == '+'))
        {
            negative = utf8[0] == '-';
            i = 1;
        }

        var first = i;
        var point = -1;
        for (; i < utf8.Length; i++)
        {
            var digit = unchecked((uint)(utf8[i] - '0'));
            if (digit <= 9)
            {
                mantissa = unchecked((mantissa * 10) + digit);
            }
            else if (utf8[i] == '.' && point < 0)
            {
                point = i;
            }
            else
            {
                return false;
            }
        }

        var digits = utf8.Length - first - (point < 0 ? 0 : 1);
        scale = point < 0 ? 0 : utf8.Length - point - 1;
        return digits is > 0 and <= MaxFastDigits;
    }

    /// <summary>mantissa / 10^scale with the sign, as the parsers build it: a zero keeps its sign, not its scale.</summary>
    public static decimal FromParts(ulong mantissa, int scale, bool negative) =>
        mantissa == 0 ? (negative ? -0m : 0m) : new decimal(unchecked((int)mantissa), unchecked((int)(mantissa >> 32)), 0, negative, (byte)scale);

    /// <summary>
    /// The product of two plain values as <see cref="TryMultiply"/> gives it for their decimals, when it fits 64 bits;
    /// <see langword="false"/> otherwise (not that it does not fit a decimal).
    /// </summary>
    public static bool TryMultiplyPlain(ulong left, int leftScale, bool leftNegative, ulong right, int rightScale, bool rightNegative, out ulong mantissa, out int scale, out bool negative)
    {
        var high = Math.BigMul(left, right, out mantissa);
        scale = leftScale + rightScale;
        negative = leftNegative != rightNegative;
        return high == 0 && scale <= MaxScale;
    }

    /// <summary><see cref="TryParse(ReadOnlySpan{char}, out decimal)"/> of UTF-8 bytes, for the forms <see cref="TryParsePlain"/> leaves.</summary>
    public static bool TryParseUtf8(ReadOnlySpan<byte> utf8, out decimal value)
    {
        const int MaxStack = 128;
        Span<char> chars = utf8.Length <= MaxStack ? stackalloc char[MaxStack] : new char[utf8.Length];
        if (!System.Text.Unicode.Utf8.ToUtf16(utf8, chars, out _, out var written, replaceInvalidSequences: false).Equals(System.Buffers.OperationStatus.Done))
        {
            value = 0m;
            return false;
        }

        return TryParse(chars[..written], out value);
    }

    /// <summary>
    /// <paramref name="left"/> + <paramref name="right"/>, refusing to round: decimal addition silently drops digits
    /// when the exact sum needs more than 28-29 significant ones (1e10 + 5e-19), which would also make sums depend
    /// on the order of the rows. It then gives a smaller scale than the larger of the operands', which is caught here.
    /// </summary>
    /// <exception cref="OverflowException">The exact sum does not fit a decimal: out of range, or too many digits.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static decimal Sum(decimal left, decimal right)
    {
        var sum = left + right;
        return sum.Scale >= Math.Max(left.Scale, right.Scale) ? sum : throw Rounded(left, right);
    }

    private static OverflowException Rounded(decimal left, decimal right) =>
        new($"{left} + {right} needs more significant digits than a decimal holds (28 to 29), so it would be rounded.");

    /// <summary>The exact product, or <see langword="false"/> when it does not fit in a decimal without rounding.</summary>
    public static bool TryMultiply(decimal left, decimal right, out decimal product)
    {
        // The common case, two mantissas under 2^64, multiplies in 128 bits; the rest goes through BigInteger.
        Span<int> l = stackalloc int[4];
        Span<int> r = stackalloc int[4];
        decimal.GetBits(left, l);
        decimal.GetBits(right, r);
        if (l[2] == 0 && r[2] == 0)
        {
            var wide = unchecked((UInt128)((uint)l[0] | ((ulong)(uint)l[1] << 32)) * ((uint)r[0] | ((ulong)(uint)r[1] << 32)));
            var scale = ((l[3] >> 16) & 0xFF) + ((r[3] >> 16) & 0xFF);
            var negative = (l[3] < 0) != (r[3] < 0);
            if (wide == UInt128.Zero)
            {
                return Zero(negative, out product);
            }

            if (scale <= MaxScale && (wide >> 96) == UInt128.Zero)
            {
                var low = unchecked((ulong)wide);
                product = new decimal(unchecked((int)low), unchecked((int)(low >> 32)), unchecked((int)(ulong)(wide >> 64)), negative, (byte)scale);
                return true;
            }
        }

        var (leftMantissa, leftScale, leftNegative) = Split(left);
        var (rightMantissa, rightScale, rightNegative) = Split(right);
        return TryCreate(leftMantissa * rightMantissa, leftScale + rightScale, leftNegative != rightNegative, out product);
    }

    /// <summary>Parses <c>[sign]digits[.digits][e[sign]digits]</c> (white space around allowed), only when the value fits exactly.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out decimal value) => Parse(text, out value) == ParsedNumber.Exact;

    /// <summary>
    /// Reads <c>[sign]digits[.digits][e[sign]digits]</c> (white space around allowed) in time linear in its length:
    /// whether it is that form at all, and if so whether its value fits a decimal exactly.
    /// </summary>
    public static ParsedNumber Parse(ReadOnlySpan<char> text, out decimal value)
    {
        value = 0m;
        text = text.Trim();
        var negative = false;
        if (!text.IsEmpty && (text[0] == '-' || text[0] == '+'))
        {
            negative = text[0] == '-';
            text = text[1..];
        }

        // The mantissa grows only by significant digits, at most 29 of which fit: a longer number is refused
        // without building it. Zeros after the last non-zero digit wait in 'zeros' until one follows.
        BigInteger mantissa = BigInteger.Zero;
        var digits = 0;
        var significant = 0;
        var zeros = 0;
        var scale = 0;
        var afterPoint = false;
        var i = 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '0' and <= '9')
            {
                digits++;
                scale += afterPoint ? 1 : 0;
                if (c == '0')
                {
                    zeros += significant > 0 ? 1 : 0;
                    continue;
                }

                significant += zeros + 1;
                if (significant <= MaxSignificantDigits)
                {
                    mantissa = (mantissa * (zeros == 0 ? 10 : BigInteger.Pow(10, zeros + 1))) + (c - '0');
                }

                zeros = 0;
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
            return ParsedNumber.NotANumber;
        }

        if (i < text.Length)
        {
            var exponentText = text[(i + 1)..];
            var exponentDigits = exponentText is ['+' or '-', .. var unsigned] ? unsigned : exponentText;
            if ((text[i] != 'e' && text[i] != 'E') || exponentDigits.IsEmpty || exponentDigits.ContainsAnyExceptInRange('0', '9'))
            {
                return ParsedNumber.NotANumber;
            }

            if (!int.TryParse(exponentText, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var exponent)
                || exponent is < -1000 or > 1000)
            {
                return ParsedNumber.DoesNotFit;
            }

            scale -= exponent;
        }

        if (significant > MaxSignificantDigits)
        {
            return ParsedNumber.DoesNotFit;
        }

        // Trailing zeros past what any decimal could keep are taken off the scale instead: the value is the same,
        // and the mantissa stays small.
        var kept = Math.Min(zeros, 2 * MaxSignificantDigits);
        mantissa *= BigInteger.Pow(10, kept);
        scale -= zeros - kept;
        return TryCreate(mantissa, scale, negative, out value) ? ParsedNumber.Exact : ParsedNumber.DoesNotFit;
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

/// <summary>What <see cref="ExactDecimal.Parse"/> made of a text.</summary>
internal enum ParsedNumber
{
    /// <summary>A number, read exactly.</summary>
    Exact,

    /// <summary>Not of the form of a number.</summary>
    NotANumber,

    /// <summary>A number that a decimal cannot hold exactly: out of range, or too many significant digits.</summary>
    DoesNotFit,
}
