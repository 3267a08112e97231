using System.IO.Compression;
using System.Text;
using DuckDB.NET.Data;
using Rfm;
using Rfm.Analytics;
using Rfm.Lifetimes;
using Rfm.Scoring;
using Rfm.Segmentation;
using Rfm.Sql;
using Sylvan.Data.Csv;

// Outside the Rfm namespace on purpose: the examples must compile with the usings the README shows.
namespace ReadmeExamples;

/// <summary>Tests that redirect the process-wide console run alone.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>The code blocks of the README and the guides are these methods, compiled and run here, and compared to the pages' text.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class ReadmeTests
{
    [Fact]
    public void QuickStart_Runs()
    {
        var output = Capture(QuickStart);

        Assert.Contains("alice: R5 F4 M5 Champions", output, StringComparison.Ordinal);
        Assert.Contains("rows read 7, used 6", output, StringComparison.Ordinal);
    }

    [Fact]
    public void CustomPipeline_Runs()
    {
        var output = Capture(CustomPipeline);

        Assert.Contains("bob: 515 vip", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ByPartition_Runs()
    {
        var output = Capture(ByPartition);

        Assert.Contains("38 countries, 541,909 rows read", output, StringComparison.Ordinal);
        Assert.Contains("United Kingdom: 3,921 customers", output, StringComparison.Ordinal);
        Assert.Contains("France's champions: 15", output, StringComparison.Ordinal);
        Assert.Contains("France: 87 customers", output, StringComparison.Ordinal);

        // Eight customers bought from two countries: the countries' customers add up to more than the file's 4,339.
        var perCountry = System.Text.RegularExpressions.Regex.Matches(output, @"^[^:\n]+: ([0-9,]+) customers$", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.Equal(38, perCountry.Count);
        Assert.Equal(4347, perCountry.Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void DataReader_Runs()
    {
        var output = Capture(DataReader);

        Assert.Contains("hibernating", output, StringComparison.Ordinal);
        Assert.Contains("customers 4,339", output, StringComparison.Ordinal);
    }

    [Fact]
    public void FastCsv_Runs()
    {
        var output = Capture(FastCsv);

        Assert.Contains("customers 4,339, rows read 541,909", output, StringComparison.Ordinal);
    }

    [Fact]
    public void OverTime_Runs()
    {
        var output = Capture(OverTime);

        Assert.Contains("2011-01: active 741, new 417, retention 36.6 %, revenue 569,445.04", output, StringComparison.Ordinal);
        Assert.Contains("churn rate 34.4 %; top CLV quartile from 0.11", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Lifetimes_Runs()
    {
        var output = Capture(Lifetimes);

        Assert.Contains("r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9582.4", output, StringComparison.Ordinal);
        Assert.Contains("10061: P(alive) 84 %, 6.05 purchases, CLV 137.53", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_Runs()
    {
        var output = await CaptureAsync(Sql);

        Assert.Contains("4,339 customers; 12347: Champions", output, StringComparison.Ordinal);
        Assert.Contains("rfm_segments: 4,339 rows; 541,909 read, 143,985 excluded", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(QuickStart), "README.md", "using Rfm;")]
    [InlineData(nameof(CustomPipeline), "README.md", "using Rfm;\nusing Rfm.Scoring;\nusing Rfm.Segmentation;")]
    [InlineData(nameof(DataReader), "README.md", "using System.IO.Compression;\nusing Rfm;\nusing Sylvan.Data.Csv;")]
    [InlineData(nameof(ByPartition), "docs/concepts.md", "using System.IO.Compression;\nusing Rfm;\nusing Sylvan.Data.Csv;")]
    [InlineData(nameof(FastCsv), "docs/concepts.md", "using System.IO.Compression;\nusing Rfm;\nusing Sylvan.Data.Csv;")]
    [InlineData(nameof(OverTime), "docs/kpis.md", "using System.IO.Compression;\nusing Rfm;\nusing Rfm.Analytics;\nusing Sylvan.Data.Csv;")]
    [InlineData(nameof(Lifetimes), "docs/clv.md", "using Rfm;\nusing Rfm.Lifetimes;\nusing Sylvan.Data.Csv;")]
    [InlineData(nameof(Sql), "docs/sql.md", "using DuckDB.NET.Data;\nusing Rfm;\nusing Rfm.Sql;")]
    public void Documentation_ShowsTheCodeOfTheTest(string example, string page, string usings)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, page)).ReplaceLineEndings("\n");
        var source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Readme", "ReadmeTests.cs")).ReplaceLineEndings("\n");

        var code = usings + "\n\n" + Region(source, example);

        Assert.Contains("```csharp\n" + code + "```\n", text, StringComparison.Ordinal);
    }

    private static void QuickStart()
    {
        // README: QuickStart
        var orders = new[]
        {
            new Transaction("alice", "A-1", new DateTime(2024, 12, 20), 250.00m),
            new Transaction("alice", "A-2", new DateTime(2024, 12, 28), 120.50m),
            new Transaction("bob", "B-1", new DateTime(2024, 3, 2), 40.00m),
            new Transaction("carol", "C-1", new DateTime(2024, 11, 15), 80.00m), // "C" prefix: a cancellation
            new Transaction("dave", "D-1", new DateTime(2024, 9, 9), 75.25m),
            new Transaction("dave", "D-2", new DateTime(2024, 10, 1), 19.99m),
            new Transaction("erin", "E-1", new DateTime(2024, 6, 30), 310.00m),
        };

        var result = RfmCalculator.Default.Calculate(orders, asOf: new DateTime(2024, 12, 31));

        foreach (var customer in result.Customers)
        {
            Console.WriteLine($"{customer.CustomerId}: R{customer.Score.R} F{customer.Score.F} M{customer.Score.M} {customer.Segment.Name}");
        }

        Console.WriteLine($"rows read {result.Ingestion.RowsRead}, used {result.Ingestion.RowsUsed}");
        // README: end
    }

    private static void CustomPipeline()
    {
        // README: CustomPipeline
        var vip = new Segment("vip", "VIP", "Recent big spenders.", "Invite them to the preview sale.");
        var calculator = new RfmCalculator(
            policy: TransactionPolicy.Default with { Cancellations = CancellationRule.OrderIdStartsWith("R") },
            scoring: new RfmScoring(
                recency: ScoringStrategies.FixedThresholds(30, 90, 180, 365),
                frequency: ScoringStrategies.Quantile,
                monetary: ScoringStrategies.Quantile),
            segmentMap: SegmentMaps.FromPatterns("vip", [new("[4-5].[4-5]", vip)]));

        var result = calculator.Calculate<Transaction>(
        [
            new("ann", "1", new DateTime(2024, 1, 5), 20m),
            new("bob", "2", new DateTime(2024, 12, 1), 900m),
            new("bob", "R2", new DateTime(2024, 12, 2), 900m), // a return: excluded, and counted
        ],
            asOf: new DateTime(2024, 12, 31));

        foreach (var customer in result.Customers)
        {
            Console.WriteLine($"{customer.CustomerId}: {customer.Score} {customer.Segment.Key}");
        }
        // README: end
    }

    private static void DataReader()
    {
        // README: DataReader
        using var file = new StreamReader(new GZipStream(File.OpenRead("data/online-retail/online_retail.csv.gz"), CompressionMode.Decompress));
        using var reader = CsvDataReader.Create(file);

        var result = RfmCalculator.Tutorial.Calculate(reader, TransactionColumns.OnlineRetail, asOf: new DateTime(2011, 12, 11));

        Console.WriteLine($"customers {result.Ingestion.Customers:N0}, excluded rows {result.Ingestion.RowsExcluded:N0}");
        foreach (var segment in result.Segments)
        {
            Console.WriteLine($"{segment.Segment.Key}: {segment.Customers} customers, revenue {segment.TotalMonetary:N2}");
        }
        // README: end
    }

    private static void ByPartition()
    {
        // README: ByPartition
        using var file = new StreamReader(new GZipStream(File.OpenRead("data/online-retail/online_retail.csv.gz"), CompressionMode.Decompress));
        using var reader = CsvDataReader.Create(file);
        var columns = TransactionColumns.OnlineRetail with { Partition = "Country" };

        PartitionedResult byCountry = RfmCalculator.Tutorial.CalculateByPartition(reader, columns, asOf: new DateTime(2011, 12, 11));

        Console.WriteLine($"{byCountry.Partitions.Length} countries, {byCountry.Partitions.Sum(p => p.Result.Ingestion.RowsRead):N0} rows read");
        foreach (var (country, result) in byCountry.Partitions)
        {
            Console.WriteLine($"{country}: {result.Customers.Length:N0} customers");
        }

        if (byCountry.TryGetPartition("France", out var france))
        {
            Console.WriteLine($"France's champions: {france.Segments.FirstOrDefault(s => s.Segment.Key == "champions")?.Customers ?? 0}");
        }
        // README: end
    }

    private static void FastCsv()
    {
        // README: FastCsv
        const string Path = "data/online-retail/online_retail.csv.gz";
        static Stream Open() => new GZipStream(File.OpenRead(Path), CompressionMode.Decompress);

        string[] header;
        using (var peek = CsvDataReader.Create(new StreamReader(Open())))
        {
            header = [.. Enumerable.Range(0, peek.FieldCount).Select(peek.GetName)];
        }

        var accumulator = RfmCalculator.Tutorial.CreateAccumulator(cutoff: new DateTime(2011, 12, 11));
        using (var stream = Open())
        {
            if (!Utf8CsvIngestion.TryReadStream(stream, header, ",", TransactionColumns.OnlineRetail, accumulator))
            {
                // Not the common shape (a quoted line break, say): the general reader reads it by the same contract.
                using var general = CsvDataReader.Create(new StreamReader(Open()));
                accumulator.Add(general, TransactionColumns.OnlineRetail);
            }
        }

        var result = RfmCalculator.Tutorial.Calculate(accumulator);
        Console.WriteLine($"customers {result.Ingestion.Customers:N0}, rows read {result.Ingestion.RowsRead:N0}");
        // README: end
    }

    private static void OverTime()
    {
        // README: OverTime
        using var file = new StreamReader(new GZipStream(File.OpenRead("data/online-retail/online_retail.csv.gz"), CompressionMode.Decompress));
        using var reader = CsvDataReader.Create(file);

        var accumulator = new RfmAccumulator(new DateTime(2011, 12, 10), TransactionPolicy.Default, keepOrders: true);
        accumulator.Add(reader, TransactionColumns.OnlineRetail);
        var history = accumulator.History();

        foreach (var month in history.Kpis(new PeriodCalendar(PeriodUnit.Month)))
        {
            Console.WriteLine($"{month.Start:yyyy-MM}: active {month.ActiveCustomers}, new {month.NewCustomers}, retention {month.RetentionRate:P1}, revenue {month.Revenue:N2}");
        }

        var clv = SimpleClv.Compute(history.Metrics.Customers, margin: 0.10m);
        Console.WriteLine($"churn rate {clv.ChurnRate:P1}; top CLV quartile from {clv.QuartileEdges[3]:N2}");
        // README: end
    }

    private static void Lifetimes()
    {
        // README: Lifetimes
        using var reader = CsvDataReader.Create("data/cdnow/cdnowElog.csv");
        var accumulator = new RfmAccumulator(new DateTime(1998, 7, 1), TransactionPolicy.Tutorial, keepOrders: true);
        accumulator.Add(reader, new TransactionColumns { Customer = "masterid", Timestamp = "date", Amount = "sales", DateFormat = "yyyyMMdd" });

        var summary = CalibrationSummary.From(accumulator.History(), new DateOnly(1997, 9, 30), new DateOnly(1998, 6, 30), TimeUnit.Week);
        var purchases = BgNbdModel.Fit(summary.Customers);
        var spend = GammaGammaModel.Fit(summary.Customers);
        Console.WriteLine($"r {purchases.R:F3}, alpha {purchases.Alpha:F3}, a {purchases.A:F3}, b {purchases.B:F3}, LL {purchases.Estimation!.LogLikelihood:F1}");

        var clv = new ClvCalculator(purchases, spend, horizon: 52, TimeUnit.Week, annualDiscountRate: 0.10);
        foreach (var value in summary.Customers.Where(c => c.RepeatPurchases > 0).Take(3).Select(clv.Calculate))
        {
            Console.WriteLine($"{value.Customer.CustomerId}: P(alive) {value.ProbabilityAlive:P0}, {value.ExpectedPurchases:F2} purchases, CLV {value.LifetimeValue:N2}");
        }
        // README: end
    }

    private static async Task Sql()
    {
        // README: Sql
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using (var load = connection.CreateCommand())
        {
            load.CommandText = """
                CREATE TABLE orders AS SELECT * FROM read_csv('data/online-retail/online_retail.csv.gz', header = true,
                    columns = {'InvoiceNo': 'VARCHAR', 'StockCode': 'VARCHAR', 'Description': 'VARCHAR', 'Quantity': 'INTEGER',
                        'InvoiceDate': 'TIMESTAMP', 'UnitPrice': 'DECIMAL(18, 3)', 'CustomerID': 'VARCHAR', 'Country': 'VARCHAR'})
                """;
            load.ExecuteNonQuery();
        }

        var query = new RfmSqlGenerator(SqlDialect.DuckDb, RfmCalculator.Tutorial)
            .Query(new SqlTableName("orders"), TransactionColumns.OnlineRetail, asOf: new DateTime(2011, 12, 11));

        var result = await query.CalculateAsync(connection);
        Console.WriteLine($"{result.Ingestion.Customers:N0} customers; {result.Customers[1].CustomerId}: {result.Customers[1].Segment.Name}");

        var rows = await query.CreateTableAsync(connection, new SqlTableName("rfm_segments"));
        Console.WriteLine($"rfm_segments: {rows.Customers:N0} rows; {rows.RowsRead:N0} read, {rows.RowsExcluded:N0} excluded");
        // README: end
    }

    private static string Capture(Action example) => CaptureAsync(() =>
    {
        example();
        return Task.CompletedTask;
    }).GetAwaiter().GetResult();

    private static async Task<string> CaptureAsync(Func<Task> example)
    {
        var original = Console.Out;
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        var output = new StringWriter(new StringBuilder());
        Console.SetOut(output);
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        try
        {
            await example();
        }
        finally
        {
            Console.SetOut(original);
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }

        return output.ToString();
    }

    // The lines between "// README: name" and "// README: end", de-indented.
    private static string Region(string source, string name)
    {
        var lines = source.Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == "// README: " + name) + 1;
        var end = Array.FindIndex(lines, start, l => l.Trim() == "// README: end");
        Assert.True(start > 0 && end > start, $"region {name} not found");
        var indent = lines[start].Length - lines[start].TrimStart().Length;
        var builder = new StringBuilder();
        foreach (var line in lines[start..end])
        {
            builder.Append(line.Length >= indent ? line[indent..] : line.TrimStart()).Append('\n');
        }

        return builder.ToString();
    }
}
