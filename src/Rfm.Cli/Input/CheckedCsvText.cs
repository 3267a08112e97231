using System.Buffers;
using System.Text;

namespace Rfm.Cli.Input;

/// <summary>
/// The decoded text of a CSV input on its way to the CSV reader, checked record by record before the reader sees it:
/// text that is not valid in its encoding, a record longer than <see cref="Utf8CsvIngestion.MaxRecordLength"/> and a
/// record of more than <see cref="MaxFieldCount"/> fields are refused naming their line. It also settles the delimiter
/// from the header, so that the reader and these checks split fields alike.
/// </summary>
/// <remarks>
/// The CSV reader grows its table of fields by a constant step, so a record of n fields costs it time in n²: the field
/// cap keeps that small whatever the input. Lines are counted as the tool counts them: the header is line 1, and a
/// quoted value that spans lines stays on the line of its record.
/// </remarks>
internal sealed class CheckedCsvText : TextReader
{
    /// <summary>The most fields a record may have: as many columns as a spreadsheet holds.</summary>
    public const int MaxFieldCount = 16_384;

    /// <summary>The delimiters tried when none is given, in the order that settles a tie.</summary>
    public const string DetectedDelimiters = ",\t;|";

    /// <summary>What is wrong with text that cannot be decoded.</summary>
    public const string InvalidText = "the text is not valid in the encoding it is read with (UTF-8 unless --encoding says otherwise)";

    /// <summary>What is wrong with a record longer than the cap.</summary>
    public static string TooLongRecord => $"a record is longer than {Utf8CsvIngestion.MaxRecordLength / (1024 * 1024)} MiB, the most a record may have (is the file CSV?)";

    private const char Quote = '"';
    private const int BlockBytes = 1 << 16;

    private readonly Stream _stream;
    private readonly string _name;
    private readonly bool _detectByteOrderMark;
    private readonly byte[] _bytes = new byte[BlockBytes];
    private Encoding _encoding;
    private Decoder _decoder;

    // Fed the same bytes as _decoder, one block behind: when a block fails, it finds the bad byte one byte at a time.
    private Decoder _lagging;
    private bool _started;
    private bool _ended;

    // Decoded text not yet handed to the reader; the checks have seen it.
    private char[] _text;
    private int _textStart;
    private int _textEnd;

    // The delimiters that may split the current record: every candidate until the header has settled one.
    private string _delimiters;
    private SearchValues<char> _special;
    private readonly int[] _fields;
    private int _headerFields;

    // Where the text seen so far stands: its length, the current record (line) and where it and its field start,
    // whether a quoted value is open, and where the last quote closing one was.
    private long _position;
    private long _line = 1;
    private long _recordStart;
    private long _fieldStart;
    private bool _quoted;
    private long _closingQuote = -2;

    // What ends a record: a line feed or a carriage return, settled by the first line end; '\0' until then.
    private char _lineEnd;

    /// <summary>Reads <paramref name="stream"/> as text in <paramref name="encoding"/>, split by <paramref name="delimiter"/> or by the one the header shows.</summary>
    /// <param name="stream">The bytes; disposed with this reader.</param>
    /// <param name="encoding">The encoding; a byte-order mark of its own is skipped.</param>
    /// <param name="detectByteOrderMark">Whether a UTF-8, UTF-16 or UTF-32 byte-order mark switches to its encoding.</param>
    /// <param name="delimiter">The delimiter, or <see langword="null"/> to take the one of <see cref="DetectedDelimiters"/> the header holds most of.</param>
    /// <param name="name">The input's name for messages.</param>
    public CheckedCsvText(Stream stream, Encoding encoding, bool detectByteOrderMark, char? delimiter, string name)
    {
        _stream = stream;
        _name = name;
        _detectByteOrderMark = detectByteOrderMark;
        _encoding = encoding;
        (_decoder, _lagging) = (encoding.GetDecoder(), encoding.GetDecoder());
        _text = new char[encoding.GetMaxCharCount(BlockBytes)];
        _delimiters = delimiter is { } d ? d.ToString() : DetectedDelimiters;
        _fields = new int[_delimiters.Length];
        _special = Special();
    }

    /// <summary>
    /// The delimiter: the one given, or the candidate the header holds most of (the first of a tie; a comma when it
    /// holds none), reading the header when it must.
    /// </summary>
    /// <exception cref="InputException">The header is not valid text, too long, or of too many fields.</exception>
    public char ReadDelimiter()
    {
        while (_delimiters.Length > 1 && Fill())
        {
        }

        return _delimiters[0];
    }

    public override int Read()
    {
        Span<char> one = stackalloc char[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    /// <exception cref="InputException">The text read is not valid, or a record is too long or has too many fields.</exception>
    public override int Read(Span<char> buffer)
    {
        while (_textStart == _textEnd)
        {
            if (!Fill())
            {
                return 0;
            }
        }

        var count = Math.Min(buffer.Length, _textEnd - _textStart);
        _text.AsSpan(_textStart, count).CopyTo(buffer);
        _textStart += count;
        return count;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stream.Dispose();
        }

        base.Dispose(disposing);
    }

    // Decodes and checks the next block, after the text not yet handed out; false at the end of the input.
    private bool Fill()
    {
        if (_ended)
        {
            return false;
        }

        var bytes = _bytes.AsSpan(0, _started ? _stream.Read(_bytes) : _stream.ReadAtLeast(_bytes, 4, throwOnEndOfStream: false));
        if (!_started)
        {
            _started = true;
            bytes = bytes[SkipByteOrderMark(bytes)..];
        }

        _ended = bytes.IsEmpty;
        if (_textStart == _textEnd)
        {
            (_textStart, _textEnd) = (0, 0);
        }
        else if (_text.Length - _textEnd < _encoding.GetMaxCharCount(bytes.Length))
        {
            // The header is being held back until the delimiter is settled.
            Array.Resize(ref _text, (_text.Length * 2) + _encoding.GetMaxCharCount(bytes.Length));
        }

        int decoded;
        try
        {
            decoded = _decoder.GetChars(bytes, _text.AsSpan(_textEnd), flush: _ended);
        }
        catch (DecoderFallbackException)
        {
            throw LocateInvalidByte(bytes);
        }

        _lagging.GetChars(bytes, _text.AsSpan(_textEnd), flush: _ended);
        Check(_text.AsSpan(_textEnd, decoded));
        _textEnd += decoded;
        if (_ended)
        {
            EndRecord();
        }

        return true;
    }

    // The block holds text that is not valid: decode it again a byte at a time, checking what comes before the bad byte.
    private InputException LocateInvalidByte(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[16];
        try
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                Check(chars[.._lagging.GetChars(bytes.Slice(i, 1), chars, flush: false)]);
            }

            _lagging.GetChars([], chars, flush: true);
        }
        catch (DecoderFallbackException)
        {
        }

        return Refuse(InvalidText);
    }

    // A byte-order mark is skipped; with detection, one of another Unicode encoding switches to it, as strict as the given one.
    private int SkipByteOrderMark(ReadOnlySpan<byte> bytes)
    {
        if (_encoding.Preamble is { IsEmpty: false } own && bytes.StartsWith(own))
        {
            return own.Length;
        }

        if (!_detectByteOrderMark)
        {
            return 0;
        }

        (int CodePage, byte[] Mark)[] marks =
        [
            (12000, [0xFF, 0xFE, 0x00, 0x00]), (12001, [0x00, 0x00, 0xFE, 0xFF]), (65001, [0xEF, 0xBB, 0xBF]), (1200, [0xFF, 0xFE]), (1201, [0xFE, 0xFF]),
        ];
        foreach (var (codePage, mark) in marks)
        {
            if (bytes.StartsWith(mark))
            {
                _encoding = Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
                (_decoder, _lagging) = (_encoding.GetDecoder(), _encoding.GetDecoder());
                _text = new char[_encoding.GetMaxCharCount(BlockBytes)];
                return mark.Length;
            }
        }

        return 0;
    }

    // Follows the records through the text as the reader does: quotes (which open a value only at the start of a
    // field), line ends outside them, and delimiters, counted.
    private void Check(ReadOnlySpan<char> text)
    {
        SettleLineEnd(text);
        var start = _position;
        var i = 0;
        while (i < text.Length)
        {
            var next = _quoted ? text[i..].IndexOf(Quote) : text[i..].IndexOfAny(_special);
            if (next < 0)
            {
                break;
            }

            i += next;
            var at = start + i;
            var c = text[i++];
            if (c == Quote)
            {
                // A quote closes an open value; "" inside one closes and at once reopens it.
                _quoted = !_quoted && (at == _fieldStart || at == _closingQuote + 1);
                _closingQuote = _quoted ? _closingQuote : at;
            }
            else if (c == _lineEnd)
            {
                _position = at;
                EndRecord();
                _recordStart = _fieldStart = at + 1;
            }
            else
            {
                _fieldStart = at + 1;
                if (++_fields[_delimiters.IndexOf(c)] >= MaxFieldCount)
                {
                    throw Refuse(_line == 1
                        ? $"the header has more than {MaxFieldCount:N0} fields, the most a record may have"
                        : $"the record has more than {MaxFieldCount:N0} fields, but the header has {_headerFields:N0}");
                }
            }
        }

        _position = start + text.Length;
        CheckLength(_position);
    }

    // The reader ends records at line feeds, or at carriage returns when the first line ends with one alone (old Mac
    // files); it decides by the first line end in the text, quoted or not. A carriage return left last in a block
    // is taken as the start of a carriage return and line feed.
    private void SettleLineEnd(ReadOnlySpan<char> text)
    {
        if (_lineEnd != '\0' || text.IndexOfAny('\r', '\n') is not (var first and >= 0))
        {
            return;
        }

        _lineEnd = text[first] == '\r' && first + 1 < text.Length && text[first + 1] != '\n' ? '\r' : '\n';
        _special = Special();
    }

    // The record that ended at _position: the header settles the delimiter; the next record starts on the next line.
    private void EndRecord()
    {
        CheckLength(_position);
        if (_line == 1)
        {
            // The candidate the header holds most of; the first of a tie.
            var settled = Array.IndexOf(_fields, _fields.Max());
            _delimiters = _delimiters[settled].ToString();
            _headerFields = _fields[settled] + 1;
            _special = Special();
        }

        Array.Clear(_fields);
        _line++;
    }

    // The characters that matter outside a quoted value.
    private SearchValues<char> Special() => SearchValues.Create(_lineEnd == '\0' ? [Quote, .. _delimiters] : [Quote, _lineEnd, .. _delimiters]);

    private void CheckLength(long end)
    {
        if (end - _recordStart > Utf8CsvIngestion.MaxRecordLength)
        {
            throw Refuse(TooLongRecord);
        }
    }

    private InputException Refuse(string problem) => new($"{_name}: line {_line}: {problem}.");
}
