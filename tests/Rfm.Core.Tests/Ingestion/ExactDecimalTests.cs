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

    [Theory]
    [InlineData("5\0")]
    [InlineData("1e5\0")]
    [InlineData("\u00005")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1e 5")]
    [InlineData("1e5x")]
    public void Parse_TextAfterOrAroundANumber_IsNotANumber(string text)
    {
        // .NET's own parsers ignore trailing NULs: "1e5\0" was read as 100000.
        Assert.Equal(ParsedNumber.NotANumber, ExactDecimal.Parse(text, out _));
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("1e99999999999")]
    [InlineData("123456789012345678901234567890")]
    public void Parse_NumberADecimalCannotHold_DoesNotFit(string text)
    {
        Assert.Equal(ParsedNumber.DoesNotFit, ExactDecimal.Parse(text, out _));
    }

    [Fact]
    public void Parse_MillionsOfDigits_IsLinear()
    {
        // Each digit once multiplied a growing integer: two million digits took minutes.
        var many = new string('7', 2_000_000);
        var zeros = new string('0', 2_000_000);

        Assert.Equal(ParsedNumber.DoesNotFit, ExactDecimal.Parse(many, out _));
        Assert.Equal(ParsedNumber.DoesNotFit, ExactDecimal.Parse($"0.{zeros}1", out _));
        Assert.Equal(ParsedNumber.Exact, ExactDecimal.Parse($"{zeros}42.5", out var leading));
        Assert.Equal(42.5m, leading);
        Assert.Equal(ParsedNumber.Exact, ExactDecimal.Parse($"1.{zeros}", out var trailing));
        Assert.Equal("1.0000000000000000000000000000", trailing.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(ParsedNumber.Exact, ExactDecimal.Parse($"25{new string('0', 100)}e-100", out var shifted));
        Assert.Equal("25.000000000000000000000000000", shifted.ToString(CultureInfo.InvariantCulture));
    }

    // Plain numbers decimal.Parse holds exactly: at most 28 significant digits and a scale of at most 28, with any
    // number of leading zeros. A zero is 0 whatever its written scale.
    private static readonly Gen<string> PlainNumbers =
        from sign in Gen.Elements(string.Empty, "-", "+")
        from leadingZeros in Gen.Choose(0, 40)
        from digits in Gen.Choose(1, 28)
        from text in Gen.Elements("0123456789".ToCharArray()).ArrayOf(digits)
        from point in Gen.Choose(0, digits)
        from trailingZeros in Gen.Choose(0, 28 - (digits - point))
        select point == digits && trailingZeros == 0
            ? sign + new string('0', leadingZeros) + new string(text)
            : sign + new string('0', leadingZeros) + new string(text, 0, point) + "." + new string(text, point, digits - point) + new string('0', trailingZeros);

    [Property(MaxTest = 2000)]
    public Property Parse_AgreesWithDecimalParse_InValueAndScale() =>
        Prop.ForAll(PlainNumbers.ToArbitrary(), text =>
        {
            var expected = decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            return ExactDecimal.Parse(text, out var value) == ParsedNumber.Exact
                && value == expected && (value.Scale == expected.Scale || expected == 0m);
        });
}
