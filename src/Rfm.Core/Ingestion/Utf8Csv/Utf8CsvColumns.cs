namespace Rfm;

/// <summary>The zero-based field of each column the rows need; -1 for a column not used.</summary>
internal readonly record struct Utf8CsvColumns(int Customer, int Order, int Timestamp, int Amount, int Quantity, int UnitPrice)
{
    /// <summary>
    /// The fields of a mapping in a header, found as the general reader finds them; <see langword="null"/> when one field
    /// plays two parts (the customer id is also the order id, say), which the reader's one slot per field cannot hold.
    /// </summary>
    public static Utf8CsvColumns? Resolve(IReadOnlyList<string> header, TransactionColumns columns)
    {
        var (customer, order, timestamp, amount, quantity, unitPrice) = DataReaderIngestion.ResolveAll(header, columns);
        int[] used = [customer.Ordinal, order?.Ordinal ?? -1, timestamp.Ordinal, amount?.Ordinal ?? -1, quantity?.Ordinal ?? -1, unitPrice?.Ordinal ?? -1];
        var mapped = used.Where(ordinal => ordinal >= 0).ToArray();
        return mapped.Distinct().Count() == mapped.Length ? new(used[0], used[1], used[2], used[3], used[4], used[5]) : null;
    }
}
