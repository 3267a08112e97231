using System.Runtime.CompilerServices;
using static Rfm.Utf8CsvTokenizer;

namespace Rfm;

/// <summary>
/// Reads CSV rows straight from UTF-8 bytes into an accumulator, giving exactly what <see cref="DataReaderIngestion"/>
/// gives for the same file read through a CSV data reader. It handles the common file fast and gives up, with
/// <see cref="UnsupportedCsvException"/>, on anything it would have to guess about (a ragged row, a stray quote, a
/// value the general parsers would reject); the caller then reads the file the general way, which explains the
/// problem in its own words.
/// </summary>
/// <remarks>
/// <para>
/// Three parts make the read: a <see cref="Utf8CsvTokenizer"/> finds the fields, a <see cref="Utf8CsvFieldReader"/>
/// and <see cref="RowMoney"/> read their values, and this class decides what each row is.
/// </para>
/// <para>
/// The customer, order and date are compared byte for byte with the last ones seen: the date is parsed, the order
/// checked against the cancellation rule and the customer looked up only when they change (the customer at the first
/// row of it that counts). Consecutive rows of one customer, order and date (the lines of an order) form a run, which
/// reaches the accumulator as one entry. Money is summed in 64-bit units of its scale. Nothing is allocated per row.
/// </para>
/// </remarks>
internal sealed class Utf8CsvRowParser
{
    private readonly Utf8CsvTokenizer _tokens;
    private readonly Utf8CsvFieldReader _values;
    private readonly int _fieldCount;
    private readonly bool _hasOrder;
    private readonly bool _hasAmount;

    private readonly RfmAccumulator _target;
    private readonly TransactionPolicy _policy;
    private readonly long _cutoffTicks;

    // The last customer and order seen and what was made of them: the customer's index (-1 until looked up), whether
    // the order is one and a cancellation and its key (null until needed).
    private readonly RecentBytes _recentCustomer = new();
    private int _recentCustomerIndex = -1;
    private readonly RecentBytes _recentOrder = new();
    private bool _recentHasOrder;
    private bool _recentOrderCancelled;
    private long? _recentOrderKey;

    // Customer ids that are canonical numbers (most are), by value.
    private readonly NumberIndex _numericCustomers = new();

    // Consecutive rows of one customer, order and date (the lines of an order), added to the accumulator as one.
    private readonly Run _run = new();

    // Since the last flush: rows read, rows excluded and their money by reason, and the money of the runs handed over.
    private readonly long[] _excludedRows = new long[IngestionSummary.ReasonSlots];
    private readonly ExactSum[] _excludedAmount = new ExactSum[IngestionSummary.ReasonSlots];
    private long _rows;
    private decimal _amountUsed;

    /// <summary>Creates a parser for rows of <paramref name="fieldCount"/> fields.</summary>
    public Utf8CsvRowParser(byte delimiter, int fieldCount, Utf8CsvColumns columns, string? dateFormat, RfmAccumulator target)
    {
        _tokens = new Utf8CsvTokenizer(delimiter, fieldCount, columns, this);
        _values = new Utf8CsvFieldReader(dateFormat);
        _fieldCount = fieldCount;
        _hasOrder = columns.Order >= 0;
        _hasAmount = columns.Amount >= 0;
        _target = target;
        _policy = target.Policy;
        _cutoffTicks = target.CutoffTicks;
    }

    /// <summary>The accumulator the rows go into.</summary>
    public RfmAccumulator Target => _target;

    /// <summary>
    /// Reads the complete rows of <paramref name="data"/> that start before <paramref name="limit"/> and hands them to
    /// the accumulator (<see cref="Flush"/>).
    /// </summary>
    /// <param name="data">Bytes starting at a row boundary.</param>
    /// <param name="final">Whether the data ends the input (the last row may then lack its line end).</param>
    /// <param name="limit">No row starting at or after this offset is read.</param>
    /// <param name="stopped">Set when a row at or after <paramref name="limit"/> was reached.</param>
    /// <returns>The bytes consumed, up to a row boundary.</returns>
    /// <exception cref="UnsupportedCsvException">The data needs the general reader.</exception>
    public int Parse(ReadOnlySpan<byte> data, bool final, int limit, out bool stopped)
    {
        var consumed = _tokens.Parse(data, final, limit, out stopped);
        Flush();
        return consumed;
    }

    /// <summary>Decides what the row the tokenizer has just found is: excluded, or a line of the open run.</summary>
    /// <param name="data">The bytes the row's fields lie in.</param>
    /// <param name="fields">The number of fields the row has.</param>
    // Optimised from the first call: the tiers would take a good part of a run to get here.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void EndRow(ReadOnlySpan<byte> data, int fields)
    {
        if (fields != _fieldCount)
        {
            // A blank line is one empty field, counted as an empty row; any other count would shift the columns.
            if (fields == 1 && _tokens.FirstFieldLength == 0)
            {
                Exclude(ExclusionReason.EmptyRow, RowMoney.None);
                return;
            }

            throw new UnsupportedCsvException("a row has another number of fields than the header");
        }

        var customer = _tokens.Field(data, CustomerSlot);
        var order = _hasOrder ? _tokens.Field(data, OrderSlot) : default;
        var date = _tokens.Field(data, DateSlot);
        if (_values.IsBlank(customer))
        {
            if (AllOthersBlank(data))
            {
                Exclude(ExclusionReason.EmptyRow, RowMoney.None);
                return;
            }

            // Read like any row, so that a bad date or number is reported even here.
            _ = _values.Ticks(date);
            Exclude(ExclusionReason.MissingCustomer, Money(data));
            return;
        }

        // The run goes on while the customer, the order and the date stay those of the row before.
        var customerChanged = SeeCustomer(customer);
        var orderChanged = _hasOrder && SeeOrder(order);
        var ticks = _values.Ticks(date);
        if (customerChanged || orderChanged || ticks != _run.Ticks)
        {
            FlushRun();
            _run.Ticks = ticks;
            _run.AfterCutoff = ticks > _cutoffTicks;
        }

        var amount = Money(data);
        if (_policy.Classify(hasCustomer: true, _recentOrderCancelled, amount.PositiveQuantity, amount.PositivePrice, amount.Positive, _run.AfterCutoff) is { } reason)
        {
            Exclude(reason, amount);
            return;
        }

        if (_run.Lines == 0)
        {
            _run.Index = CustomerIndex(customer, ticks);
            _run.OrderKey = _recentHasOrder ? OrderKey(order) : OrderKeys.NoOrder;
        }

        _run.Lines++;
        amount.AddTo(ref _run.Amount);
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
    private RowMoney Money(ReadOnlySpan<byte> data) =>
        _hasAmount ? RowMoney.Of(_tokens.Field(data, AmountSlot)) : RowMoney.Product(_tokens.Field(data, QuantitySlot), _tokens.Field(data, PriceSlot));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Exclude(ExclusionReason reason, RowMoney amount)
    {
        _excludedRows[(int)reason]++;
        amount.AddTo(ref _excludedAmount[(int)reason]);
        _rows++;
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
            if (_tokens.HasSlot(slot) && !_values.IsBlank(_tokens.Field(data, slot)))
            {
                return false;
            }
        }

        return true;
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

        _recentHasOrder = !_values.IsBlank(order);
        _recentOrderCancelled = _recentHasOrder && _policy.Cancellations.IsCancellation(_values.Decode(order));
        _recentOrderKey = null;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long OrderKey(ReadOnlySpan<byte> order) =>
        _recentOrderKey ??= OrderKeys.TryCanonicalNumber(order, out var number) ? number : _target.OrderKey(_values.Decode(order));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int CustomerIndex(ReadOnlySpan<byte> customer, long ticks)
    {
        if (_recentCustomerIndex >= 0)
        {
            return _recentCustomerIndex;
        }

        if (OrderKeys.TryCanonicalNumber(customer, out var number))
        {
            ref var index = ref _numericCustomers.GetOrAdd(number, out var exists);
            if (!exists)
            {
                index = _target.CustomerIndex(_values.Decode(customer), ticks);
            }

            return _recentCustomerIndex = index;
        }

        return _recentCustomerIndex = _target.CustomerIndex(_values.Decode(customer), ticks);
    }

    /// <summary>The open run: its date, its customer and order as the accumulator knows them, and the lines added so far.</summary>
    private sealed class Run
    {
        public long Ticks { get; set; } = long.MinValue;

        public bool AfterCutoff { get; set; }

        public int Index { get; set; }

        public long OrderKey { get; set; }

        public long Lines { get; set; }

        // A field, so that it can be added to in place.
        public ExactSum Amount;
    }
}
