using MiniExcelLibs;

namespace Rfm.Cli.Tests;

/// <summary>Every way input or a command line can be wrong: one line naming what and where, and the exit code.</summary>
public sealed class ErrorTests
{
    private static string[] ColumnsOnly => ["--customer", "customer", "--order", "order", "--date", "date", "--amount", "amount"];

    private static string[] Columns => [.. ColumnsOnly, "--as-of", "2024-02-01"];

    private static string Write(string content, string name = "in.csv")
    {
        var path = Path.Combine(Cli.TempFolder(), name);
        File.WriteAllText(path, content);
        return path;
    }

    // The tool opens its internals to its tests alone; the fuzzer compiles the readers it needs from source.
    [Fact]
    public void Tool_OpensItsInternalsToItsTestsOnly() =>
        Assert.Equal(
            ["Rfm.Cli.Tests"],
            typeof(RfmCommandLine).Assembly.GetCustomAttributes(typeof(System.Runtime.CompilerServices.InternalsVisibleToAttribute), false)
                .Cast<System.Runtime.CompilerServices.InternalsVisibleToAttribute>().Select(a => a.AssemblyName));

    [Theory]
    [InlineData("analyze", "memory")]
    [InlineData("analyze", "duckdb")]
    [InlineData("kpi", null)]
    public void LastPurchaseOnTheCalendarsLastDay_AsksForAnAnalysisDate(string command, string? engine)
    {
        // No midnight follows 9999-12-31: measuring at the end of time would be a date nobody gave.
        var input = Write("customer,order,date,amount\na,1,2024-01-01,1\nb,2,9999-12-31 10:00,1\n");

        var run = Cli.Invoke([command, input, .. ColumnsOnly, .. engine is null ? Array.Empty<string>() : ["--engine", engine]]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("rfm: the last purchase used is on 9999-12-31, the calendar's last day, so no midnight follows it: give --as-of.", run.OneLineError());
    }

    [Fact]
    public void MissingColumn_IsADataError_NamingFileAndColumn()
    {
        var input = Write("customer,order,when,amount\na,1,2024-01-01,1\n");

        var run = Cli.Invoke(["analyze", input, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"rfm: {input}: column 'date': there is no such column; the columns are: customer, order, when, amount.", run.OneLineError());
    }

    [Fact]
    public void UnparsableDate_NamesFileLineColumnAndValue()
    {
        var input = Write("customer,order,date,amount\na,1,2024-01-01,1\nb,2,01/13/2024,1\n");

        var run = Cli.Invoke(["analyze", input, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            $"rfm: {input}: line 3, column 'date': cannot read a date; expected an ISO 8601 date such as 2011-12-09 12:50:00 or 2011-12-09T12:50:00.123456+01:00, to the microsecond at most (or name the format) (value '01/13/2024').",
            run.OneLineError());
    }

    [Fact]
    public void UnparsableNumber_NamesFileLineColumnAndValue()
    {
        var input = Write("customer,order,date,amount\na,1,2024-01-01,1\nb,2,2024-01-02,1\nc,3,2024-01-03,\"12,50\"\n");

        var run = Cli.Invoke(["analyze", input, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"rfm: {input}: line 4, column 'amount': cannot read a number", run.OneLineError(), StringComparison.Ordinal);
        Assert.EndsWith("(value '12,50').", run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void DateFormat_ReadsOtherwiseUnparsableDates()
    {
        var input = Write("customer,order,date,amount\nb,2,31/01/2024 10:00,1\n");

        var run = Cli.Invoke(["analyze", input, .. Columns, "--date-format", "dd/MM/yyyy HH:mm"]);

        Assert.True(run.ExitCode == 0, run.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    public void EmptyFile_IsADataError(string content)
    {
        var input = Write(content);

        var run = Cli.Invoke(["analyze", input, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"rfm: {input}: the file is empty; expected a header line and rows.", run.OneLineError());
    }

    [Fact]
    public void WrongSheet_IsAUsageError_ListingTheSheets()
    {
        var workbook = Path.Combine(Cli.TempFolder(), "book.xlsx");
        MiniExcel.SaveAs(workbook, new Dictionary<string, object> { ["Year 2009-2010"] = new[] { new { A = 1 } }, ["Year 2010-2011"] = new[] { new { A = 1 } } });

        var run = Cli.Invoke(["analyze", workbook, "--sheet", "2011", .. Columns]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"rfm: {workbook}: there is no sheet '2011'; the sheets are: 'Year 2009-2010', 'Year 2010-2011'.", run.OneLineError());
    }

    [Fact]
    public void BadValueInAWorkbook_NamesTheSheetAndRow()
    {
        var workbook = Path.Combine(Cli.TempFolder(), "book.xlsx");
        MiniExcel.SaveAs(workbook, new[]
        {
            new Dictionary<string, object> { ["customer"] = "a", ["order"] = "1", ["date"] = new DateTime(2024, 1, 1), ["amount"] = 1.5 },
            new Dictionary<string, object> { ["customer"] = "b", ["order"] = "2", ["date"] = new DateTime(2024, 1, 2), ["amount"] = "n/a" },
        }, sheetName: "Orders");

        var run = Cli.Invoke(["analyze", workbook, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"rfm: {workbook}, sheet 'Orders': row 3, column 'amount': cannot read a number", run.OneLineError(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("damaged-1.xlsx")]
    [InlineData("damaged-2.xlsx")]
    [InlineData("damaged-3.xlsx")]
    [InlineData("damaged-4.xlsx")]
    public void DamagedWorkbook_IsADataError_NotAFaultOfTheTool(string name)
    {
        // Found by fuzzing: MiniExcel throws a null reference or a null argument from its own code on these.
        var workbook = Path.Combine(AppContext.BaseDirectory, "Data", name);

        var run = Cli.Invoke(["analyze", workbook, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^rfm: .*damaged-\d\.xlsx.*: the workbook is damaged: a part of it is missing or malformed\.?$", run.OneLineError());
    }

    [Fact]
    public void MissingFile_IsAUsageError()
    {
        var run = Cli.Invoke(["analyze", "/nonexistent/orders.csv", .. Columns]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("rfm: /nonexistent/orders.csv: no such file.", run.OneLineError());
    }

    [Fact]
    public void UnknownLayout_WithoutColumnFlags_IsAUsageError()
    {
        var input = Write("who,when,what\na,2024-01-01,1\n");

        var run = Cli.Invoke("analyze", input);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("rfm: The header is not one rfm knows (UCI Online Retail or Online Retail II); name the columns", run.OneLineError(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--as-of", "2024-13-01", "rfm: --as-of '2024-13-01': expected a date")]
    [InlineData("--preset", "fancy", "rfm: Unknown preset 'fancy': use default or tutorial.")]
    [InlineData("--bins", "11", "rfm: --bins '11': give a whole number from 2 to 10.")]
    [InlineData("--scoring", "median", "rfm: --scoring: Unknown scoring 'median'")]
    [InlineData("--scoring", "quantile,quantile", "rfm: --scoring takes one strategy for all metrics or three")]
    [InlineData("--scoring", "fixed:30/90", "rfm: --scoring with --bins 5: 2 fixed thresholds make 3 scores")]
    [InlineData("--bins", "abc", "rfm: --bins 'abc': give a whole number from 2 to 10.")]
    [InlineData("--delimiter", "ab", "rfm: --delimiter 'ab': give one ASCII character other than a letter, a digit or a double quote (such as , ; | or a space), or tab.")]
    [InlineData("--encoding", "klingon", "rfm: --encoding 'klingon': not an encoding")]
    [InlineData("--date-format", " ", "rfm: --date-format: the value is empty.")]
    [InlineData("--date-format", "%", "rfm: The date format '%' is not a valid .NET date format.")]
    [InlineData("--quantity", "amount", "rfm: Give --amount, or --quantity and --price, not both.")]
    [InlineData("--out", "", "rfm: --out: the file name is empty.")]
    [InlineData("--segments", "nope", "rfm: --segments 'nope': not a built-in map")]
    [InlineData("--bins", "4", "rfm: The segment map 'classic' is made for 5 scores, but the scoring gives 4")]
    [InlineData("--format", "xml", "rfm: --format 'xml': use csv or json.")]
    [InlineData("--bogus", "1", "rfm: Unrecognized command or argument '--bogus'.")]
    public void BadOption_IsAUsageError(string option, string value, string message)
    {
        var input = Write("customer,order,date,amount\na,1,2024-01-01,1\n");

        var run = Cli.Invoke(["analyze", input, .. ColumnsOnly, option, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(message, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidSegmentMapFile_IsADataError_NamingTheEntry()
    {
        var input = Write("customer,order,date,amount\na,1,2024-01-01,1\n");
        var map = Write("""{ "segments": [ { "key": "x", "r": "0-9" } ] }""", "map.json");

        var run = Cli.Invoke(["analyze", input, .. Columns, "--segments", map]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"rfm: {map}: segments[0].r: expected a score or a range", run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void DataError_LeavesAnExistingOutputFileAsItWas()
    {
        var folder = Cli.TempFolder();
        var input = Path.Combine(folder, "in.csv");
        File.WriteAllText(input, "customer,order,date,amount\na,1,2024-01-01,1\nb,2,yesterday,1\n");
        var output = Path.Combine(folder, "out.csv");
        File.WriteAllText(output, "last night's result");

        var run = Cli.Invoke(["analyze", input, .. Columns, "--out", output]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("last night's result", File.ReadAllText(output));
        Assert.Equal(2, Directory.GetFiles(folder).Length);
    }

    [Fact]
    public void OutputFolderMissing_IsAUsageError()
    {
        var input = Write("customer,order,date,amount\na,1,2024-01-01,1\n");

        var run = Cli.Invoke(["analyze", input, .. Columns, "--out", "/nonexistent/folder/out.csv"]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("rfm: --out /nonexistent/folder/out.csv: the folder", run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void NoCommand_IsAUsageError()
    {
        var run = Cli.Invoke();

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("rfm --help", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputThatIsTheInputOrAFolder_IsAUsageError_AndTheInputStays()
    {
        var input = Write("customer,order,date,amount\na,1,2024-01-01,1\n");
        var content = File.ReadAllText(input);

        var same = Cli.Invoke(["analyze", input, .. Columns, "--out", input]);
        var folder = Cli.Invoke(["analyze", input, .. Columns, "--out", Path.GetDirectoryName(input)!]);

        Assert.Equal(2, same.ExitCode);
        Assert.EndsWith("is the input file; name another file.", same.OneLineError(), StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(input));
        Assert.Equal(2, folder.ExitCode);
        Assert.EndsWith("is a folder; name a file.", folder.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void OutputThroughASymlink_WritesTheTarget_AndKeepsTheLink()
    {
        var input = Write("customer,order,date,amount\na,1,2024-01-01,1\n");
        var folder = Path.GetDirectoryName(input)!;
        var target = Path.Combine(folder, "target.csv");
        File.WriteAllText(target, "old");
        var link = Path.Combine(folder, "link.csv");
        File.CreateSymbolicLink(link, target);

        var run = Cli.Invoke(["analyze", input, .. Columns, "--out", link]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.StartsWith("customer_id,", File.ReadAllText(target), StringComparison.Ordinal);
    }

    [Fact]
    public void OutputThroughALinkedFolderOntoTheInput_IsRefused()
    {
        var input = Write("customer,order,date,amount\na,1,2024-01-01,1\n");
        var folder = Path.GetDirectoryName(input)!;
        var linkedFolder = folder + "-link";
        Directory.CreateSymbolicLink(linkedFolder, folder);
        var content = File.ReadAllText(input);

        var run = Cli.Invoke(["analyze", input, .. Columns, "--out", Path.Combine(linkedFolder, Path.GetFileName(input))]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(content, File.ReadAllText(input));
    }

    [Fact]
    public void RowsWithAnExtraField_AreRefused()
    {
        var input = Write("customer,order,date,amount\na,1,2024-01-01,1,99\n");

        var run = Cli.Invoke(["analyze", input, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"rfm: {input}: line 2: the record has 5 fields, but the header has 4.", run.OneLineError());
    }

    [Fact]
    public void NotANumber_SaysSo()
    {
        var input = Write("customer,order,date,amount\na,1,2024-01-01,NaN\n");

        var run = Cli.Invoke(["analyze", input, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot read a number", run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void TinyGzip_IsADataError()
    {
        var path = Path.Combine(Cli.TempFolder(), "tiny.csv.gz");
        File.WriteAllBytes(path, [0x1F, 0x8B]);

        var run = Cli.Invoke(["analyze", path, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"rfm: {path}: the file is too short to be gzip-compressed data.", run.OneLineError());
    }

    [Fact]
    public void OutputToADevice_IsWrittenDirectly()
    {
        var input = Write("customer,order,date,amount\na,1,2024-01-01,1\n");

        var run = Cli.Invoke(["analyze", input, .. Columns, "--out", "/dev/null"]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Empty(Directory.GetFiles("/dev", ".null.*"));
    }

    [Fact]
    public void TruncatedGzip_IsADataError()
    {
        var whole = File.ReadAllBytes(Cli.BundledData);
        var path = Path.Combine(Cli.TempFolder(), "cut.csv.gz");
        File.WriteAllBytes(path, whole[..(whole.Length * 2 / 5)]);

        var run = Cli.Invoke("analyze", path, "--as-of", "2011-12-11");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the gzip data ends early or is damaged", run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void NotUtf8_AfterAByteOrderMark_IsStillADataError()
    {
        // A byte-order mark must not switch the reader to a decoder that turns bad bytes into replacement characters.
        var path = Path.Combine(Cli.TempFolder(), "bom.csv");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "customer,order,date,amount\nM"u8, 0xFC, .. "ller,1,2024-01-01,10\nM"u8, 0xE4, .. "ller,2,2024-01-02,5\n"u8]);

        var run = Cli.Invoke(["analyze", path, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not valid in the encoding", run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void NotUtf8_IsADataError_UnlessTheEncodingIsNamed()
    {
        var path = Path.Combine(Cli.TempFolder(), "cp1252.csv");
        File.WriteAllBytes(path, [.. "customer,order,date,amount\nM"u8, 0xFC, .. "ller,1,2024-01-01,10\nM"u8, 0xE4, .. "ller,2,2024-01-02,5\n"u8]);

        var strict = Cli.Invoke(["analyze", path, .. Columns]);
        var named = Cli.Invoke(["analyze", path, .. Columns, "--encoding", "windows-1252", "--out", "-"]);

        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("not valid in the encoding", strict.OneLineError(), StringComparison.Ordinal);
        Assert.True(named.ExitCode == 0, named.Error);
        Assert.Contains("M\u00e4ller,", named.Out, StringComparison.Ordinal);
        Assert.Contains("M\u00fcller,", named.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ByteOrderMarkOnStandardInput_IsHonoured()
    {
        var run = Cli.WithInput("\uFEFFcustomer,order,date,amount\na,1,2024-01-01,1\n", ["analyze", "-", .. Columns]);

        Assert.True(run.ExitCode == 0, run.Error);
    }

    [Fact]
    public void BlankLines_AreCountedAsEmptyRows()
    {
        var input = Write("customer,order,date,amount\na,1,2024-01-01,10\n\n  ,,,\nb,2,2024-01-02,5\n\n");

        var run = Cli.Invoke(["analyze", input, .. Columns]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"excluded empty row\s+[23] rows", run.Out);
        Assert.Contains("customers 2", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedCsv_NamesTheLine()
    {
        var input = Write("customer,order,date,amount\na,1,2024-01-01,1\nb,2,2024-01-02,\"5\n");

        var run = Cli.Invoke(["analyze", input, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"rfm: {input}: line 3: the CSV is malformed", run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void RaggedRecord_SaysSo()
    {
        var input = Write("customer,order,date,amount\na,1,2024-01-01,1\nb,2,2024-01-02\n");

        var run = Cli.Invoke(["analyze", input, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"rfm: {input}: line 3: the record has 3 fields, but the header has 4.", run.OneLineError());
    }

    [Fact]
    public void MoneyOverflow_NamesTheLine()
    {
        var input = Write("customer,order,date,amount\na,1,2024-01-01,79228162514264337593543950335\nb,2,2024-01-02,1\n");

        var run = Cli.Invoke(["analyze", input, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"rfm: {input}: line 3: Adding 1 overflows", run.OneLineError(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("customer,order,date,amount\n")]
    [InlineData("customer,order,date,amount\na,1,2024-01-01,-5\n")]
    public void NoCustomerLeft_IsADataError(string content)
    {
        var input = Write(content);

        var run = Cli.Invoke(["analyze", input, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"rfm: {input}: no customer to analyse:", run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateColumnNames_AreADataError()
    {
        var input = Write("customer,order,date,amount,amount\na,1,2024-01-01,1,2\n");

        var run = Cli.Invoke(["analyze", input, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"rfm: {input}: column 'amount': 2 columns are named so (columns 4, 5); rename them or map the column by ordinal.", run.OneLineError());
    }

    [Theory]
    [InlineData("book.xls", "rfm: {0}: .xls files are not read; save the sheet as .xlsx or .csv.")]
    [InlineData("book.csv", "rfm: {0}: the file is a zip archive (a workbook?)")]
    [InlineData("data.csv.gz", "rfm: {0}: the file is not gzip-compressed")]
    public void WrongKindOfFile_IsRefusedBeforeReading(string name, string message)
    {
        var path = Path.Combine(Cli.TempFolder(), name);
        File.WriteAllBytes(path, [.. "PK\u0003\u0004"u8, .. new byte[100]]);

        var run = Cli.Invoke(["analyze", path, .. Columns]);

        Assert.InRange(run.ExitCode, 1, 2);
        Assert.StartsWith(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, path), run.OneLineError(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "bins": 5, "segments": [ { "key": "hi", "r": "6-10" } ] }""", "segments[0]: the rule names scores above 5")]
    [InlineData("""{ "bins": 5, "segments": [ { "key": "hi", "r": "3-9" } ] }""", "segments[0]: the rule names scores above 5")]
    [InlineData("""{ "segments": [ { "key": "hi", "r": "1-2", "r": "5" } ] }""", "not valid JSON")]
    [InlineData("""{ "segments": [ { "key": "hi", "r": "5", "M": "4-5" } ] }""", "segments[0]: unknown property \"M\"")]
    [InlineData("""{ "segments": [ { "key": "hi", "r": "5" }, ] """, "not valid JSON at line 1")]
    public void Segments_InvalidMapFile_IsADataError(string json, string message)
    {
        var map = Write(json, "map.json");

        var run = Cli.Invoke("segments", map);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void Segments_BinsOtherThanTheMaps_IsAUsageError()
    {
        var run = Cli.Invoke("segments", "classic", "--bins", "3");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("rfm: --bins 3: the map 'classic' is made for 5 scores.", run.OneLineError());
    }
}
