using System.Data;
using System.Data.Common;
using System.Globalization;

namespace Rfm;

/// <summary>Turns the rows of any <see cref="IDataReader"/> into accumulator rows, read one by one or asynchronously.</summary>
internal static class DataReaderIngestion
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // ISO 8601 only, unless the caller names a format: "01/02/2024" is never guessed as January or February.
    private const long ReportEvery = 1 << 14;

    /// <summary>Reads every remaining row into one accumulator with <see cref="IDataReader.Read"/>; a mapping with a partition column is refused.</summary>
    public static void Read(IDataReader reader, TransactionColumns columns, RfmAccumulator accumulator, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        RefusePartition(columns);
        var fields = Prepare(reader, columns);
        long row = 0;
        while (reader.Read())
        {
            AddRecord(reader, fields, accumulator, ++row, progress, cancellationToken);
        }

        Finish(row, progress, cancellationToken);
    }

    /// <summary>Reads every remaining row into the accumulator of its partition; the mapping must name a partition column.</summary>
    public static void Read(IDataReader reader, TransactionColumns columns, PartitionedAccumulator partitions, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var (fields, routing) = PreparePartitioned(reader, columns, partitions);
        long row = 0;
        while (reader.Read())
        {
            row++;
            AddRecord(reader, fields, routing.For(reader, row), row, progress, cancellationToken);
        }

        Finish(row, progress, cancellationToken);
    }

    /// <summary>Reads every remaining row with <see cref="DbDataReader.ReadAsync(CancellationToken)"/> into the accumulator of its partition; each row is read as <see cref="Read(IDataReader, TransactionColumns, PartitionedAccumulator, IProgress{long}?, CancellationToken)"/> reads it.</summary>
    public static async Task ReadAsync(DbDataReader reader, TransactionColumns columns, PartitionedAccumulator partitions, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var (fields, routing) = PreparePartitioned(reader, columns, partitions);
        long row = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            row++;
            AddRecord(reader, fields, routing.For(reader, row), row, progress, cancellationToken);
        }

        Finish(row, progress, cancellationToken);
    }

    /// <summary>Refuses a mapping with a partition column for a reader into one accumulator, which would mix the partitions' customers.</summary>
    /// <exception cref="ArgumentException"><paramref name="columns"/> names a partition column.</exception>
    internal static void RefusePartition(TransactionColumns columns)
    {
        if (columns.Partition is { } partition)
        {
            throw new ArgumentException(
                $"The mapping names a partition column ({partition}): one accumulator would mix the partitions' customers; read it with a PartitionedAccumulator or RfmCalculator.CalculateByPartition.",
                nameof(columns));
        }
    }

    /// <summary>Reads every remaining row with <see cref="DbDataReader.ReadAsync(CancellationToken)"/>; each row is read as <see cref="Read(IDataReader, TransactionColumns, RfmAccumulator, IProgress{long}?, CancellationToken)"/> reads it.</summary>
    public static async Task ReadAsync(DbDataReader reader, TransactionColumns columns, RfmAccumulator accumulator, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        RefusePartition(columns);
        var fields = Prepare(reader, columns);
        long row = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            AddRecord(reader, fields, accumulator, ++row, progress, cancellationToken);
        }

        Finish(row, progress, cancellationToken);
    }

    /// <summary>Reports progress and checks for cancellation every so many rows, as every row-by-row reader does.</summary>
    internal static void Tick(long row, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        if (row % ReportEvery == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(row);
        }
    }

    /// <summary>The end of a row-by-row read: a last check for cancellation, and the number of rows read.</summary>
    internal static void Finish(long row, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(row);
    }

    private static Fields Prepare(IDataReader reader, TransactionColumns columns)
    {
        var header = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var (customer, order, timestamp, amount, quantity, unitPrice) = ResolveAll(header, columns);
        return new Fields(customer, order, timestamp, amount, quantity, unitPrice, columns.DateFormat);
    }

    private static (Fields Fields, PartitionRouting Routing) PreparePartitioned(IDataReader reader, TransactionColumns columns, PartitionedAccumulator partitions)
    {
        if (columns.Partition is null)
        {
            throw new ArgumentException("The mapping names no partition column: read it into an RfmAccumulator, or name the partition column.", nameof(columns));
        }

        var fields = Prepare(reader, columns);
        var partition = Resolve(Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray(), columns.Partition.Value);
        return (fields, new PartitionRouting(partitions, partition));
    }

    // The one reading of the reader's current record, whichever loop moved it there.
    private static void AddRecord(IDataReader reader, in Fields fields, RfmAccumulator accumulator, long row, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        Tick(row, progress, cancellationToken);
        var (customer, order, timestamp, amount, quantity, unitPrice, format) = fields;

        // Only a row without a customer can be empty, so the common row reads each field once.
        var customerId = ReadKey(reader, customer, row);
        if (customerId is null && AllEmpty(reader, order, timestamp, amount, quantity, unitPrice))
        {
            accumulator.Add(null, null, default, 0m, ExclusionReason.EmptyRow);
            return;
        }

        var policy = accumulator.Policy;
        var cutoff = accumulator.Cutoff;
        var orderId = order is { } orderField ? ReadKey(reader, orderField, row) : null;
        var date = ReadDate(reader, timestamp, row, format);
        if (amount is { } amountField)
        {
            var money = ReadDecimal(reader, amountField, row);
            accumulator.Add(customerId, orderId, date, money, policy.Classify(customerId, orderId, date, money, cutoff, quantity: 1m, unitPrice: 1m));
        }
        else
        {
            var units = ReadDecimal(reader, quantity!.Value, row);
            var price = ReadDecimal(reader, unitPrice!.Value, row);
            var money = Multiply(units, price, row, quantity.Value, unitPrice.Value);
            accumulator.Add(customerId, orderId, date, money, policy.Classify(customerId, orderId, date, money, cutoff, units, price));
        }
    }

    /// <summary>The fields of a mapping in a header; the mapping is validated first.</summary>
    /// <exception cref="ArgumentException">The mapping is invalid.</exception>
    /// <exception cref="TransactionDataException">A column is missing or ambiguous.</exception>
    internal static (Field Customer, Field? Order, Field Timestamp, Field? Amount, Field? Quantity, Field? UnitPrice) ResolveAll(IReadOnlyList<string?> header, TransactionColumns columns)
    {
        try
        {
            columns.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException(ex.Message, nameof(columns), ex);
        }

        return (
            Resolve(header, columns.Customer),
            columns.Order is { } o ? Resolve(header, o) : null,
            Resolve(header, columns.Timestamp),
            columns.Amount is { } a ? Resolve(header, a) : null,
            columns.Quantity is { } q ? Resolve(header, q) : null,
            columns.UnitPrice is { } p ? Resolve(header, p) : null);
    }

    private static Field Resolve(IReadOnlyList<string?> header, ColumnRef column)
    {
        var count = header.Count;
        if (column.Name is null && column.Ordinal < 0)
        {
            throw new ArgumentException("A column of the mapping is default(ColumnRef), which names no column.", "columns");
        }

        if (column.Name is null)
        {
            if (column.Ordinal >= count)
            {
                throw new TransactionDataException(0, column.ToString(), null, $"there is no such column; the input has {count} columns");
            }

            return new Field(column.Ordinal, NameOf(header, column.Ordinal));
        }

        var ordinal = RowContract.FindColumn(header, column.Name);
        return new Field(ordinal, header[ordinal]!);
    }

    private static string NameOf(IReadOnlyList<string?> header, int ordinal)
    {
        var name = header[ordinal];
        return string.IsNullOrEmpty(name) ? "#" + ordinal.ToString(Invariant) : name;
    }

    private static string? ReadKey(IDataReader reader, Field field, long row)
    {
        var value = ValueOf(reader, field);
        if (value is null)
        {
            return null;
        }

        var text = value switch
        {
            string s => s,
            int i => i.ToString(Invariant),
            long l => l.ToString(Invariant),
            short s => s.ToString(Invariant),
            double d when double.IsFinite(d) => d.ToString("R", Invariant),
            float f when float.IsFinite(f) => f.ToString("R", Invariant),
            decimal m => (m / 1.000000000000000000000000000000000m).ToString(Invariant),
            Guid g => g.ToString(),
            IFormattable f => f.ToString(null, Invariant),
            _ => throw new TransactionDataException(row, field.Name, value.ToString(), "cannot use this value as a key"),
        };
        return RowContract.IdOrNull(text);
    }

    private static DateTime ReadDate(IDataReader reader, Field field, long row, string? format)
    {
        var value = ValueOf(reader, field) ?? throw new TransactionDataException(row, field.Name, null, "the date is missing");
        switch (value)
        {
            case DateTime dateTime:
                return dateTime;
            case DateTimeOffset offset:
                return offset.UtcDateTime;
            case DateOnly date:
                return date.ToDateTime(TimeOnly.MinValue);
            case string text:
                if (RowContract.TryParseTimestamp(text, format, out var result))
                {
                    return result;
                }

                var expected = format is null ? "an ISO 8601 date such as 2011-12-09 12:50:00 or 2011-12-09T12:50:00.123456+01:00, to the microsecond at most (or name the format)" : $"a date in the format '{format}'";
                throw new TransactionDataException(row, field.Name, text, $"cannot read a date; expected {expected}");
            default:
                var kind = value is double or float or decimal or int or long ? "a number, not a date (a spreadsheet date needs a date format)" : $"a {value.GetType().Name}, not a date";
                throw new TransactionDataException(row, field.Name, Convert.ToString(value, Invariant), $"the value is {kind}");
        }
    }

    private static decimal ReadDecimal(IDataReader reader, Field field, long row)
    {
        var value = ValueOf(reader, field) ?? throw new TransactionDataException(row, field.Name, null, "the number is missing");
        switch (value)
        {
            case decimal m:
                return m;
            case int i:
                return i;
            case long l:
                return l;
            case short s:
                return s;
            case byte b:
                return b;
            case double d:
                return FromBinary(d.ToString("R", Invariant), double.IsFinite(d), row, field);
            case float f:
                return FromBinary(f.ToString("R", Invariant), float.IsFinite(f), row, field);
            case string text:
                var parsed = ExactDecimal.Parse(text, out var number);
                if (parsed == ParsedNumber.Exact)
                {
                    return number;
                }

                var problem = parsed == ParsedNumber.DoesNotFit
                    ? "the number is outside the range of decimal or has more digits than it holds exactly (28 to 29), and rounding it would change the money"
                    : "cannot read a number; expected digits with an optional sign, '.' decimal point and exponent";
                throw new TransactionDataException(row, field.Name, text, problem);
            default:
                throw new TransactionDataException(row, field.Name, Convert.ToString(value, Invariant), $"cannot read a number from a {value.GetType().Name}");
        }
    }

    private static bool AllEmpty(IDataReader reader, Field? order, Field timestamp, Field? amount, Field? quantity, Field? unitPrice) =>
        (order is not { } o || IsEmpty(reader, o)) && IsEmpty(reader, timestamp) && (amount is not { } a || IsEmpty(reader, a))
        && (quantity is not { } q || IsEmpty(reader, q)) && (unitPrice is not { } p || IsEmpty(reader, p));

    private static bool IsEmpty(IDataReader reader, Field field) =>
        ValueOf(reader, field) is not { } value || (value is string text && string.IsNullOrWhiteSpace(text));

    // Some readers (spreadsheet ones among them) return null for an empty cell instead of DBNull.
    private static object? ValueOf(IDataReader reader, Field field) =>
        reader.IsDBNull(field.Ordinal) ? null : reader.GetValue(field.Ordinal) is { } value and not DBNull ? value : null;

    // A binary floating-point value becomes the decimal of its shortest round-trip text: 2.55 stays 2.55.
    private static decimal FromBinary(string text, bool finite, long row, Field field)
    {
        if (finite && ExactDecimal.TryParse(text, out var value))
        {
            return value;
        }

        throw new TransactionDataException(row, field.Name, text, "the number is not finite or does not fit in a decimal exactly");
    }

    private static decimal Multiply(decimal quantity, decimal unitPrice, long row, Field quantityField, Field priceField)
    {
        if (ExactDecimal.TryMultiply(quantity, unitPrice, out var amount))
        {
            return amount;
        }

        throw new TransactionDataException(
            row,
            $"{quantityField.Name} x {priceField.Name}",
            $"{quantity.ToString(Invariant)} x {unitPrice.ToString(Invariant)}",
            "the amount is outside the range of decimal or has more digits than it holds exactly");
    }

    /// <summary>A column found in the header: where it is and what to call it in a message.</summary>
    internal readonly record struct Field(int Ordinal, string Name);

    /// <summary>Finds the accumulator of each record's partition, for every partitioned loop.</summary>
    private sealed class PartitionRouting(PartitionedAccumulator partitions, Field partition)
    {
        // The lines of one partition usually come together: the last partition's accumulator is kept.
        private string? _recentPartition;
        private RfmAccumulator? _accumulator;

        /// <summary>The accumulator of the partition of the reader's current record, the row-th.</summary>
        public RfmAccumulator For(IDataReader reader, long row)
        {
            var key = ReadKey(reader, partition, row) ?? string.Empty;
            if (_accumulator is null || !string.Equals(key, _recentPartition, StringComparison.Ordinal))
            {
                _recentPartition = key;
                _accumulator = partitions.For(key);
            }

            return _accumulator;
        }
    }

    /// <summary>The mapped columns of one read, found once in the header, and the date format.</summary>
    private readonly record struct Fields(Field Customer, Field? Order, Field Timestamp, Field? Amount, Field? Quantity, Field? UnitPrice, string? DateFormat);
}
