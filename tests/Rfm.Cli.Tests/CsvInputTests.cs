using System.IO.Compression;
using System.Text;
using Rfm.Cli.Input;

namespace Rfm.Cli.Tests;

/// <summary>
/// Hostile and careless CSV input: refused in time linear in its size, with one line naming the right line, column
/// and value and ending with one period; and the same answer whichever reader reads it (a file on disk goes to the
/// byte-level reader first, standard input to the general one only).
/// </summary>
public sealed class CsvInputTests
{
    private const string Header = "customer,order,date,amount\n";

    private static string[] Columns => ["--customer", "customer", "--order", "order", "--date", "date", "--amount", "amount", "--as-of", "2024-02-01"];

    // The input read three ways: from disk (byte-level reader first), gzip-compressed on disk, and from standard input.
    private static (CliRun File, CliRun Gzip, CliRun Stdin, string Path) ReadThreeWays(byte[] content, params string[] extra)
    {
        var folder = Cli.TempFolder();
        var path = Path.Combine(folder, "in.csv");
        File.WriteAllBytes(path, content);
        var gzip = Path.Combine(folder, "in.csv.gz");
        using (var compressed = new GZipStream(File.Create(gzip), CompressionLevel.Fastest))
        {
            compressed.Write(content);
        }

        var file = Cli.Invoke(["analyze", path, .. Columns, .. extra]);
        var zipped = Cli.Invoke(["analyze", gzip, .. Columns, .. extra]);
        var stdin = Run(new MemoryStream(content), ["analyze", "-", .. Columns, .. extra]);
        return (file, zipped, stdin, path);
    }

    private static CliRun Run(Stream stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = RfmCommandLine.Run(args, new CliConsole(stdin, output, error, ShowProgress: false));
        return new CliRun(code, output.ToString(), error.ToString());
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Rows(int count, string lineEnd = "\n") =>
        string.Concat(Enumerable.Range(1, count).Select(i => $"c{i % 7},{i},2024-01-{(i % 28) + 1:00},{i}.50{lineEnd}"));

    // The error of each way of reading, with the input's name taken out: they must be the same line.
    private static string SameErrorEveryWay(byte[] content, params string[] extra)
    {
        var (file, gzip, stdin, path) = ReadThreeWays(content, extra);
        Assert.Equal(1, file.ExitCode);
        var message = file.OneLineError().Replace(path, "INPUT", StringComparison.Ordinal);
        Assert.Equal(message, gzip.OneLineError().Replace(path + ".gz", "INPUT", StringComparison.Ordinal));
        Assert.Equal(message, stdin.OneLineError().Replace("standard input", "INPUT", StringComparison.Ordinal));
        return message;
    }

    // ---- Case: many fields on one line ----

    [Theory]
    [InlineData(200_000)]
    [InlineData(2_000_000)]
    public void ManyFieldsOnOneLine_AreRefusedNamingTheLine(int fields)
    {
        var content = Utf8(Header + Rows(1) + string.Join(',', Enumerable.Repeat("x", fields)) + "\n" + Rows(1));

        var message = SameErrorEveryWay(content);

        Assert.Equal("rfm: INPUT: line 3: the record has more than 16,384 fields, but the header has 4.", message);
    }

    [Fact]
    public void HeaderOfManyFields_IsRefused()
    {
        var content = Utf8(string.Join(';', Enumerable.Range(0, 100_000).Select(i => $"c{i}")) + "\n" + Rows(1));

        var message = SameErrorEveryWay(content);

        Assert.Equal("rfm: INPUT: line 1: the header has more than 16,384 fields, the most a record may have.", message);
    }

    [Fact]
    public void EndlessLineOfFields_IsRefusedAfterABoundedRead()
    {
        // However long the line, the refusal comes after the same short prefix: the cost does not grow with the line.
        using var input = new EndlessLine(Utf8(Header + Rows(2)), "x,"u8.ToArray());

        var run = Run(input, ["analyze", "-", .. Columns]);

        Assert.Equal("rfm: standard input: line 4: the record has more than 16,384 fields, but the header has 4.", run.OneLineError());
        Assert.InRange(input.BytesRead, 2 * 16_384, 512 * 1024);
    }

    [Fact]
    public void EndlessLineWithoutDelimiters_IsRefusedAtTheRecordCap()
    {
        using var input = new EndlessLine(Utf8(Header + Rows(1)), "abcdefgh"u8.ToArray());

        var run = Run(input, ["analyze", "-", .. Columns]);

        Assert.Equal("rfm: standard input: line 3: a record is longer than 16 MiB, the most a record may have (is the file CSV?).", run.OneLineError());
        Assert.InRange(input.BytesRead, 16 << 20, (16 << 20) + (1 << 20));
    }

    [Fact]
    public void NumberOfManyDigits_IsRefusedAsTooLong_InLinearTime()
    {
        // Two million digits: read digit by digit into a growing integer this took minutes.
        var content = Utf8(Header + Rows(1) + $"c1,9,2024-01-09,{new string('7', 2_000_000)}\n");

        var message = SameErrorEveryWay(content);

        Assert.StartsWith("rfm: INPUT: line 3, column 'amount': the number is outside the range of decimal or has more digits than it holds exactly", message, StringComparison.Ordinal);
    }

    // ---- Case: a record longer than the cap ----

    [Fact]
    public void RecordLongerThanTheCap_NamesTheLineItStartsOn()
    {
        var content = Utf8(Header + $"c1,1,2024-01-01,\"{new string('9', 17 << 20)}\"\n");

        var message = SameErrorEveryWay(content);

        Assert.Equal("rfm: INPUT: line 2: a record is longer than 16 MiB, the most a record may have (is the file CSV?).", message);
    }

    // ---- Case: invalid UTF-8 names its line ----

    [Theory]
    [InlineData(0, "\n")]
    [InlineData(199, "\n")]
    [InlineData(199, "\r\n")]
    [InlineData(5_000, "\n")]
    public void InvalidUtf8_NamesItsLine(int rowsBefore, string lineEnd)
    {
        byte[] content = [.. Utf8(Header.Replace("\n", lineEnd, StringComparison.Ordinal) + Rows(rowsBefore, lineEnd) + "M"), 0xFF, .. Utf8($"ller,1,2024-01-01,1{lineEnd}" + Rows(3, lineEnd))];

        var message = SameErrorEveryWay(content);

        Assert.Equal($"rfm: INPUT: line {rowsBefore + 2}: the text is not valid in the encoding it is read with (UTF-8 unless --encoding says otherwise).", message);
    }

    [Fact]
    public void InvalidUtf8_AfterAQuotedValueOverSeveralLines_NamesTheRecordsLine()
    {
        // Lines count records: the quoted value's line feeds do not move the bad byte further down.
        byte[] content = [.. Utf8(Header + "\"a\nb\nc\",1,2024-01-01,1\n" + Rows(2) + "x,2,2024-01-02,"), 0xC3, .. Utf8("\n")];

        var message = SameErrorEveryWay(content);

        Assert.Equal("rfm: INPUT: line 5: the text is not valid in the encoding it is read with (UTF-8 unless --encoding says otherwise).", message);
    }

    [Fact]
    public void InvalidUtf8_InTheHeader_IsLineOne()
    {
        byte[] content = [.. Utf8("customer,or"), 0xE2, 0x82, .. Utf8("der,date,amount\n" + Rows(2))];

        var message = SameErrorEveryWay(content);

        Assert.Equal("rfm: INPUT: line 1: the text is not valid in the encoding it is read with (UTF-8 unless --encoding says otherwise).", message);
    }

    [Fact]
    public void InvalidUtf16_NamesItsLine()
    {
        // A lone surrogate (00 D8, little-endian) on the third line, in a file read with --encoding utf-16.
        var utf16 = new UnicodeEncoding(bigEndian: false, byteOrderMark: false);
        byte[] content = [.. utf16.GetBytes(Header + Rows(1) + "c"), 0x00, 0xD8, .. utf16.GetBytes("x,2,2024-01-02,1\n")];

        var message = SameErrorEveryWay(content, "--encoding", "utf-16");

        Assert.Equal("rfm: INPUT: line 3: the text is not valid in the encoding it is read with (UTF-8 unless --encoding says otherwise).", message);
    }

    // ---- Case: a NUL in a number ----

    [Theory]
    [InlineData("5\0", "5\\0")]
    [InlineData("1e5\0", "1e5\\0")]
    [InlineData("\u00005", "\\05")]
    public void NulInANumber_IsNotANumber_AndShownEscaped(string amount, string shown)
    {
        var content = Utf8(Header + Rows(1) + $"c1,9,2024-01-09,{amount}\n");

        var message = SameErrorEveryWay(content);

        Assert.Equal($"rfm: INPUT: line 3, column 'amount': cannot read a number; expected digits with an optional sign, '.' decimal point and exponent (value '{shown}').", message);
    }

    // ---- Case: options that cannot describe CSV ----

    [Theory]
    [InlineData("\"")]
    [InlineData("\n")]
    [InlineData("\r")]
    [InlineData("\0")]
    [InlineData("a")]
    [InlineData("7")]
    [InlineData("\u00e9")]
    [InlineData(";;")]
    public void DelimiterThatCannotSplitFields_IsAUsageError(string delimiter)
    {
        var path = Path.Combine(Cli.TempFolder(), "in.csv");
        File.WriteAllText(path, Header + Rows(2));

        var run = Cli.Invoke(["analyze", path, .. Columns, "--delimiter", delimiter]);

        Assert.Equal(2, run.ExitCode);
        Assert.EndsWith("': give one ASCII character other than a letter, a digit or a double quote (such as , ; | or a space), or tab.", run.OneLineError(), StringComparison.Ordinal);
        Assert.DoesNotContain(run.OneLineError(), c => char.IsControl(c));
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("tab")]
    [InlineData("#")]
    public void PrintableDelimiter_IsUsed(string delimiter)
    {
        var separator = delimiter == "tab" ? "\t" : delimiter;
        var path = Path.Combine(Cli.TempFolder(), "in.csv");
        File.WriteAllText(path, (Header + Rows(3)).Replace(",", separator, StringComparison.Ordinal));

        var run = Cli.Invoke(["analyze", path, .. Columns, "--delimiter", delimiter]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("rows read 3", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf-7")]
    [InlineData("utf-9")]
    [InlineData("ebcdic-nonsense")]
    public void UnsupportedEncoding_IsAUsageError(string encoding)
    {
        var path = Path.Combine(Cli.TempFolder(), "in.csv");
        File.WriteAllText(path, Header + Rows(2));

        var run = Cli.Invoke(["analyze", path, .. Columns, "--encoding", encoding]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"rfm: --encoding '{encoding}': not an encoding this tool reads; try utf-8, windows-1252 or latin1.", run.OneLineError());
    }

    // ---- Case: every message names the right line and ends with one period ----

    [Theory]
    [InlineData("c1,1,2024-01-01,\"5\n", 3, "the CSV is malformed: ")]
    [InlineData("c1,1,2024-01-01,\"5\"x\n", 3, "the CSV is malformed: ")]
    [InlineData("c1,1,2024-01-01\n", 3, "the record has 3 fields, but the header has 4")]
    [InlineData("c1,1,2024-13-01,5\n", 3, "column 'date': cannot read a date")]
    [InlineData("c1,1,2024-01-01,5..0\n", 3, "column 'amount': cannot read a number")]
    [InlineData("c1,1,2024-01-01,5\r\rc2,2,2024-01-02,x\r", 3, "the record has 7 fields, but the header has 4")]
    public void MalformedRow_NamesItsLine_AndEndsWithOnePeriod(string rows, int line, string problem)
    {
        var content = Utf8(Header + Rows(1) + rows);

        var message = SameErrorEveryWay(content);

        Assert.StartsWith($"rfm: INPUT: line {line}", message, StringComparison.Ordinal);
        Assert.Contains(problem, message, StringComparison.Ordinal);
        Assert.EndsWith(".", message, StringComparison.Ordinal);
        Assert.False(message.EndsWith("..", StringComparison.Ordinal), message);
    }

    [Fact]
    public void MalformedHeader_IsLineOne_AndEndsWithOnePeriod()
    {
        var content = Utf8("customer,\"order\"x,date,amount\n" + Rows(1));

        var message = SameErrorEveryWay(content);

        Assert.StartsWith("rfm: INPUT: line 1: the CSV is malformed: ", message, StringComparison.Ordinal);
        Assert.EndsWith(".", message, StringComparison.Ordinal);
        Assert.False(message.EndsWith("..", StringComparison.Ordinal), message);
    }

    // ---- The delimiter and the encoding, settled from the header ----

    [Fact]
    public void DelimiterInsideQuotedHeaderNames_IsNotCounted()
    {
        // Five semicolons inside quotes, four commas outside: the commas split the header.
        var content = Utf8("\"note;a;b;c;d;e\",customer,order,date,amount\nx,c1,1,2024-01-01,2.5\nx,c2,2,2024-01-02,1\n");

        var (file, gzip, stdin, _) = ReadThreeWays(content, "--out", "-");

        Assert.True(file.ExitCode == 0, file.Error);
        Assert.Equal(file.Out, gzip.Out);
        Assert.Equal(file.Out, stdin.Out);
        Assert.Contains("c2,", file.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ByteOrderMarkOfUtf16_UnderAnotherEncoding_IsReadStrictly()
    {
        // The mark switches to UTF-16, which must refuse a lone surrogate as the named encoding would refuse its own errors.
        var utf16 = new UnicodeEncoding(bigEndian: false, byteOrderMark: false);
        byte[] good = [0xFF, 0xFE, .. utf16.GetBytes(Header + Rows(2))];
        byte[] bad = [0xFF, 0xFE, .. utf16.GetBytes(Header + Rows(2) + "c"), 0x00, 0xDC, .. utf16.GetBytes("x,9,2024-01-09,1\n")];

        var read = ReadThreeWays(good, "--encoding", "windows-1252");
        var message = SameErrorEveryWay(bad, "--encoding", "windows-1252");

        Assert.True(read.File.ExitCode == 0, read.File.Error);
        Assert.Contains("rows read 2", read.Stdin.Out, StringComparison.Ordinal);
        Assert.Equal("rfm: INPUT: line 4: the text is not valid in the encoding it is read with (UTF-8 unless --encoding says otherwise).", message);
    }

    // ---- The same answer from every reader ----

    [Fact]
    public void CarriageReturnsAlone_EndRecords_WhenTheHeaderEndsWithOne()
    {
        var content = Utf8((Header + Rows(2) + "c2,3,2024-01-03,x\n").Replace("\n", "\r", StringComparison.Ordinal));

        var message = SameErrorEveryWay(content);

        Assert.StartsWith("rfm: INPUT: line 4, column 'amount': cannot read a number", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void CleanFile_GivesTheSameResult_WhateverTheReaderAndLineEnd(string lineEnd)
    {
        var content = Utf8((Header + Rows(500) + "\"quoted\nvalue\",501,2024-01-05,\"1.5\"\n").Replace("\n", lineEnd, StringComparison.Ordinal));

        var (file, gzip, stdin, path) = ReadThreeWays(content, "--out", "-");

        Assert.True(file.ExitCode == 0, file.Error);
        Assert.Equal(file.Out, gzip.Out);
        Assert.Equal(file.Out, stdin.Out);
        Assert.Contains("\"quoted", file.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(path, file.Out, StringComparison.Ordinal);
    }

    /// <summary>A prefix, then one unit repeated without end: a line that never ends; counts the bytes read.</summary>
    private sealed class EndlessLine(byte[] prefix, byte[] unit) : ForwardOnlyStream
    {
        public long BytesRead { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            for (var i = 0; i < buffer.Length; i++)
            {
                var at = BytesRead + i;
                buffer[i] = at < prefix.Length ? prefix[at] : unit[(at - prefix.Length) % unit.Length];
            }

            BytesRead += buffer.Length;
            return buffer.Length;
        }

    }
}
