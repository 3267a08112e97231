using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Rfm.Tests.Ingestion;

public sealed class ExactDecimalTests
{
    [Theory]
    [InlineData("2.55", "2.55")]
    [InlineData(" -0.50 ", "-0.50")]
    [InlineData("+12", "12")]
    [InlineData("1e3", "1000")]
    [InlineData("1.5E+2", "150")]
    [InlineData("2.5e-3", "0.0025")]
    [InlineData("0e-50", "0")]
    [InlineData("1.00000000000000000000000000000000", "1.0000000000000000000000000000")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    public void TryParse_ExactValues_Parse(string text, string expected)
    {
        Assert.True(ExactDecimal.TryParse(text, out var value));
        Assert.Equal(decimal.Parse(expected, NumberStyles.Float, CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("1e-40")] // decimal.Parse gives 0
    [InlineData("0.000000000000000000000000000049")]
    [InlineData("1.00000000000000000000000000001")] // decimal.Parse gives 1
    [InlineData("79228162514264337593543950336")]
    [InlineData("1e29")]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1,5")]
    [InlineData("1.2.3")]
    [InlineData("e5")]
    [InlineData("NaN")]
    public void TryParse_InexactOrMalformed_IsRefused(string text)
    {
        Assert.False(ExactDecimal.TryParse(text, out _));
    }

    [Property(MaxTest = 2000)]
    public Property TryParse_RoundTripsEveryDecimal() =>
        Prop.ForAll(Generators.AnyDecimal.ToArbitrary(), value =>
            ExactDecimal.TryParse(value.ToString(CultureInfo.InvariantCulture), out var parsed) && parsed == value);

    // Operands of at most 7 and 8 digits: their product always fits, so decimal's own multiplication is exact too.
    private static readonly Gen<(decimal Left, decimal Right)> SmallOperands =
        from a in Gen.Choose(-1_000_000, 1_000_000)
        from scaleA in Gen.Choose(0, 6)
        from b in Gen.Choose(-99_999_999, 99_999_999)
        from scaleB in Gen.Choose(0, 8)
        select (new decimal(Math.Abs(a), 0, 0, a < 0, (byte)scaleA), new decimal(Math.Abs(b), 0, 0, b < 0, (byte)scaleB));

    [Property(MaxTest = 2000)]
    public Property TryMultiply_AgreesWithDecimalWhenNothingIsRounded() =>
        Prop.ForAll(SmallOperands.ToArbitrary(), operands =>
            ExactDecimal.TryMultiply(operands.Left, operands.Right, out var product) && product == operands.Left * operands.Right);

    [Fact]
    public void TryMultiply_RoundingProduct_IsRefused()
    {
        var third = 0.3333333333333333333333333333m;

        Assert.False(ExactDecimal.TryMultiply(third, third, out _));
        Assert.False(ExactDecimal.TryMultiply(decimal.MaxValue, 2m, out _));
        Assert.True(ExactDecimal.TryMultiply(decimal.MaxValue, 1m, out var same));
        Assert.Equal(decimal.MaxValue, same);
    }
}
