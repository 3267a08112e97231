using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Rfm.Tests.Calculation;

public sealed class MoneyTests
{
    // Any decimal: 96-bit mantissa, sign and scale 0..28, so values with up to 29 significant digits occur.
    private static readonly Gen<decimal> AnyDecimal =
        from low in Gen.Choose(int.MinValue, int.MaxValue)
        from middle in Gen.Elements(0, 1, 12345, int.MaxValue, -1)
        from high in Gen.Elements(0, 0, 0, 1, 54321, int.MaxValue, -1)
        from negative in Gen.Elements(false, true)
        from scale in Gen.Choose(0, 28)
        select new decimal(low, middle, high, negative, (byte)scale);

    [Property(MaxTest = 2000)]
    public Property ToDouble_IsCorrectlyRounded() =>
        Prop.ForAll(AnyDecimal.ToArbitrary(), value =>
            Money.ToDouble(value) == double.Parse(value.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));

    [Property(MaxTest = 2000)]
    public Property ToDouble_EqualValuesWithDifferentScales_AreEqual() =>
        Prop.ForAll(AnyDecimal.ToArbitrary(), value =>
        {
            // Multiplying by 1.00000000 adds trailing zeros where they fit; the value stays numerically equal.
            var widened = value * 1.00000000m;
            return widened != value || Money.ToDouble(widened) == Money.ToDouble(value);
        });

    [Fact]
    public void Calculate_EqualMoneyWithDifferentScales_SharesMScore()
    {
        var asOf = new DateTime(2024, 1, 1);
        var result = RfmCalculator.Default.Calculate<Transaction>(
        [
            new("a", "1", asOf, 1m),
            new("b", "2", asOf, 2m),
            new("x", "3", asOf, 1234.56789012345678m),
            new("y", "4", asOf, 1234.5678901234567800m),
            new("z", "5", asOf, 5000m),
        ],
            asOf);

        Assert.True(result.TryGetCustomer("x", out var x));
        Assert.True(result.TryGetCustomer("y", out var y));
        Assert.Equal(x.Score.M, y.Score.M);
    }
}
