using System.Runtime.CompilerServices;

namespace Rfm;

/// <summary>
/// A sum of money that gives exactly what adding the same values as decimals gives, value and scale, but adds
/// plain amounts as 64-bit integers of 10^-scale units: a decimal addition costs more than the parsing of the row.
/// </summary>
/// <remarks>
/// Exact decimal addition is order-free: the value is the true sum and the scale the largest of the operands'. A zero
/// amount is a scale-0 zero, as the parsers build it, so it changes nothing. What does not fit 64 bits goes to a decimal.
/// </remarks>
internal struct ExactSum
{
    private static readonly long[] PowersOfTen = [.. Enumerable.Range(0, 19).Select(p => (long)Math.Pow(10, p))];

    private long _units;
    private int _scale;
    private decimal _spill;

    /// <summary>The sum, as a decimal.</summary>
    public readonly decimal Value => ExactDecimal.Sum(_spill, Units(_units, _scale));

    /// <summary>Adds a value given as mantissa, scale and sign, as <see cref="ExactDecimal.FromParts"/> would build it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ulong mantissa, int scale, bool negative)
    {
        if (mantissa == 0)
        {
            return;
        }

        if (mantissa > long.MaxValue)
        {
            _spill = ExactDecimal.Sum(_spill, ExactDecimal.FromParts(mantissa, scale, negative));
            return;
        }

        var units = negative ? -(long)mantissa : (long)mantissa;
        if (scale > _scale)
        {
            if (!TryScaleUp(_units, scale - _scale, out var rescaled))
            {
                Spill();
                rescaled = 0;
            }

            _units = rescaled;
            _scale = scale;
        }
        else if (scale < _scale && !TryScaleUp(units, _scale - scale, out units))
        {
            _spill = ExactDecimal.Sum(_spill, ExactDecimal.FromParts(mantissa, scale, negative));
            return;
        }

        var sum = unchecked(_units + units);
        if (((_units ^ sum) & (units ^ sum)) < 0)
        {
            // The 64-bit sum overflowed: keep what there was as a decimal and start again from this value.
            Spill();
            sum = units;
        }

        _units = sum;
    }

    /// <summary>Adds any decimal.</summary>
    public void Add(decimal value) => _spill = ExactDecimal.Sum(_spill, value);

    /// <summary>Back to zero.</summary>
    public void Clear() => this = default;

    private static bool TryScaleUp(long units, int digits, out long scaled)
    {
        scaled = 0;
        if (digits >= PowersOfTen.Length)
        {
            return units == 0;
        }

        var high = Math.BigMul(units, PowersOfTen[digits], out scaled);
        return high == (scaled >> 63);
    }

    private static decimal Units(long units, int scale)
    {
        var magnitude = units < 0 ? unchecked((ulong)-units) : (ulong)units;
        return new decimal(unchecked((int)magnitude), unchecked((int)(magnitude >> 32)), 0, units < 0, (byte)scale);
    }

    private void Spill()
    {
        _spill = ExactDecimal.Sum(_spill, Units(_units, _scale));
        _units = 0;
    }
}
