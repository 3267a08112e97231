using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Unicode;

namespace Rfm;

/// <summary>
/// Finds the rows and fields of UTF-8 CSV data: where each field a row's columns need lies (its slot), handed row by
/// row to a <see cref="Utf8CsvRowParser"/>, or, for the header, every field's text.
/// </summary>
/// <remarks>
/// Fields are found 64 bytes at a time from a bit mask of delimiters, quotes and line ends. Anything the tokenizer would
/// have to guess about (a stray quote, a carriage return alone, text that is not UTF-8) ends the read with
/// <see cref="UnsupportedCsvException"/>.
/// </remarks>
internal sealed class Utf8CsvTokenizer
{
    /// <summary>The slot of each column a row needs.</summary>
    public const int CustomerSlot = 0, OrderSlot = 1, DateSlot = 2, AmountSlot = 3, QuantitySlot = 4, PriceSlot = 5, SlotCount = 6;

    private const byte Quote = (byte)'"';
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';
    private const int BlockBytes = 64;

    // The layout: the delimiter, and which field fills which slot (-1 for none).
    private readonly byte _delimiter;
    private readonly int[] _slotOf;

    // Fields below 64 that a row's columns need, as bits; beyond 64, _slotOf says.
    private readonly ulong _wanted;

    // Where the rows go; null when the header is read instead: every field's text goes there, and reading stops after one row.
    private readonly Utf8CsvRowParser? _rows;
    private readonly List<string>? _header;

    // Where each wanted field of the current row is; a quoted field with doubled quotes is copied out unescaped.
    private readonly int[] _start = new int[SlotCount];
    private readonly int[] _end = new int[SlotCount];
    private readonly bool[] _escaped = new bool[SlotCount];
    private readonly byte[][] _unescaped = new byte[SlotCount][];

    // Where the content of the current field is when it was quoted (else -1), and whether it has doubled quotes.
    private int _quotedStart = -1;
    private int _quotedEnd;
    private bool _quotedEscaped;

    // Non-zero when a byte of the data read was not ASCII: only then is the UTF-8 checked, which saves a pass.
    private uint _highBits;

    /// <summary>Creates a tokenizer for rows of <paramref name="fieldCount"/> fields, handing each row to <paramref name="rows"/>.</summary>
    public Utf8CsvTokenizer(byte delimiter, int fieldCount, Utf8CsvColumns columns, Utf8CsvRowParser rows)
        : this(delimiter, fieldCount, columns, rows, header: null)
    {
    }

    private Utf8CsvTokenizer(byte delimiter, int fieldCount, Utf8CsvColumns columns, Utf8CsvRowParser? rows, List<string>? header)
    {
        _delimiter = delimiter;
        _slotOf = new int[fieldCount];
        Array.Fill(_slotOf, -1);
        _slotOf[columns.Customer] = CustomerSlot;
        Assign(columns.Order, OrderSlot);
        Assign(columns.Timestamp, DateSlot);
        Assign(columns.Amount, AmountSlot);
        Assign(columns.Quantity, QuantitySlot);
        Assign(columns.UnitPrice, PriceSlot);
        for (var field = 0; field < Math.Min(fieldCount, 64); field++)
        {
            _wanted |= _slotOf[field] >= 0 ? 1UL << field : 0;
        }

        _rows = rows;
        _header = header;
        if (header is not null)
        {
            _wanted = ulong.MaxValue;
        }

        for (var i = 0; i < SlotCount; i++)
        {
            _unescaped[i] = [];
        }
    }

    /// <summary>The length in bytes of the current row's first field.</summary>
    public int FirstFieldLength { get; private set; }

    /// <summary>Whether a column fills <paramref name="slot"/>.</summary>
    public bool HasSlot(int slot) => _slotOf.AsSpan().Contains(slot);

    /// <summary>The content of the current row's field in <paramref name="slot"/>, unescaped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Field(ReadOnlySpan<byte> data, int slot) =>
        _escaped[slot] ? Unescape(data[_start[slot].._end[slot]], ref _unescaped[slot]) : data[_start[slot].._end[slot]];

    /// <summary>The fields of one row (the header), unescaped and decoded; <see langword="null"/> when the data ends first.</summary>
    public static List<string>? ReadHeader(ReadOnlySpan<byte> data, byte delimiter, out int length)
    {
        var tokenizer = new Utf8CsvTokenizer(delimiter, 1, new Utf8CsvColumns(0, -1, -1, -1, -1, -1), rows: null, header: []);
        try
        {
            length = tokenizer.Parse(data, final: false, int.MaxValue, out _);
            return length > 0 ? tokenizer._header : null;
        }
        catch (UnsupportedCsvException)
        {
            length = 0;
            return null;
        }
    }

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
                        _rows!.EndRow(data, field + 1);
                        rowStart = data.Length;
                    }

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

            _rows!.EndRow(data, field + 1);
            field = 0;
            rowStart = fieldStart = next;
            stopped = rowStart >= limit;
        }

        return rowStart;
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
            FirstFieldLength = end - start;
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
}
