using System.Data;
using System.Globalization;
using System.IO.Compression;
using MiniExcelLibs;
using Sylvan.Data.Csv;

namespace Rfm.Cli.Input;

/// <summary>An opened input: its rows as a data reader, and how to tell a user where a row is.</summary>
internal sealed class InputFile : IDisposable
{
    private readonly IDisposable[] _owned;
    private readonly string _rowWord;

    private InputFile(string displayName, IDataReader reader, string rowWord, Func<double?> fractionRead, params IDisposable[] owned)
    {
        DisplayName = displayName;
        Reader = reader;
        _rowWord = rowWord;
        FractionRead = fractionRead;
        _owned = owned;
    }

    /// <summary>The name to show in messages: the path as given, or "standard input".</summary>
    public string DisplayName { get; }

    public IDataReader Reader { get; }

    /// <summary>
    /// Where a one-based data row is: "line n" of a CSV file or "row n" of a worksheet, the header being line or
    /// row 1. CSV lines count records, so a quoted value that spans lines puts later records further down the file.
    /// </summary>
    public string Locate(long dataRow) => $"{_rowWord} {dataRow + 1}";

    /// <summary>How much of the input has been read, from 0 to 1, when its size is known.</summary>
    public Func<double?> FractionRead { get; }

    /// <summary>
    /// Opens a CSV file (optionally gzip-compressed), standard input (<c>-</c>) or an Excel workbook (<c>.xlsx</c>).
    /// </summary>
    /// <exception cref="UsageException">The file does not exist, or the sheet is not in the workbook.</exception>
    /// <exception cref="InputException">The file is empty or cannot be read as its kind.</exception>
    public static InputFile Open(string path, string? sheet, char? delimiter, TextReader standardInput)
    {
        if (path == "-")
        {
            return OpenCsv("standard input", standardInput, delimiter, fractionRead: () => null);
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"{path}: no such file.");
        }

        if (path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            return OpenExcel(path, sheet);
        }

        if (sheet is not null)
        {
            throw new UsageException($"{path}: --sheet applies to .xlsx workbooks only.");
        }

        var file = File.OpenRead(path);
        try
        {
            Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
            var length = file.Length;
            var input = OpenCsv(path, new StreamReader(stream, detectEncodingFromByteOrderMarks: true), delimiter, () => length == 0 ? null : (double)file.Position / length);
            return input.Owning(file);
        }
        catch
        {
            file.Dispose();
            throw;
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

    private InputFile Owning(IDisposable extra) => new(DisplayName, Reader, _rowWord, FractionRead, [.. _owned, extra]);

    private static InputFile OpenCsv(string name, TextReader text, char? delimiter, Func<double?> fractionRead)
    {
        var options = new CsvDataReaderOptions
        {
            HasHeaders = true,
            Culture = CultureInfo.InvariantCulture,
            OwnsReader = true,
        };
        if (delimiter is { } d)
        {
            options.Delimiter = d;
        }

        CsvDataReader csv;
        try
        {
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
            throw new InputException($"{name}: cannot read it as CSV: {ex.Message}", ex);
        }

        if (Enumerable.Range(0, csv.FieldCount).All(i => string.IsNullOrWhiteSpace(csv.GetName(i))))
        {
            csv.Dispose();
            throw new InputException($"{name}: the file is empty; expected a header line and rows.");
        }

        return new InputFile(name, csv, "line", fractionRead);
    }

    private static InputFile OpenExcel(string path, string? sheet)
    {
        List<string> sheets;
        try
        {
            sheets = MiniExcel.GetSheetNames(path);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or InvalidOperationException or System.Xml.XmlException)
        {
            throw new InputException($"{path}: cannot read it as an Excel workbook: {ex.Message}", ex);
        }

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

        return new InputFile($"{path}, sheet '{chosen}'", reader, "row", () => null);
    }
}
