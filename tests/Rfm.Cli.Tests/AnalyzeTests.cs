using System.Globalization;
using System.IO.Compression;
using System.Text;
using MiniExcelLibs;

namespace Rfm.Cli.Tests;

public sealed class AnalyzeTests
{
    private const string Header = "customer_id,recency,frequency,monetary,r,f,m,segment";

    [Fact]
    public void Tutorial_BundledData_WritesPandasGoldenAndSummary()
    {
        var folder = Cli.TempFolder();
        var output = Path.Combine(folder, "customers.csv");

        var run = Cli.Invoke("analyze", Cli.BundledData, "--preset", "tutorial", "--as-of", "2011-12-11", "--out", output);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(File.ReadAllText(Cli.Golden), File.ReadAllText(output));
        Assert.Contains("rows read 541,909", run.Out, StringComparison.Ordinal);
        Assert.Contains("excluded missing customer", run.Out, StringComparison.Ordinal);
        Assert.Contains("UCI Online Retail columns", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"champions\s+633\s+14\.6 %", run.Out);
        Assert.Equal(string.Empty, run.Error);
        Assert.Single(Directory.GetFiles(folder));
    }

    [Fact]
    public void Summary_VeryLargeValues_WidenTheirColumnsInsteadOfRunningTogether()
    {
        var input = Path.Combine(Cli.TempFolder(), "big.csv");
        File.WriteAllText(input, "customer,date,amount\na,1000-01-01,10\nb,2024-01-02,5\nc,2024-01-03,100000000000000\nc,2024-01-04,-5\n");

        var run = Cli.Invoke("analyze", input, "--customer", "customer", "--date", "date", "--amount", "amount", "--as-of", "2024-01-05", "--segments", "eleven-segments");

        Assert.True(run.ExitCode == 0, run.Error);
        var lines = run.Out.Split('\n');
        var header = lines.Single(line => line.StartsWith("segment ", StringComparison.Ordinal));
        var other = lines.Single(line => line.StartsWith("other ", StringComparison.Ordinal));
        Assert.Matches(@"^other +2 +66\.7 % +187,007\.0 +1\.0 +50,000,000,000,005\.00 +100,000,000,000,010\.00  Review ", other);

        // Each number ends where its column's heading does.
        foreach (var (heading, value) in new[] { ("share", "66.7 %"), ("recency", "187,007.0"), ("monetary", "50,000,000,000,005.00"), ("revenue", "100,000,000,000,010.00") })
        {
            Assert.Equal(header.IndexOf(heading, StringComparison.Ordinal) + heading.Length, other.IndexOf(value, StringComparison.Ordinal) + value.Length);
        }
    }

    [Fact]
    public void PlainCsv_AnyNumberOfThreads_GivesTheGoldenOutputAndTheSameSummary()
    {
        var folder = Cli.TempFolder();
        var csv = Path.Combine(folder, "online_retail.csv");
        using (var gzip = new GZipStream(File.OpenRead(Cli.BundledData), CompressionMode.Decompress))
        using (var plain = File.Create(csv))
        {
            gzip.CopyTo(plain);
        }

        var summaries = new List<string>();
        foreach (var threads in new[] { "1", "2", "5" })
        {
            var output = Path.Combine(folder, $"customers-{threads}.csv");
            var run = Cli.Invoke("analyze", csv, "--preset", "tutorial", "--as-of", "2011-12-11", "--threads", threads, "--out", output);

            Assert.True(run.ExitCode == 0, run.Error);
            Assert.Equal(File.ReadAllText(Cli.Golden), File.ReadAllText(output));
            summaries.Add(run.Out);
        }

        Assert.All(summaries, summary => Assert.Equal(summaries[0], summary));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1.5")]
    [InlineData("two")]
    public void Threads_NotAPositiveNumber_IsAUsageError(string threads)
    {
        var run = Cli.Invoke("analyze", Cli.BundledData, "--threads", threads);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"rfm: --threads '{threads}': give a whole number from 1 to 1024.", run.OneLineError());
    }

    [Fact]
    public void Tutorial_Output_EqualsTheLibrarysResult()
    {
        var folder = Cli.TempFolder();
        var output = Path.Combine(folder, "customers.csv");
        Cli.Invoke("analyze", Cli.BundledData, "--preset", "tutorial", "--as-of", "2011-12-11", "--out", output);

        using var text = new StreamReader(new GZipStream(File.OpenRead(Cli.BundledData), CompressionMode.Decompress));
        using var reader = Sylvan.Data.Csv.CsvDataReader.Create(text);
        var library = RfmCalculator.Tutorial.Calculate(reader, TransactionColumns.OnlineRetail, new DateTime(2011, 12, 11));
        var expected = new StringBuilder(Header + "\n");
        foreach (var c in library.Customers)
        {
            expected.Append(CultureInfo.InvariantCulture, $"{c.CustomerId},{c.Metrics.Recency},{c.Metrics.Frequency},{c.Metrics.Monetary},{c.Score.R},{c.Score.F},{c.Score.M},{c.Segment.Key}\n");
        }

        Assert.Equal(expected.ToString(), File.ReadAllText(output));
    }

    [Fact]
    public void Xlsx_WithTheSameRows_GivesTheSameOutput()
    {
        var folder = Cli.TempFolder();
        var workbook = Path.Combine(folder, "online_retail.xlsx");
        MiniExcel.SaveAs(workbook, new Dictionary<string, object> { ["Notes"] = new[] { new { Note = "the data is on the next sheet" } }, ["Online Retail"] = OnlineRetailRows() });
        var fromCsv = Path.Combine(folder, "csv.csv");
        var fromXlsx = Path.Combine(folder, "xlsx.csv");

        var csvRun = Cli.Invoke("analyze", Cli.BundledData, "--preset", "tutorial", "--as-of", "2011-12-11", "--out", fromCsv);
        var xlsxRun = Cli.Invoke("analyze", workbook, "--sheet", "Online Retail", "--preset", "tutorial", "--as-of", "2011-12-11", "--out", fromXlsx);

        Assert.True(xlsxRun.ExitCode == 0, xlsxRun.Error);
        Assert.Equal(File.ReadAllText(fromCsv), File.ReadAllText(fromXlsx));
        Assert.Equal(csvRun.Out.Split('\n').Skip(1), xlsxRun.Out.Split('\n').Skip(1));
    }

    [Fact]
    public void DefaultAsOf_IsTheDayAfterTheLastPurchase()
    {
        var run = Cli.Invoke("analyze", Cli.BundledData, "--preset", "tutorial");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("as of 2011-12-10 00:00", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("customer,order,date,amount\r\na,1,2024-01-01,10\r\nb,2,2024-01-02,5\r\n", "crlf")]
    [InlineData("\uFEFFcustomer,order,date,amount\na,1,2024-01-01,10\nb,2,2024-01-02,5\n", "bom")]
    [InlineData("customer;order;date;amount\na;1;2024-01-01;10\nb;2;2024-01-02;5\n", "semicolons")]
    [InlineData("customer\torder\tdate\tamount\na\t1\t2024-01-01\t10\nb\t2\t2024-01-02\t5\n", "tabs")]
    [InlineData("customer,order,date,amount\n\"a\",\"1\",\"2024-01-01\",\"10\"\n\"b\",2,2024-01-02,5\n", "quoted")]
    public void CraftedCsv_IsReadTheSameWay(string content, string name)
    {
        var folder = Cli.TempFolder();
        var input = Path.Combine(folder, name + ".csv");
        File.WriteAllText(input, content, new UTF8Encoding(false));
        var output = Path.Combine(folder, "out.csv");

        var run = Cli.Invoke("analyze", input, "--customer", "customer", "--order", "order", "--date", "date", "--amount", "amount", "--as-of", "2024-01-03", "--out", output);

        Assert.True(run.ExitCode == 0, run.Error);
        // Two customers: the older, bigger buyer gets R1 M5; the recent one R5 M1 (new_customers on the grid).
        Assert.Equal(Header + "\na,2,1,10,1,1,5,hibernating\nb,1,1,5,5,1,1,new_customers\n", File.ReadAllText(output));
    }

    [Fact]
    public void QuotedIdsWithSeparatorsAndQuotes_RoundTrip()
    {
        var folder = Cli.TempFolder();
        var input = Path.Combine(folder, "quotes.csv");
        File.WriteAllText(input, "customer,date,amount\n\"Smith, J\",2024-01-01,10\n\"say \"\"hi\"\"\",2024-01-02,5\n");
        var output = Path.Combine(folder, "out.csv");

        var run = Cli.Invoke("analyze", input, "--customer", "customer", "--date", "date", "--amount", "amount", "--as-of", "2024-01-03", "--out", output);

        Assert.True(run.ExitCode == 0, run.Error);
        var lines = File.ReadAllLines(output);
        Assert.StartsWith("\"Smith, J\",2,1,10,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("\"say \"\"hi\"\"\",1,1,5,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void GzipAndStandardInput_GiveTheSameOutput()
    {
        var folder = Cli.TempFolder();
        var content = "customer,order,date,amount\na,1,2024-01-01,10\nb,2,2024-01-02,5\na,3,2024-01-02,1\n";
        var gz = Path.Combine(folder, "in.csv.gz");
        using (var stream = new GZipStream(File.Create(gz), CompressionLevel.Optimal))
        {
            stream.Write(Encoding.UTF8.GetBytes(content));
        }

        string[] options = ["--customer", "customer", "--order", "order", "--date", "date", "--amount", "amount", "--as-of", "2024-01-03", "--out", "-"];
        var fromGzip = Cli.Invoke(["analyze", gz, .. options]);
        var fromStdin = Cli.WithInput(content, ["analyze", "-", .. options]);

        Assert.Equal(0, fromGzip.ExitCode);
        Assert.StartsWith(Header, fromGzip.Out, StringComparison.Ordinal);
        Assert.Equal(fromGzip.Out, fromStdin.Out);
        Assert.Contains("standard input", fromStdin.Error, StringComparison.Ordinal); // the summary moves to stderr
    }

    [Fact]
    public void Json_HasCustomersSegmentsScoringAndIngestion()
    {
        var folder = Cli.TempFolder();
        var output = Path.Combine(folder, "result.json");

        var run = Cli.Invoke("analyze", Cli.BundledData, "--preset", "tutorial", "--as-of", "2011-12-11", "--out", output);

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(output));
        var root = json.RootElement;
        Assert.Equal(4339, root.GetProperty("customers").GetArrayLength());
        var first = root.GetProperty("customers")[0];
        Assert.Equal("12346", first.GetProperty("customerId").GetString());
        Assert.Equal(77183.60m, first.GetProperty("monetary").GetDecimal());
        Assert.Equal("hibernating", first.GetProperty("segment").GetString());
        Assert.Equal(541909, root.GetProperty("ingestion").GetProperty("rowsRead").GetInt64());
        Assert.Equal(3, root.GetProperty("scoring").GetArrayLength());
        Assert.Equal(10, root.GetProperty("segments").GetArrayLength());

        // Each score's value range is the one behind the score customers got: for recency, 5 is the most recent.
        var recency = root.GetProperty("scoring")[0].GetProperty("bands").EnumerateArray().ToDictionary(b => b.GetProperty("score").GetInt32());
        Assert.True(recency[5].GetProperty("max").GetDecimal() < recency[1].GetProperty("min").GetDecimal());
    }

    [Fact]
    public void ScoringBinsAndSegmentsOptions_AreApplied()
    {
        var folder = Cli.TempFolder();
        var map = Path.Combine(folder, "map.json");
        File.WriteAllText(map, """{ "name": "two", "segments": [ { "key": "top", "r": "3", "f": "3" } ] }""");
        var output = Path.Combine(folder, "out.csv");

        var run = Cli.Invoke("analyze", Cli.BundledData, "--bins", "3", "--scoring", "fixed:30/180,rank-quantile,quantile", "--segments", map, "--as-of", "2011-12-11", "--out", output);

        Assert.True(run.ExitCode == 0, run.Error);
        var rows = File.ReadAllLines(output).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(rows, r => Assert.InRange(int.Parse(r[4], CultureInfo.InvariantCulture), 1, 3));
        Assert.All(rows, r => Assert.Equal(int.Parse(r[1], CultureInfo.InvariantCulture) <= 30 ? "3" : r[4], r[4]));
        Assert.Equal(["other", "top"], rows.Select(r => r[7]).Distinct().Order());
        Assert.Contains("fixed", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlineRetailIIHeader_IsRecognised()
    {
        var folder = Cli.TempFolder();
        var input = Path.Combine(folder, "ii.csv");
        File.WriteAllText(input, "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n489434,85048,X,12,2009-12-01 07:45:00,6.95,13085.0,United Kingdom\n");

        var run = Cli.Invoke("analyze", input, "--as-of", "2009-12-02");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("UCI Online Retail II columns", run.Out, StringComparison.Ordinal);
        Assert.Contains("customers 1", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void RealProcess_RunsAndExits()
    {
        var ok = Cli.Process("analyze", Cli.BundledData, "--as-of", "2011-12-11", "--quiet");
        var usage = Cli.Process("analyze", Cli.BundledData, "--as-of", "tomorrow");

        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("champions", ok.Out, StringComparison.Ordinal);
        Assert.Equal(2, usage.ExitCode);
        Assert.Equal("rfm: --as-of 'tomorrow': expected a date like 2011-12-11 or 2011-12-11T08:00:00.", usage.OneLineError());
    }

    private static IEnumerable<Dictionary<string, object?>> OnlineRetailRows()
    {
        using var text = new StreamReader(new GZipStream(File.OpenRead(Cli.BundledData), CompressionMode.Decompress));
        using var csv = Sylvan.Data.Csv.CsvDataReader.Create(text);
        while (csv.Read())
        {
            // Typed cells as a spreadsheet holds them: numbers, real dates, empty cells for missing customers.
            yield return new Dictionary<string, object?>
            {
                ["InvoiceNo"] = csv.GetString(0),
                ["StockCode"] = csv.GetString(1),
                ["Description"] = csv.GetString(2),
                ["Quantity"] = int.Parse(csv.GetString(3), CultureInfo.InvariantCulture),
                ["InvoiceDate"] = DateTime.ParseExact(csv.GetString(4), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                ["UnitPrice"] = double.Parse(csv.GetString(5), CultureInfo.InvariantCulture),
                ["CustomerID"] = csv.GetString(6) is "" ? null : int.Parse(csv.GetString(6), CultureInfo.InvariantCulture),
                ["Country"] = csv.GetString(7),
            };
        }
    }
}
