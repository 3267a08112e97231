using System.Runtime.CompilerServices;

namespace Rfm;

/// <summary>A row's money as the general reader computes it, kept as mantissa and scale when plain.</summary>
internal readonly record struct RowMoney(bool Plain, ulong Mantissa, int Scale, bool Negative, decimal Value, bool PositiveQuantity, bool PositivePrice)
{
    /// <summary>An empty row's money: zero.</summary>
    public static RowMoney None { get; } = new(Plain: true, 0, 0, false, default, PositiveQuantity: true, PositivePrice: true);

    /// <summary>Whether the money is above zero.</summary>
    public bool Positive => Plain ? Mantissa != 0 && !Negative : Value > 0m;

    /// <summary>An amount read from its text.</summary>
    /// <exception cref="UnsupportedCsvException">The text is not a number the general reader accepts.</exception>
    public static RowMoney Of(ReadOnlySpan<byte> text) =>
        ExactDecimal.TryParsePlain(text, out var mantissa, out var scale, out var negative)
            ? new(Plain: true, mantissa, scale, negative, default, PositiveQuantity: true, PositivePrice: true)
            : new(Plain: false, 0, 0, false, Number(text), PositiveQuantity: true, PositivePrice: true);

    /// <summary>Quantity times price, exactly; plain values multiply in 64 bits without building their decimals.</summary>
    /// <exception cref="UnsupportedCsvException">A text is not a number the general reader accepts, or the product does not fit a decimal.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RowMoney Product(ReadOnlySpan<byte> quantityText, ReadOnlySpan<byte> priceText)
    {
        var plainQuantity = ExactDecimal.TryParsePlain(quantityText, out var quantity, out var quantityScale, out var quantityNegative);
        var plainPrice = ExactDecimal.TryParsePlain(priceText, out var price, out var priceScale, out var priceNegative);
        if (plainQuantity && plainPrice
            && ExactDecimal.TryMultiplyPlain(quantity, quantityScale, quantityNegative, price, priceScale, priceNegative, out var mantissa, out var scale, out var negative))
        {
            return new(Plain: true, mantissa, scale, negative, default, quantity != 0 && !quantityNegative, price != 0 && !priceNegative);
        }

        // A value read as plain is not read again; only the other forms go through the general parser.
        var units = plainQuantity ? ExactDecimal.FromParts(quantity, quantityScale, quantityNegative) : Number(quantityText);
        var unitPrice = plainPrice ? ExactDecimal.FromParts(price, priceScale, priceNegative) : Number(priceText);
        return ExactDecimal.TryMultiply(units, unitPrice, out var amount)
            ? new(Plain: false, 0, 0, false, amount, units > 0m, unitPrice > 0m)
            : throw new UnsupportedCsvException("an amount does not fit a decimal");
    }

    /// <summary>Adds the money to a sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddTo(ref ExactSum sum)
    {
        if (Plain)
        {
            sum.Add(Mantissa, Scale, Negative);
        }
        else
        {
            sum.Add(Value);
        }
    }

    private static decimal Number(ReadOnlySpan<byte> text) =>
        ExactDecimal.TryParseUtf8(text, out var value) ? value : throw new UnsupportedCsvException("a number cannot be read");
}
