namespace Rfm;

/// <summary>The zero-based field of each column the rows need; -1 for a column not used.</summary>
internal readonly record struct Utf8CsvColumns(int Customer, int Order, int Timestamp, int Amount, int Quantity, int UnitPrice)
{
    /// <summary>The fields of a mapping in a header, found as the general reader finds them.</summary>
    public static Utf8CsvColumns Resolve(IReadOnlyList<string> header, TransactionColumns columns)
    {
        var (customer, order, timestamp, amount, quantity, unitPrice) = DataReaderIngestion.ResolveAll(header, columns);
        return new(customer.Ordinal, order?.Ordinal ?? -1, timestamp.Ordinal, amount?.Ordinal ?? -1, quantity?.Ordinal ?? -1, unitPrice?.Ordinal ?? -1);
    }
}
