using System.Data;
using System.Globalization;
using System.Text;
using MiniExcelLibs;
using Sylvan.Data.Csv;

namespace Rfm.Cli.Input;

/// <summary>An opened input: its rows as a data reader, and how to tell a user where a row is.</summary>
internal sealed class InputFile : IDisposable
{

    private static readonly string[] UnsupportedWorkbooks = [".xls", ".xlsm", ".xlsb", ".ods", ".numbers"];

    private readonly IDisposable[] _owned;
    private readonly string _rowWord;

    private InputFile(string displayName, IDataReader reader, string rowWord, Func<double?> fractionRead, char delimiter, params IDisposable[] owned)
    {
        DisplayName = displayName;
        Delimiter = delimiter;
        Reader = reader;
        _rowWord = rowWord;
        FractionRead = fractionRead;
        _owned = owned;
    }

    /// <summary>The name to show in messages: the path as given (with the sheet), or "standard input".</summary>
    public string DisplayName { get; }

    /// <summary>The file's full path, or <see langword="null"/> for standard input.</summary>
    public string? FullPath { get; private init; }

    // A UTF-8 CSV file that the byte-level reader may read: its path, whether it is gzip, the delimiters to try.
    private FastSource? Fast { get; init; }

    public IDataReader Reader { get; }

    /// <summary>The CSV separator: the one given, or the one settled from the header.</summary>
    public char Delimiter { get; }

    /// <summary>Whether the input is an Excel worksheet (rather than CSV text).</summary>
    public bool IsWorkbook => _rowWord == "row";

    /// <summary>How much of the input has been read, from 0 to 1, when its size is known.</summary>
    public Func<double?> FractionRead { get; }

    /// <summary>The encodings <c>--encoding</c> accepts besides UTF-8, by the names people use.</summary>
    public static Encoding EncodingNamed(string? name)
    {
        if (name is null || name.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || name.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            // Strict: a byte that is not UTF-8 stops the run instead of merging "Müller" and "Mäller" into "M?ller".
            // The preamble lets the reader skip a byte-order mark itself: detecting it would swap in a lenient decoder.
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true);
        }

        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        try
        {
            return Encoding.GetEncoding(name, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            // UTF-7 is known but disabled in .NET, for its security problems.
            throw new UsageException($"--encoding '{name}': not an encoding this tool reads; try utf-8, windows-1252 or latin1.");
        }
    }

    /// <summary>
    /// Where a one-based data row is: "line n" of a CSV file or "row n" of a worksheet, the header being line or
    /// row 1. CSV lines count records, so a quoted value that spans lines puts later records further down the file.
    /// </summary>
    public string Locate(long dataRow) => $"{_rowWord} {dataRow + 1}";

    /// <summary>
    /// Opens a CSV file (gzip-compressed or not), standard input (<c>-</c>) or an Excel workbook (<c>.xlsx</c>).
    /// <paramref name="openFile"/>, when given, opens a CSV file's bytes instead of the path itself (a copy of a pipe
    /// that cannot be read twice); such a file is read by the general reader only, never again by its path.
    /// </summary>
    /// <exception cref="UsageException">The file does not exist, is of a kind that is not read, or the sheet is not in the workbook.</exception>
    /// <exception cref="InputException">The file is empty or cannot be read as its kind.</exception>
    public static InputFile Open(string path, string? sheet, char? delimiter, Encoding encoding, Stream standardInput, Func<string, FileStream>? openFile = null)
    {
        if (path == "-")
        {
            if (sheet is not null)
            {
                throw new UsageException("--sheet applies to .xlsx workbooks, not to standard input.");
            }

            const string name = "standard input";
            var (head, stdin) = PeekedStream.Peek(standardInput, SniffLength);
            var text = Sniff(name, head, length: null) ? new CheckedGzipStream(stdin) : stdin;
            return OpenCsv(name, text, encoding, delimiter, () => null);
        }

        MustExist(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (UnsupportedWorkbooks.Contains(extension))
        {
            throw new UsageException($"{path}: {extension} files are not read; save the sheet as .xlsx or .csv.");
        }

        if (extension == ".xlsx")
        {
            return OpenExcel(path, sheet).FromFile(path);
        }

        if (sheet is not null)
        {
            throw new UsageException($"{path}: --sheet applies to .xlsx workbooks only.");
        }

        var file = openFile?.Invoke(path) ?? File.OpenRead(path);
        try
        {
            // A named pipe or process substitution cannot seek or tell its size: its first bytes are read once and replayed.
            var (head, source) = PeekedStream.Peek(file, SniffLength);
            var gzip = Sniff(path, head, file.CanSeek ? file.Length : null);
            var stream = gzip ? new CheckedGzipStream(source, leaveOpen: file.CanSeek) : source;
            Func<double?> fraction = file.CanSeek && file.Length > 0 ? () => (double)file.Position / file.Length : () => null;
            var input = OpenCsv(path, stream, encoding, delimiter, fraction).FromFile(path, file);
            return file.CanSeek && encoding is UTF8Encoding && openFile is null
                ? input.With(new FastSource(input.FullPath!, gzip, input.Delimiter.ToString()))
                : input;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads every row with the byte-level reader, which is several times faster, when the input is a UTF-8 CSV file
    /// it reads exactly as the general reader would. <see langword="false"/> leaves the accumulator and
    /// <see cref="Reader"/> as they were, for the general reader to read (and explain any problem).
    /// </summary>
    public bool TryReadFast(TransactionColumns columns, RfmAccumulator accumulator, int threads, IProgress<(long Rows, double Fraction)>? progress)
    {
        if (Fast is not { } fast)
        {
            return false;
        }

        var header = Enumerable.Range(0, Reader.FieldCount).Select(Reader.GetName).ToArray();
        if (!fast.Gzip)
        {
            return Utf8CsvIngestion.TryReadFile(fast.Path, header, fast.Delimiters, columns, accumulator, threads, progress, CancellationToken.None);
        }

        try
        {
            using var file = File.OpenRead(fast.Path);
            using var text = new CheckedGzipStream(file);

            // A stream's reader cannot tell how far it is; the compressed file's position can.
            var share = progress is null ? null : new ShareOfFile(progress, file);
            return Utf8CsvIngestion.TryReadStream(text, header, fast.Delimiters, columns, accumulator, share, CancellationToken.None);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException and not GzipDataException)
        {
            // A damaged stream is the general reader's to explain; a truncated one has been read to its end already,
            // and the general reader would only decompress it again to say the same.
            return false;
        }
    }

    public void Dispose()
    {
        Reader.Dispose();
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    // The opened reader, now known to come from a file on disk (which it may own, such as the file stream).
    private InputFile FromFile(string path, params IDisposable[] owned) =>
        new(DisplayName, Reader, _rowWord, FractionRead, Delimiter, [.. _owned, .. owned]) { FullPath = Path.GetFullPath(path) };

    private InputFile With(FastSource fast) =>
        new(DisplayName, Reader, _rowWord, FractionRead, Delimiter, _owned) { FullPath = FullPath, Fast = fast };

    private sealed record FastSource(string Path, bool Gzip, string Delimiters);

    /// <summary>Passes progress on with the share of the file read so far.</summary>
    private sealed class ShareOfFile(IProgress<(long Rows, double Fraction)> progress, FileStream file) : IProgress<(long Rows, double Fraction)>
    {
        public void Report((long Rows, double Fraction) value) =>
            progress.Report((value.Rows, file.Length > 0 ? (double)file.Position / file.Length : double.NaN));
    }

    // How many bytes tell the kinds apart.
    private const int SniffLength = 4;

    // Whether the input is gzip (by its first bytes, whatever its name); refuses other binary kinds read by mistake.
    private static bool Sniff(string name, ReadOnlySpan<byte> head, long? length)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
        {
            // A member is at least 18 bytes: a 10-byte header, data, an 8-byte trailer.
            return length is null or >= 18 ? true : throw new InputException($"{name}: the file is too short to be gzip-compressed data.");
        }

        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            throw new InputException($"{name}: the file is not gzip-compressed, though its name ends in .gz.");
        }

        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            throw new UsageException($"{name}: the file is a zip archive (a workbook?); name an Excel workbook .xlsx, or export the sheet as .csv.");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0]))
        {
            throw new UsageException($"{name}: the file is an old-style .xls workbook; save it as .xlsx or .csv.");
        }

        return false;
    }

    private static InputFile OpenCsv(string name, Stream stream, Encoding encoding, char? delimiter, Func<double?> fractionRead)
    {
        var text = new CheckedCsvText(stream, encoding, detectByteOrderMark: encoding is not UTF8Encoding, delimiter, name);
        var options = new CsvDataReaderOptions
        {
            HasHeaders = true,
            Culture = CultureInfo.InvariantCulture,
            OwnsReader = true,
            // The text refuses a record longer than the cap before the reader sees it; room for one and its line end.
            MaxBufferSize = Utf8CsvIngestion.MaxRecordLength + 2,
        };

        CsvDataReader csv;
        try
        {
            options.Delimiter = text.ReadDelimiter();
            csv = CsvDataReader.Create(text, options);
        }
        catch (CsvMissingHeadersException ex)
        {
            text.Dispose();
            throw new InputException($"{name}: the file is empty; expected a header line and rows.", ex);
        }
        catch (Exception ex) when (ex is CsvFormatException or InvalidDataException or IOException)
        {
            text.Dispose();
            throw new InputException($"{name}: line 1: {Describe(ex)}.", ex);
        }
        catch
        {
            text.Dispose();
            throw;
        }

        if (Enumerable.Range(0, csv.FieldCount).All(i => string.IsNullOrWhiteSpace(csv.GetName(i))))
        {
            csv.Dispose();
            throw new InputException($"{name}: the file is empty; expected a header line and rows.");
        }

        return new InputFile(name, new ShapeCheckingReader(csv, row => $"line {row + 1}", name), "line", fractionRead, options.Delimiter.Value);
    }

    /// <summary>Refuses a path that names a folder or nothing.</summary>
    /// <exception cref="UsageException">The path is a folder or does not exist.</exception>
    public static void MustExist(string path)
    {
        if (Directory.Exists(path))
        {
            throw new UsageException($"{path}: is a folder, not a file.");
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such file.");
        }
    }

    /// <summary>Whether an exception thrown while reading rows means the bytes could not be read as the input's kind (<see cref="Describe"/> says why).</summary>
    public bool IsReadFailure(Exception exception) =>
        exception is CsvFormatException or DecoderFallbackException or InvalidDataException or System.Xml.XmlException or IOException
        || (IsWorkbook && (exception is InvalidOperationException || ThrownByWorkbookReader(exception)));

    /// <summary>What went wrong while reading the bytes of a file, for a person.</summary>
    /// <remarks>Without a final period, so that a message can end with exactly one.</remarks>
    public static string Describe(Exception exception) => (exception switch
    {
        DecoderFallbackException => CheckedCsvText.InvalidText,
        CsvRecordTooLargeException => CheckedCsvText.TooLongRecord,
        CsvFormatException csv => $"the CSV is malformed: {csv.Message}",
        GzipDataException gzip => gzip.Message,
        System.Xml.XmlException => "the workbook is damaged: a sheet is not valid XML",
        NullReferenceException or ArgumentException or IndexOutOfRangeException when ThrownByWorkbookReader(exception) => "the workbook is damaged: a part of it is missing or malformed",
        _ => exception.Message,
    }).TrimEnd('.');

    // MiniExcel is not hardened against damaged files: whatever it throws from its own code while parsing one (a null
    // reference, a null argument) means the workbook is damaged, not that the tool is at fault.
    private static bool ThrownByWorkbookReader(Exception exception)
    {
        var bcl = typeof(object).Assembly;
        var thrower = new System.Diagnostics.StackTrace(exception).GetFrames()
            .Select(frame => frame.GetMethod()?.DeclaringType?.Assembly)
            .FirstOrDefault(assembly => assembly is not null && assembly != bcl && assembly.GetName().Name?.StartsWith("System.", StringComparison.Ordinal) != true);
        return thrower == typeof(MiniExcel).Assembly;
    }

    private static InputFile OpenExcel(string path, string? sheet)
    {
        try
        {
            var sheets = MiniExcel.GetSheetNames(path);
            if (sheets.Count == 0)
            {
                throw new InputException($"{path}: the workbook has no sheets.");
            }

            var chosen = sheet ?? sheets[0];
            if (!sheets.Contains(chosen, StringComparer.Ordinal))
            {
                throw new UsageException($"{path}: there is no sheet '{chosen}'; the sheets are: {string.Join(", ", sheets.Select(s => $"'{s}'"))}.");
            }

            var reader = MiniExcel.GetReader(path, useHeaderRow: true, sheetName: chosen);
            if (reader.FieldCount == 0)
            {
                reader.Dispose();
                throw new InputException($"{path}, sheet '{chosen}': the sheet is empty; expected a header row and rows.");
            }

            return new InputFile($"{path}, sheet '{chosen}'", reader, "row", () => null, delimiter: default);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or InvalidOperationException or System.Xml.XmlException || ThrownByWorkbookReader(ex))
        {
            throw new InputException($"{path}: cannot read it as an Excel workbook: {Describe(ex)}.", ex);
        }
    }
}
