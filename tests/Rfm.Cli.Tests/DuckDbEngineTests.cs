using System.Globalization;
using System.Text;
using MiniExcelLibs;

namespace Rfm.Cli.Tests;

/// <summary>
/// <c>rfm analyze --engine duckdb</c> against the in-memory engine on the same input: the same customers (money compared
/// as numbers, since DuckDB gives money back at its column's scale: 10.50 may come back as 10.5) and the same summary,
/// or the same one-line error and exit code.
/// </summary>
public sealed class DuckDbEngineTests
{
    private static readonly string[] Columns = ["--customer", "customer", "--date", "day", "--amount", "amount"];

    [Fact]
    public void DuckDbEngine_Offset_ConvertedToUtcAsInMemory()
    {
        // 23:30 at UTC-8 is 07:30 UTC the next day: after the analysis date, so a's only purchase does not count.
        var (memory, duckdb) = Both(
            "customer,day,amount\na,2024-06-30T23:30:00-08:00,10\nb,2024-06-30 12:00:00,5\nc,2024-07-01T01:00:00+02:00,7\n",
            [.. Columns, "--as-of", "2024-07-01"]);

        Assert.True(memory.Run.ExitCode == 0, memory.Run.Error);
        Assert.Equal(["b", "c"], memory.Customers.Select(c => c[0]));
        AssertSame(memory, duckdb);
    }

    [Fact]
    public void DuckDbEngine_SubMicrosecond_RefusedAsInMemory()
    {
        var (memory, duckdb) = Both("customer,day,amount\na,2024-06-01,10\nb,2024-07-01 00:00:00.0000001,5\n", [.. Columns, "--as-of", "2024-08-01"]);

        Assert.Equal(1, memory.Run.ExitCode);
        Assert.Contains("line 3, column 'day'", memory.Run.Error, StringComparison.Ordinal);
        AssertSame(memory, duckdb);
    }

    [Theory]
    [InlineData("2024-1-5")]
    [InlineData("2024/01/06")]
    [InlineData("2024-01-06 5:00")]
    public void DuckDbEngine_NonIsoDates_RefusedAsInMemory(string date)
    {
        var (memory, duckdb) = Both($"customer,day,amount\na,2024-06-01,10\nb,{date},5\n", [.. Columns, "--as-of", "2024-08-01"]);

        Assert.Equal(1, memory.Run.ExitCode);
        Assert.Contains($"line 3, column 'day': cannot read a date", memory.Run.Error, StringComparison.Ordinal);
        AssertSame(memory, duckdb);
    }

    [Fact]
    public void DuckDbEngine_DuplicatedHeader_RefusedAsInMemory()
    {
        var (memory, duckdb) = Both("customer,day,amount,amount\na,2024-06-01,10,20\n", [.. Columns, "--as-of", "2024-08-01"]);

        Assert.Equal(1, memory.Run.ExitCode);
        Assert.Contains("2 columns are named so", memory.Run.Error, StringComparison.Ordinal);
        AssertSame(memory, duckdb);
    }

    [Theory]
    [InlineData("Customer,DAY, Amount ")]
    [InlineData("customer,day,AMOUNT,amount")]
    public void DuckDbEngine_CaseVariantHeader_FindsTheColumnsAsInMemory(string header)
    {
        var rows = header.Split(',').Length == 4 ? "a,2024-06-01,99,10\nb,2024-06-02,99,5\n" : "a,2024-06-01,10\nb,2024-06-02,5\n";
        var (memory, duckdb) = Both($"{header}\n{rows}", [.. Columns, "--as-of", "2024-08-01"]);

        Assert.True(memory.Run.ExitCode == 0, memory.Run.Error);
        Assert.Equal(["10", "5"], memory.Customers.Select(c => c[3]));
        AssertSame(memory, duckdb);
    }

    [Fact]
    public void DuckDbEngine_TrailingField_InTheHeaderToo_ReadAsInMemory()
    {
        var (memory, duckdb) = Both("customer,day,amount,\na,2024-06-01,1,\nb,2024-06-02,2,\n", [.. Columns, "--as-of", "2024-08-01"]);

        Assert.True(memory.Run.ExitCode == 0, memory.Run.Error);
        Assert.Equal(2, memory.Customers.Count);
        AssertSame(memory, duckdb);
    }

    [Fact]
    public void DuckDbEngine_TrailingField_OnlyInARow_RefusedAsInMemory()
    {
        var (memory, duckdb) = Both("customer,day,amount\na,2024-06-01,1\nb,2024-06-02,2,\n", [.. Columns, "--as-of", "2024-08-01"]);

        Assert.Equal(1, memory.Run.ExitCode);
        Assert.Contains("line 3: the record has 4 fields, but the header has 3", memory.Run.Error, StringComparison.Ordinal);
        AssertSame(memory, duckdb);
    }

    [Fact]
    public void DuckDbEngine_BlankLines_CountedAsEmptyRows()
    {
        var (memory, duckdb) = Both("customer,day,amount\na,2024-06-01,1\n\nb,2024-06-02,2\n\n,,\nc,2024-06-03,3\n", [.. Columns, "--as-of", "2024-08-01"]);

        Assert.True(memory.Run.ExitCode == 0, memory.Run.Error);
        Assert.Contains("excluded empty row                              3 rows", memory.Run.Out, StringComparison.Ordinal);
        Assert.Equal(3, memory.Customers.Count);
        AssertSame(memory, duckdb);
    }

    [Fact]
    public void DuckDbEngine_ControlCharactersInIds_KeptAsInMemory()
    {
        var (memory, duckdb) = Both("customer,day,amount\n\"c\u0000d\",2024-06-01,1\nc,2024-06-02,2\n\"e\u0001\u001b\",2024-06-03,3\n", [.. Columns, "--as-of", "2024-08-01"]);

        Assert.True(memory.Run.ExitCode == 0, memory.Run.Error);
        Assert.Equal(3, memory.Customers.Count);
        AssertSame(memory, duckdb);
    }

    [Theory]
    [InlineData("customer,day,amount\na,2024-06-01,1\nb,2024-06-02\n", "line 3: the record has 2 fields")]
    [InlineData("customer,day,amount\na,2024-06-01,1\nb,2024-06-02,2,3,4\n", "line 3: the record has 5 fields")]
    [InlineData("customer,day,amount\na,2024-06-01,1\n\"b\nc\",2024-06-02,2\nd\n", "line 4: the record has 1 fields")]
    public void DuckDbEngine_RaggedRow_RefusedAsInMemory(string content, string message)
    {
        var (memory, duckdb) = Both(content, [.. Columns, "--as-of", "2024-08-01"]);

        Assert.Equal(1, memory.Run.ExitCode);
        Assert.Contains(message, memory.Run.Error, StringComparison.Ordinal);
        AssertSame(memory, duckdb);
    }

    [Fact]
    public void DuckDbEngine_ExponentAmounts_ReadAsInMemory()
    {
        var (memory, duckdb) = Both(
            "customer,day,amount\na,2024-06-01,1.5e3\nb,2024-06-02,2E-2\nc,2024-06-03,1.1234567\nd,2024-06-04, 12.50 \nd,2024-06-05,.5\n",
            [.. Columns, "--as-of", "2024-08-01"]);

        Assert.True(memory.Run.ExitCode == 0, memory.Run.Error);
        Assert.Equal([1500m, 0.02m, 1.1234567m, 13m], memory.Customers.Select(c => decimal.Parse(c[3], CultureInfo.InvariantCulture)));
        AssertSame(memory, duckdb);
    }

    // More than 18 digits: loaded as DECIMAL(38, S) straight from the text rather than through DECIMAL(18, S).
    [Fact]
    public void DuckDbEngine_WideAmounts_ReadAsInMemory()
    {
        var (memory, duckdb) = Both("customer,day,amount\na,2024-06-01,12345678901234567890.5\nb,2024-06-02,0.25\nb,2024-06-03,1e20\n", [.. Columns, "--as-of", "2024-08-01"]);

        Assert.True(memory.Run.ExitCode == 0, memory.Run.Error);
        Assert.Equal([12345678901234567890.5m, 100000000000000000000.25m], memory.Customers.Select(c => decimal.Parse(c[3], CultureInfo.InvariantCulture)));
        AssertSame(memory, duckdb);
    }

    [Fact]
    public void DuckDbEngine_QuantityAndPrice_MultipliedExactlyAsInMemory()
    {
        var (memory, duckdb) = Both(
            "customer,order,day,qty,price\na,1,2024-06-01,3,0.3333333333\na,2,2024-06-02,1e2,1.25\nb,C3,2024-06-03,-1,5\nb,4,2024-06-04,2,2.5\n",
            ["--customer", "customer", "--order", "order", "--date", "day", "--quantity", "qty", "--price", "price", "--as-of", "2024-08-01"]);

        Assert.True(memory.Run.ExitCode == 0, memory.Run.Error);
        Assert.Equal([125.9999999999m, 5m], memory.Customers.Select(c => decimal.Parse(c[3], CultureInfo.InvariantCulture)));
        AssertSame(memory, duckdb);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("1e40")]
    [InlineData("1,5")]
    public void DuckDbEngine_UnreadableAmount_RefusedAsInMemory(string amount)
    {
        var (memory, duckdb) = Both($"customer,day,amount\na,2024-06-01,1\nb,2024-06-02,\"{amount}\"\n", [.. Columns, "--as-of", "2024-08-01"]);

        Assert.Equal(1, memory.Run.ExitCode);
        Assert.Contains("line 3, column 'amount'", memory.Run.Error, StringComparison.Ordinal);
        AssertSame(memory, duckdb);
    }

    [Fact]
    public void DuckDbEngine_MissingDate_RefusedAsInMemory()
    {
        var (memory, duckdb) = Both("customer,day,amount\na,2024-06-01,1\nb,,3\n", [.. Columns, "--as-of", "2024-08-01"]);

        Assert.Equal(1, memory.Run.ExitCode);
        Assert.Contains("column 'day'", memory.Run.Error, StringComparison.Ordinal);
        AssertSame(memory, duckdb);
    }

    [Fact]
    public void DuckDbEngine_MissingColumn_RefusedAsInMemory()
    {
        var (memory, duckdb) = Both("customer,day,total\na,2024-06-01,1\n", [.. Columns, "--as-of", "2024-08-01"]);

        Assert.Equal(1, memory.Run.ExitCode);
        Assert.Contains("column 'amount': there is no such column", memory.Run.Error, StringComparison.Ordinal);
        AssertSame(memory, duckdb);
    }

    [Fact]
    public void DuckDbEngine_NoCustomerLeft_RefusedAsInMemory()
    {
        var (memory, duckdb) = Both("customer,day,amount\n,2024-06-01,1\na,2024-09-01,2\n\n", [.. Columns, "--as-of", "2024-08-01"]);

        Assert.Equal(1, memory.Run.ExitCode);
        Assert.Contains("no customer to analyse: 3 rows read", memory.Run.Error, StringComparison.Ordinal);
        AssertSame(memory, duckdb);
    }

    [Fact]
    public void DuckDbEngine_DateFormat_ReadAsInMemory()
    {
        var (memory, duckdb) = Both(
            "customer,day,amount\na,01/06/2024 10:30,1\nb,02/06/2024 23:59,2\nb,31/07/2024 00:00,3\n",
            [.. Columns, "--date-format", "dd/MM/yyyy HH:mm", "--as-of", "2024-08-01"]);

        Assert.True(memory.Run.ExitCode == 0, memory.Run.Error);
        Assert.Equal(["60", "1"], memory.Customers.Select(c => c[1]));
        AssertSame(memory, duckdb);
    }

    [Fact]
    public void DuckDbEngine_DateFormat_UnreadableDate_RefusedAsInMemory()
    {
        var (memory, duckdb) = Both("customer,day,amount\na,01/06/2024,1\nb,2024-06-02,2\n", [.. Columns, "--date-format", "dd/MM/yyyy", "--as-of", "2024-08-01"]);

        Assert.Equal(1, memory.Run.ExitCode);
        Assert.Contains("line 3, column 'day': cannot read a date; expected a date in the format 'dd/MM/yyyy'", memory.Run.Error, StringComparison.Ordinal);
        AssertSame(memory, duckdb);
    }

    [Fact]
    public void DuckDbEngine_Encoding_ReadAsInMemory()
    {
        var latin1 = Encoding.Latin1.GetBytes("customer,day,amount\nMüller,2024-06-01,1\nMäller,2024-06-02,2\n");
        var (memory, duckdb) = Both(latin1, [.. Columns, "--encoding", "latin1", "--as-of", "2024-08-01"]);

        Assert.True(memory.Run.ExitCode == 0, memory.Run.Error);
        Assert.Equal(["Mäller", "Müller"], memory.Customers.Select(c => c[0]).Order(StringComparer.Ordinal));
        AssertSame(memory, duckdb);
    }

    [Fact]
    public void DuckDbEngine_InvalidUtf8_RefusedAsInMemory()
    {
        var bytes = Encoding.Latin1.GetBytes("customer,day,amount\nMüller,2024-06-01,1\n");
        var (memory, duckdb) = Both(bytes, [.. Columns, "--as-of", "2024-08-01"]);

        Assert.Equal(1, memory.Run.ExitCode);
        AssertSame(memory, duckdb);
    }

    [Theory]
    [InlineData("customer,day,amount\na,2024-06-01,1\nb,2024-06-02,2\n")]
    [InlineData("customer,day,amount\na,2024-06-01,1\nb,2024-06-02,x\n")]
    public void DuckDbEngine_StandardInput_ReadAsInMemory(string content)
    {
        string[] options = [.. Columns, "--as-of", "2024-08-01", "--quiet", "--out", "-"];

        var memory = Cli.WithInput(content, ["analyze", "-", .. options]);
        var duckdb = Cli.WithInput(content, ["analyze", "-", .. options, "--engine", "duckdb"]);

        Assert.Equal(memory.ExitCode, duckdb.ExitCode);
        Assert.Equal(memory.Out, duckdb.Out);
        Assert.Equal(memory.Error, duckdb.Error);
        Assert.Contains(content.EndsWith("x\n", StringComparison.Ordinal) ? "standard input: line 3, column 'amount'" : "a,61,1,", memory.Out + memory.Error, StringComparison.Ordinal);
    }

    // A pipe is read once: the DuckDB engine keeps a copy, so that the in-memory engine can read it again to refuse.
    [Theory]
    [InlineData("customer,day,amount\na,2024-06-01,1\nb,2024-06-02,2\n")]
    [InlineData("customer,day,amount\na,2024-06-01,1\nb,2024-06-02,2x\n")]
    [InlineData("customer,day,amount\na,2024-06-01,1\nb,2024-06-02\n")]
    public async Task DuckDbEngine_NamedPipe_ReadAsInMemory(string content)
    {
        string[] options = [.. Columns, "--as-of", "2024-08-01", "--quiet", "--out", "-"];
        var runs = new List<CliRun>();
        foreach (var engine in new[] { "memory", "duckdb" })
        {
            var fifo = Path.Combine(Cli.TempFolder(), "orders.csv");
            using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
            {
                await mkfifo.WaitForExitAsync();
                Assert.Equal(0, mkfifo.ExitCode);
            }

            var writer = Task.Run(() =>
            {
                using var pipe = new FileStream(fifo, FileMode.Open, FileAccess.Write);
                pipe.Write(Encoding.UTF8.GetBytes(content));
            });
            var run = Cli.Invoke(["analyze", fifo, .. options, "--engine", engine]);

            // A run that never opened the pipe fails the test instead of hanging it.
            await writer.WaitAsync(TimeSpan.FromMinutes(1));
            runs.Add(run with { Error = run.Error.Replace(fifo, "FILE", StringComparison.Ordinal) });
        }

        Assert.Equal(runs[0].ExitCode, runs[1].ExitCode);
        Assert.Equal(runs[0].Out, runs[1].Out);
        Assert.Equal(runs[0].Error, runs[1].Error);
        Assert.Contains(content.Contains('x', StringComparison.Ordinal) ? "rfm: FILE: line 3, column 'amount'" : content.EndsWith("-02\n", StringComparison.Ordinal) ? "rfm: FILE: line 3: the record has 2 fields" : "b,60,1,2,", runs[0].Out + runs[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public void DuckDbEngine_GzipFile_ReadAsInMemory()
    {
        var folder = Cli.TempFolder();
        var file = Path.Combine(folder, "orders.csv.gz");
        using (var gzip = new System.IO.Compression.GZipStream(File.Create(file), System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes("customer,day,amount\na,2024-06-01,1\nb,2024-06-02,2\n\n"));
        }

        var memory = Analyze(file, folder, "memory", [.. Columns, "--as-of", "2024-08-01"]);
        var duckdb = Analyze(file, folder, "duckdb", [.. Columns, "--as-of", "2024-08-01"]);

        Assert.True(memory.Run.ExitCode == 0, memory.Run.Error);
        Assert.Equal(2, memory.Customers.Count);
        AssertSame(memory, duckdb);
    }

    // DuckDB's decimals hold 38 digits at the column's scale (the product's scale is the sum of the two): more is
    // refused with that reason, though every value and the in-memory engine's totals are exact decimals.
    [Theory]
    [InlineData("0.00000000000000000001,100000000000000000000\nb,2024-06-02,1,0.00000000000000000001", "price", 21, 20)]
    [InlineData("0.0000000001,10000000000\nb,2024-06-02,1,0.00000000000000000001\nc,2024-06-02,0.00000000000000000001,1", "qty x price", 1, 40)]
    public void DuckDbEngine_MoneyBeyondDuckDbsDecimals_IsRefusedWithItsReason(string rows, string column, int before, int after)
    {
        var (memory, duckdb) = Both($"customer,day,qty,price\na,2024-06-01,{rows}\n", ["--customer", "customer", "--date", "day", "--quantity", "qty", "--price", "price", "--as-of", "2024-08-01"]);

        Assert.True(memory.Run.ExitCode == 0, memory.Run.Error);
        Assert.Equal(1, duckdb.Run.ExitCode);
        Assert.Equal(
            $"rfm: {duckdb.File}: column '{column}': the values need {before + after} digits ({before} before the point, {after} after it), more than the 38 of DuckDB's exact decimals; use the in-memory engine.",
            duckdb.Run.OneLineError());
    }

    [Fact]
    public void DuckDbEngine_Workbook_IsAUsageError()
    {
        var folder = Cli.TempFolder();
        var workbook = Path.Combine(folder, "orders.xlsx");
        MiniExcel.SaveAs(workbook, new[] { new { customer = "a", day = "2024-06-01", amount = 1 } });

        var run = Cli.Invoke(["analyze", workbook, .. Columns, "--engine", "duckdb"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("rfm: --engine duckdb reads CSV text; use the in-memory engine for workbooks.", run.OneLineError());
    }

    private static (Outcome Memory, Outcome DuckDb) Both(string content, string[] options) => Both(Encoding.UTF8.GetBytes(content), options);

    private static (Outcome Memory, Outcome DuckDb) Both(byte[] content, string[] options)
    {
        var folder = Cli.TempFolder();
        var file = Path.Combine(folder, "orders.csv");
        File.WriteAllBytes(file, content);
        return (Analyze(file, folder, "memory", options), Analyze(file, folder, "duckdb", options));
    }

    private static Outcome Analyze(string file, string folder, string engine, string[] options)
    {
        var output = Path.Combine(folder, engine + ".csv");
        var run = Cli.Invoke(["analyze", file, .. options, "--engine", engine, "--out", output]);
        var customers = File.Exists(output) ? File.ReadAllLines(output).Skip(1).Select(line => line.Split(',')).ToList() : [];
        return new Outcome(run, file, customers);
    }

    // The same customers (money as numbers) and summary, or the same one-line error and exit code.
    private static void AssertSame(Outcome memory, Outcome duckdb)
    {
        Assert.Equal(memory.Run.ExitCode, duckdb.Run.ExitCode);
        if (memory.Run.ExitCode != 0)
        {
            Assert.Equal(memory.Run.OneLineError(), duckdb.Run.OneLineError());
            Assert.Empty(duckdb.Customers);
            return;
        }

        Assert.True(duckdb.Run.Error.Length == 0, duckdb.Run.Error);
        Assert.Equal(ByValue(memory.Customers), ByValue(duckdb.Customers));
        Assert.Equal(WithoutTrailingZeros(memory.Run.Out), WithoutTrailingZeros(duckdb.Run.Out));
    }

    private static List<string> ByValue(List<string[]> customers) => [.. customers.Select(fields =>
        string.Join(',', fields.Select((field, i) => i == 3 ? decimal.Parse(field, CultureInfo.InvariantCulture).ToString("G29", CultureInfo.InvariantCulture) : field)))];

    // Every decimal number written as its value: 13.00 and 13 alike.
    private static string WithoutTrailingZeros(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"\d+\.\d+", number => decimal.Parse(number.Value, CultureInfo.InvariantCulture).ToString("G29", CultureInfo.InvariantCulture));

    private sealed record Outcome(CliRun Run, string File, List<string[]> Customers);
}
