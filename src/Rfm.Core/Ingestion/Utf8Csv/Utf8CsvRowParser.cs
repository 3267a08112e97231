using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Unicode;

namespace Rfm;

/// <summary>
/// Reads CSV rows straight from UTF-8 bytes into an accumulator, giving exactly what <see cref="DataReaderIngestion"/>
/// gives for the same file read through a CSV data reader. It handles the common file fast and gives up, with
/// <see cref="UnsupportedCsvException"/>, on anything it would have to guess about (a ragged row, a stray quote, a
/// value the general parsers would reject); the caller then reads the file the general way, which explains the
/// problem in its own words.
/// </summary>
/// <remarks>
/// Fields are found 64 bytes at a time from a bit mask of delimiters, quotes and line ends. The customer, order and date
/// are compared byte for byte with the last ones seen: the date is parsed, the order checked against the cancellation
/// rule and the customer looked up only when they change (the customer at the first row of it that counts).
/// Consecutive rows of one customer, order and date (the lines of an order) form a run, which reaches the accumulator
/// as one entry. Money is summed in 64-bit units of its scale. Nothing is allocated per row.
/// </remarks>
internal sealed class Utf8CsvRowParser
{
    private const byte Quote = (byte)'"';
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';
    private const int BlockBytes = 64;

    private const int CustomerSlot = 0, OrderSlot = 1, DateSlot = 2, AmountSlot = 3, QuantitySlot = 4, PriceSlot = 5, SlotCount = 6;

    // The layout: the delimiter, the fields per row, and which field fills which slot (-1 for none).
    private readonly byte _delimiter;
    private readonly int _fieldCount;
    private readonly int[] _slotOf;
    private readonly bool _hasOrder;
    private readonly bool _hasAmount;
    private readonly string? _dateFormat;

    // Fields below 64 that a row's columns need, as bits; beyond 64, _slotOf says.
    private readonly ulong _wanted;

    // Set when the header is read: every field's text goes here, and reading stops after one row.
    private readonly List<string>? _header;

    private readonly RfmAccumulator _target;
    private readonly TransactionPolicy _policy;
    private readonly long _asOfTicks;

    // Where each wanted field of the current row is; a quoted field with doubled quotes is copied out unescaped.
    private readonly int[] _start = new int[SlotCount];
    private readonly int[] _end = new int[SlotCount];
    private readonly bool[] _escaped = new bool[SlotCount];
    private readonly byte[][] _unescaped = new byte[SlotCount][];
    private int _firstFieldLength;

    // Where the content of the current field is when it was quoted (else -1), and whether it has doubled quotes.
    private int _quotedStart = -1;
    private int _quotedEnd;
    private bool _quotedEscaped;

    // Non-zero when a byte of the data read was not ASCII: only then is the UTF-8 checked, which saves a pass.
    private uint _highBits;

    // The last customer, order and date seen and what was made of them: the customer's index (-1 until looked up),
    // whether the order is one and a cancellation and its key (null until needed), the date's ticks.
    private readonly RecentBytes _recentCustomer = new();
    private int _recentCustomerIndex = -1;
    private readonly RecentBytes _recentOrder = new();
    private bool _recentHasOrder;
    private bool _recentOrderCancelled;
    private long? _recentOrderKey;
    private readonly RecentBytes _recentDate = new();
    private long _recentTicks;

    // Customer ids that are canonical numbers (most are), by value.
    private readonly NumberIndex _numericCustomers = new();

    private char[] _chars = new char[256];

    // Consecutive rows of one customer, order and date (the lines of an order), added to the accumulator as one.
    private readonly Run _run = new();

    // Since the last flush: rows read, rows excluded and their money by reason, and the money of the runs handed over.
    private readonly long[] _excludedRows = new long[RfmAccumulator.ReasonSlots];
    private readonly ExactSum[] _excludedAmount = new ExactSum[RfmAccumulator.ReasonSlots];
    private long _rows;
    private decimal _amountUsed;

    /// <summary>Creates a parser for rows of <paramref name="fieldCount"/> fields.</summary>
    public Utf8CsvRowParser(byte delimiter, int fieldCount, Utf8CsvColumns columns, string? dateFormat, RfmAccumulator target)
        : this(delimiter, fieldCount, columns, dateFormat, target, header: null)
    {
    }

    private Utf8CsvRowParser(byte delimiter, int fieldCount, Utf8CsvColumns columns, string? dateFormat, RfmAccumulator target, List<string>? header)
    {
        _delimiter = delimiter;
        _fieldCount = fieldCount;
        _slotOf = new int[fieldCount];
        Array.Fill(_slotOf, -1);
        _slotOf[columns.Customer] = CustomerSlot;
        _hasOrder = columns.Order >= 0;
        _hasAmount = columns.Amount >= 0;
        Assign(columns.Order, OrderSlot);
        Assign(columns.Timestamp, DateSlot);
        Assign(columns.Amount, AmountSlot);
        Assign(columns.Quantity, QuantitySlot);
        Assign(columns.UnitPrice, PriceSlot);
        for (var field = 0; field < Math.Min(fieldCount, 64); field++)
        {
            _wanted |= _slotOf[field] >= 0 ? 1UL << field : 0;
        }

        _header = header;
        if (header is not null)
        {
            _wanted = ulong.MaxValue;
        }

        _dateFormat = dateFormat;
        _target = target;
        _policy = target.Policy;
        _asOfTicks = target.AsOf.Ticks;
        for (var i = 0; i < SlotCount; i++)
        {
            _unescaped[i] = [];
        }
    }

    /// <summary>The accumulator the rows go into.</summary>
    public RfmAccumulator Target => _target;

    /// <summary>
    /// Reads the complete rows of <paramref name="data"/> that start before <paramref name="limit"/>.
    /// </summary>
    /// <param name="data">Bytes starting at a row boundary.</param>
    /// <param name="final">Whether the data ends the input (the last row may then lack its line end).</param>
    /// <param name="limit">No row starting at or after this offset is read.</param>
    /// <param name="stopped">Set when a row at or after <paramref name="limit"/> was reached.</param>
    /// <returns>The bytes consumed, up to a row boundary.</returns>
    /// <exception cref="UnsupportedCsvException">The data needs the general reader.</exception>
    /// <remarks>
    /// Each 64 bytes become one bit mask of delimiters, quotes and line ends (a few vector instructions), and the loop
    /// walks its set bits: a field costs a handful of instructions, whatever its length.
    /// </remarks>
    // Optimised from the first call: the tiers would take a good part of a run to get here.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Parse(ReadOnlySpan<byte> data, bool final, int limit, out bool stopped)
    {
        _highBits = 0;
        var consumed = ParseRows(data, final, limit, out stopped);
        if (_highBits != 0 && !Utf8.IsValid(data[..consumed]))
        {
            // The rows read are discarded with the accumulator, as on any other problem.
            Unsupported("the text is not valid UTF-8");
        }

        return consumed;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ParseRows(ReadOnlySpan<byte> data, bool final, int limit, out bool stopped)
    {
        // A call starts at a row boundary: a quoted value found by a previous call that stopped inside its row is gone.
        _quotedStart = -1;
        stopped = limit <= 0;
        int rowStart = 0, fieldStart = 0, field = 0, blockStart = 0;
        var mask = stopped ? 0 : BlockMask(data, 0);
        while (!stopped)
        {
            while (mask == 0)
            {
                blockStart += BlockBytes;
                if (blockStart >= data.Length)
                {
                    // No line end follows: the row is unfinished, or the last one of the input.
                    if (final && rowStart < data.Length)
                    {
                        EndField(data, field, fieldStart, data.Length);
                        EndRow(data, field + 1);
                        rowStart = data.Length;
                    }

                    Flush();
                    return rowStart;
                }

                mask = BlockMask(data, blockStart);
            }

            var at = blockStart + BitOperations.TrailingZeroCount(mask);
            mask &= mask - 1;
            var c = data[at];
            if (c == _delimiter)
            {
                EndField(data, field, fieldStart, at);
                field++;
                fieldStart = at + 1;
                continue;
            }

            var next = at + 1;
            if (c == Quote)
            {
                if (at != fieldStart)
                {
                    Unsupported("a quote inside an unquoted value");
                }

                if (!TryCloseQuote(data, at, final, out next))
                {
                    break;
                }

                // Start again after the closing quote: the delimiters inside the value are not delimiters.
                blockStart = next;
                mask = next < data.Length ? BlockMask(data, next) : 0;
                continue;
            }

            if (c == Cr)
            {
                if (next == data.Length && !final)
                {
                    break;
                }

                if (next == data.Length || data[next] != Lf)
                {
                    Unsupported("a carriage return without a line feed");
                }

                next++;
                blockStart = next;
                mask = next < data.Length ? BlockMask(data, next) : 0;
            }

            // The end of a row: a line feed, or a carriage return and line feed.
            EndField(data, field, fieldStart, at);
            if (_header is not null)
            {
                return next;
            }

            EndRow(data, field + 1);
            field = 0;
            rowStart = fieldStart = next;
            stopped = rowStart >= limit;
        }

        Flush();
        return rowStart;
    }

    /// <summary>The fields of one row (the header), unescaped and decoded; <see langword="null"/> when the data ends first.</summary>
    public static List<string>? ReadHeader(ReadOnlySpan<byte> data, byte delimiter, out int length)
    {
        var parser = new Utf8CsvRowParser(delimiter, 1, new Utf8CsvColumns(0, -1, -1, -1, -1, -1), null, new RfmAccumulator(DateTime.MaxValue), header: []);
        try
        {
            length = parser.Parse(data, final: false, int.MaxValue, out _);
            return length > 0 ? parser._header : null;
        }
        catch (UnsupportedCsvException)
        {
            length = 0;
            return null;
        }
    }

    private void Assign(int ordinal, int slot)
    {
        if (ordinal >= 0)
        {
            _slotOf[ordinal] = slot;
        }
    }

    // Notes where a field the rows need lies, or the header's text.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EndField(ReadOnlySpan<byte> data, int field, int start, int end)
    {
        var escaped = false;
        if (_quotedStart >= 0)
        {
            (start, end, escaped) = (_quotedStart, _quotedEnd, _quotedEscaped);
            _quotedStart = -1;
        }

        if (field == 0)
        {
            _firstFieldLength = end - start;
        }

        if (field < 64 ? ((_wanted >> field) & 1) != 0 : _header is not null || (field < _slotOf.Length && _slotOf[field] >= 0))
        {
            Record(data, field, start, end, escaped);
        }
    }

    private void Record(ReadOnlySpan<byte> data, int field, int start, int end, bool escaped)
    {
        if (_header is not null)
        {
            _header.Add(Encoding.UTF8.GetString(escaped ? Unescape(data[start..end], ref _unescaped[0]) : data[start..end]));
            return;
        }

        var slot = _slotOf[field];
        _start[slot] = start;
        _end[slot] = end;
        _escaped[slot] = escaped;
    }

    // The quoted value opening at quote: where it ends; false when the data ends inside it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryCloseQuote(ReadOnlySpan<byte> data, int quote, bool final, out int next)
    {
        var close = quote + 1;
        var escaped = false;
        while (true)
        {
            var found = data[close..].IndexOf(Quote);
            if (found < 0)
            {
                next = 0;
                return final ? Unsupported("a quoted value is not closed") : false;
            }

            close += found;
            if (close + 1 < data.Length && data[close + 1] == Quote)
            {
                escaped = true;
                close += 2;
                continue;
            }

            if (close + 1 == data.Length && !final)
            {
                next = 0;
                return false;
            }

            break;
        }

        next = close + 1;
        if (next < data.Length && data[next] != _delimiter && data[next] != Lf && data[next] != Cr)
        {
            Unsupported("text follows a closing quote");
        }

        (_quotedStart, _quotedEnd, _quotedEscaped) = (quote + 1, close, escaped);
        _highBits |= Ascii.IsValid(data[(quote + 1)..close]) ? 0u : 1u;
        return true;
    }

    [DoesNotReturn]
    private static bool Unsupported(string reason) => throw new UnsupportedCsvException(reason);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ulong BlockMask(ReadOnlySpan<byte> data, int start)
    {
        if (start + BlockBytes > data.Length)
        {
            ulong tail = 0;
            for (var i = start; i < data.Length; i++)
            {
                var b = data[i];
                _highBits |= (uint)(b >> 7);
                if (b == _delimiter || b == Quote || b == Cr || b == Lf)
                {
                    tail |= 1UL << (i - start);
                }
            }

            return tail;
        }

        ref var origin = ref MemoryMarshal.GetReference(data);
        if (Vector256.IsHardwareAccelerated)
        {
            var first = Vector256.LoadUnsafe(ref origin, (nuint)start);
            var second = Vector256.LoadUnsafe(ref origin, (nuint)start + 32);
            _highBits |= (first | second).ExtractMostSignificantBits();
            return Matches(first) | ((ulong)Matches(second) << 32);
        }

        var mask = 0UL;
        for (var part = 0; part < 4; part++)
        {
            var bytes = Vector128.LoadUnsafe(ref origin, (nuint)(start + (part * 16)));
            _highBits |= bytes.ExtractMostSignificantBits();
            mask |= (ulong)Matches(bytes) << (part * 16);
        }

        return mask;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Matches(Vector256<byte> bytes) =>
        (Vector256.Equals(bytes, Vector256.Create(_delimiter)) | Vector256.Equals(bytes, Vector256.Create(Quote))
            | Vector256.Equals(bytes, Vector256.Create(Cr)) | Vector256.Equals(bytes, Vector256.Create(Lf))).ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Matches(Vector128<byte> bytes) =>
        (Vector128.Equals(bytes, Vector128.Create(_delimiter)) | Vector128.Equals(bytes, Vector128.Create(Quote))
            | Vector128.Equals(bytes, Vector128.Create(Cr)) | Vector128.Equals(bytes, Vector128.Create(Lf))).ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Field(ReadOnlySpan<byte> data, int slot) =>
        _escaped[slot] ? Unescape(data[_start[slot].._end[slot]], ref _unescaped[slot]) : data[_start[slot].._end[slot]];

    // "" inside a quoted value stands for one quote.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ReadOnlySpan<byte> Unescape(ReadOnlySpan<byte> quoted, ref byte[] buffer)
    {
        if (buffer.Length < quoted.Length)
        {
            buffer = new byte[Math.Max(quoted.Length, 64)];
        }

        var length = 0;
        for (var i = 0; i < quoted.Length; i++)
        {
            buffer[length++] = quoted[i];
            if (quoted[i] == Quote)
            {
                i++;
            }
        }

        return buffer.AsSpan(0, length);
    }

    // Optimised from the first call: the tiers would take a good part of a run to get here.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EndRow(ReadOnlySpan<byte> data, int fields)
    {
        if (fields != _fieldCount)
        {
            // A blank line is one empty field, counted as an empty row; any other count would shift the columns.
            if (fields == 1 && _firstFieldLength == 0)
            {
                Exclude(ExclusionReason.EmptyRow, RowMoney.None);
                return;
            }

            throw new UnsupportedCsvException("a row has another number of fields than the header");
        }

        var customer = Field(data, CustomerSlot);
        var order = _hasOrder ? Field(data, OrderSlot) : default;
        var date = Field(data, DateSlot);
        if (IsBlank(customer))
        {
            if (AllOthersBlank(data))
            {
                Exclude(ExclusionReason.EmptyRow, RowMoney.None);
                return;
            }

            // Read like any row, so that a bad date or number is reported even here.
            _ = Ticks(date);
            Exclude(ExclusionReason.MissingCustomer, Money(data));
            return;
        }

        // The run goes on while the customer, the order and the date stay those of the row before.
        var customerChanged = SeeCustomer(customer);
        var orderChanged = _hasOrder && SeeOrder(order);
        var ticks = Ticks(date);
        if (customerChanged || orderChanged || ticks != _run.Ticks)
        {
            FlushRun();
            _run.Ticks = ticks;
            _run.AfterAsOf = ticks > _asOfTicks;
        }

        var amount = Money(data);
        if (_policy.Classify(hasCustomer: true, _recentOrderCancelled, amount.PositiveQuantity, amount.PositivePrice, amount.Positive, _run.AfterAsOf) is { } reason)
        {
            Exclude(reason, amount);
            return;
        }

        if (_run.Lines == 0)
        {
            _run.Index = CustomerIndex(customer, ticks);
            _run.OrderKey = _recentHasOrder ? OrderKey(order) : RfmAccumulator.NoOrder;
        }

        _run.Lines++;
        amount.AddTo(ref _run.Amount);
        _rows++;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RowMoney Money(ReadOnlySpan<byte> data) =>
        _hasAmount ? RowMoney.Of(Field(data, AmountSlot)) : RowMoney.Product(Field(data, QuantitySlot), Field(data, PriceSlot));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Exclude(ExclusionReason reason, RowMoney amount)
    {
        _excludedRows[(int)reason]++;
        amount.AddTo(ref _excludedAmount[(int)reason]);
        _rows++;
    }

    /// <summary>
    /// Hands the rows read so far to the accumulator: the open run as one entry, the counts as totals. Sums of money
    /// are exact in any order, so adding a run's lines together first gives what adding them one by one would.
    /// </summary>
    public void Flush()
    {
        FlushRun();
        // The money read is what the runs used plus what was excluded: exact sums, so no row needs adding twice.
        var amountRead = _amountUsed;
        var excludedAmount = new decimal[_excludedAmount.Length];
        for (var reason = 0; reason < excludedAmount.Length; reason++)
        {
            excludedAmount[reason] = _excludedAmount[reason].Value;
            amountRead = ExactDecimal.Sum(amountRead, excludedAmount[reason]);
        }

        _target.AddTotals(_rows, amountRead, _excludedRows, excludedAmount);
        _rows = 0;
        _amountUsed = 0m;
        Array.Clear(_excludedRows);
        Array.Clear(_excludedAmount);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FlushRun()
    {
        if (_run.Lines > 0)
        {
            var amount = _run.Amount.Value;
            _target.AddRun(_run.Index, _run.OrderKey, _run.Ticks, _run.Lines, amount);
            _amountUsed = ExactDecimal.Sum(_amountUsed, amount);
            _run.Lines = 0;
            _run.Amount.Clear();
        }
    }

    private bool AllOthersBlank(ReadOnlySpan<byte> data)
    {
        for (var slot = OrderSlot; slot < SlotCount; slot++)
        {
            if (_slotOf.AsSpan().Contains(slot) && !IsBlank(Field(data, slot)))
            {
                return false;
            }
        }

        return true;
    }

    // string.IsNullOrWhiteSpace of the decoded text; a visible ASCII first byte settles it at once.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsBlank(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return true;
        }

        if (value[0] is > 0x20 and < 0x7F)
        {
            return false;
        }

        return RowContract.IsBlankId(Decode(value));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long Ticks(ReadOnlySpan<byte> text)
    {
        if (!_recentDate.Update(text))
        {
            return _recentTicks;
        }

        long ticks;
        if (_dateFormat is null && IsoDate.TryParse(text, out var parsed))
        {
            ticks = parsed;
        }
        else if (!IsBlank(text) && RowContract.TryParseTimestamp(Decode(text), _dateFormat, out var date))
        {
            ticks = date.Ticks;
        }
        else
        {
            throw new UnsupportedCsvException("a date cannot be read");
        }

        return _recentTicks = ticks;
    }

    private static decimal Number(ReadOnlySpan<byte> text) =>
        ExactDecimal.TryParseUtf8(text, out var value) ? value : throw new UnsupportedCsvException("a number cannot be read");

    /// <summary>A row's money as the general reader computes it, kept as mantissa and scale when plain.</summary>
    private readonly record struct RowMoney(bool Plain, ulong Mantissa, int Scale, bool Negative, decimal Value, bool PositiveQuantity, bool PositivePrice)
    {
        /// <summary>An empty row's money: zero.</summary>
        public static RowMoney None { get; } = new(Plain: true, 0, 0, false, default, PositiveQuantity: true, PositivePrice: true);

        public bool Positive => Plain ? Mantissa != 0 && !Negative : Value > 0m;

        public static RowMoney Of(ReadOnlySpan<byte> text) =>
            ExactDecimal.TryParsePlain(text, out var mantissa, out var scale, out var negative)
                ? new(Plain: true, mantissa, scale, negative, default, PositiveQuantity: true, PositivePrice: true)
                : new(Plain: false, 0, 0, false, Number(text), PositiveQuantity: true, PositivePrice: true);

        // Quantity times price, exactly; plain values multiply in 64 bits without building their decimals.
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
    }

    // Whether the customer differs from the last one seen; a new one is looked up only when a row of it counts.
    private bool SeeCustomer(ReadOnlySpan<byte> customer)
    {
        if (!_recentCustomer.Update(customer))
        {
            return false;
        }

        _recentCustomerIndex = -1;
        return true;
    }

    // Whether the order differs from the last one seen; a new one is checked against the cancellation rule at once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool SeeOrder(ReadOnlySpan<byte> order)
    {
        if (!_recentOrder.Update(order))
        {
            return false;
        }

        _recentHasOrder = !IsBlank(order);
        _recentOrderCancelled = _recentHasOrder && _policy.Cancellations.IsCancellation(Decode(order));
        _recentOrderKey = null;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long OrderKey(ReadOnlySpan<byte> order) =>
        _recentOrderKey ??= RfmAccumulator.TryCanonicalNumber(order, out var number) ? number : _target.OrderKey(Decode(order));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int CustomerIndex(ReadOnlySpan<byte> customer, long ticks)
    {
        if (_recentCustomerIndex >= 0)
        {
            return _recentCustomerIndex;
        }

        if (RfmAccumulator.TryCanonicalNumber(customer, out var number))
        {
            ref var index = ref _numericCustomers.GetOrAdd(number, out var exists);
            if (!exists)
            {
                index = _target.CustomerIndex(Decode(customer), ticks);
            }

            return _recentCustomerIndex = index;
        }

        return _recentCustomerIndex = _target.CustomerIndex(Decode(customer), ticks);
    }

    private ReadOnlySpan<char> Decode(ReadOnlySpan<byte> value)
    {
        if (_chars.Length < value.Length)
        {
            _chars = new char[value.Length];
        }

        return _chars.AsSpan(0, Encoding.UTF8.GetChars(value, _chars));
    }

    /// <summary>The open run: its date, its customer and order as the accumulator knows them, and the lines added so far.</summary>
    private sealed class Run
    {
        public long Ticks { get; set; } = long.MinValue;

        public bool AfterAsOf { get; set; }

        public int Index { get; set; }

        public long OrderKey { get; set; }

        public long Lines { get; set; }

        // A field, so that it can be added to in place.
        public ExactSum Amount;
    }

    /// <summary>A copy of the last value seen, to compare the next one against.</summary>
    private sealed class RecentBytes
    {
        private byte[] _bytes = new byte[64];
        private int _length = -1;

        /// <summary>Whether <paramref name="value"/> differs from the last value; if so, it becomes the last value.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Update(ReadOnlySpan<byte> value)
        {
            if (value.Length == _length && value.SequenceEqual(_bytes.AsSpan(0, value.Length)))
            {
                return false;
            }

            if (_bytes.Length < value.Length)
            {
                _bytes = new byte[value.Length];
            }

            value.CopyTo(_bytes);
            _length = value.Length;
            return true;
        }
    }
}
