using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Rfm.Tests.Calculation;

public sealed class MoneyTests
{
    [Property(MaxTest = 2000)]
    public Property ToDouble_IsCorrectlyRounded() =>
        Prop.ForAll(Generators.AnyDecimal.ToArbitrary(), value =>
            Money.ToDouble(value) == double.Parse(value.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));

    [Property(MaxTest = 2000)]
    public Property ToDouble_EqualValuesWithDifferentScales_AreEqual() =>
        Prop.ForAll(Generators.AnyDecimal.ToArbitrary(), value =>
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
