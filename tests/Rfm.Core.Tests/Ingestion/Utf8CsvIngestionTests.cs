using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sylvan.Data.Csv;

namespace Rfm.Tests.Ingestion;

/// <summary>
/// The byte-level CSV reader against its contract: for any file it either declines (and leaves the accumulator as it
/// was) or adds exactly what the general reader (Sylvan's <see cref="CsvDataReader"/> into
/// <see cref="RfmAccumulator.Add(System.Data.IDataReader, TransactionColumns, IProgress{long}?, CancellationToken)"/>)
/// adds, whatever the number of threads and wherever the chunk boundaries fall.
/// </summary>
public sealed class Utf8CsvIngestionTests
{
    private const string Header = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country";

    // ---- Any file: the fast reader declines or agrees ----

    [Property(MaxTest = 1000, Arbitrary = [typeof(Utf8CsvGenerators)])]
    public void AnyFile_FastReaderDeclinesOrGivesWhatTheGeneralReaderGives(CsvFileCase file)
    {
        var reads = CsvReads.Run(file.Bytes, file.Columns, file.Policy, file.Cutoff, file.Threads, file.MinChunkLength, file.Delimiters);

        reads.AssertContract();
    }

    [Fact]
    public void GeneratedFiles_AreMostlyAcceptedByTheFastReader()
    {
        // The property above says little if the fast reader declines nearly every file it is given.
        var files = Utf8CsvGenerators.Files.Sample(200, new Rnd(20101201UL), 50);

        var accepted = files.Count(f => CsvReads.Run(f.Bytes, f.Columns, f.Policy, f.Cutoff, f.Threads, f.MinChunkLength, f.Delimiters).Single.Accepted);

        Assert.InRange(accepted, 120, 200);
    }

    // ---- Files the fast reader must accept ----

    [Fact]
    public void CleanFile_IsAccepted_AndMatchesTheGeneralReader()
    {
        var reads = CsvReads.Run(Utf8(CleanText("\n")), TransactionColumns.OnlineRetailII, TransactionPolicy.Default);

        reads.AssertAllAccepted();
        reads.AssertContract();
        var snapshot = reads.GeneralSnapshot();
        Assert.Equal(5, snapshot.Customers.Length);
        Assert.Equal(1, snapshot.Ingestion.Excluded(ExclusionReason.Cancellation).Rows);
        Assert.Equal(1, snapshot.Ingestion.Excluded(ExclusionReason.MissingCustomer).Rows);
        Assert.Equal(1, snapshot.Ingestion.Excluded(ExclusionReason.EmptyRow).Rows);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(4, 1)]
    [InlineData(2, 40)]
    [InlineData(3, 7)]
    [InlineData(4, 100)]
    public void CleanFile_GivesTheSameResult_WhateverTheThreadsAndChunkLength(int threads, int minChunkLength)
    {
        var reads = CsvReads.Run(Utf8(CleanText("\n")), TransactionColumns.OnlineRetailII, TransactionPolicy.Default, cutoff: null, threads, minChunkLength);

        reads.AssertAllAccepted();
        reads.AssertContract();
    }

    [Fact]
    public void QuotedLineFeeds_StraddlingChunkBoundaries_AreReadAsOneValue()
    {
        // The description spans lines that each look like a row of their own: a chunk that starts after one of
        // those line feeds reads rows that are not there, and only the boundary check can tell.
        var fake = string.Concat(Enumerable.Range(0, 12).Select(i => $"\n{i},POST,fake,1,2010-12-0{(i % 9) + 1} 08:26:00,1.00,99999,France"));
        var text = $"{Header}\n489434,85048,short,1,2010-12-01 08:26:00,2.55,13085,United Kingdom\n"
            + $"489435,22350,\"start{fake}\n end\",2,2010-12-02 09:00:00,1.25,12346,France\n"
            + "489436,22350,tail,3,2010-12-03 10:00:00,0.85,13085,United Kingdom\n";
        var bytes = Utf8(text);
        var quotedStart = text.IndexOf("\"start", StringComparison.Ordinal);
        var quotedEnd = text.IndexOf("end\"", StringComparison.Ordinal);
        var dataStart = Header.Length + 1;
        Assert.InRange(dataStart + ((bytes.Length - dataStart) / 2), quotedStart, quotedEnd);

        using var temp = new TempCsv(bytes);
        var general = CsvReads.ReadGeneral(temp.Path, TransactionColumns.OnlineRetailII, TransactionPolicy.Default, cutoff: null);
        Assert.Null(general.Error);
        Assert.Equal(3, general.Accumulator.RowsRead);
        for (var threads = 2; threads <= 4; threads++)
        {
            for (var minChunkLength = 1; minChunkLength <= bytes.Length; minChunkLength += 3)
            {
                var fast = CsvReads.ReadFile(temp.Path, general.Header!, TransactionColumns.OnlineRetailII, TransactionPolicy.Default, cutoff: null, threads, minChunkLength);
                Assert.True(fast.Accepted, $"threads {threads}, min chunk length {minChunkLength}");
                CsvReads.AssertSameResult(general.Accumulator, fast.Accumulator);
            }
        }
    }

    [Fact]
    public void CrLfLineEnds_AreAccepted_AndMatchTheGeneralReader()
    {
        var reads = CsvReads.Run(Utf8(CleanText("\r\n")), TransactionColumns.OnlineRetailII, TransactionPolicy.Default, cutoff: null, threads: 3, minChunkLength: 1);

        reads.AssertAllAccepted();
        reads.AssertContract();
    }

    [Fact]
    public void CarriageReturnAfterAClosingQuote_AtTheEndOfABlock_IsReadCorrectly()
    {
        // The reader's block is 256 KiB: the row that straddles it ends in a quoted value whose quote and carriage
        // return are the block's last two bytes, so the row is parsed again after the buffer moves.
        const int Block = 1 << 18;
        static string Row(string description) => $"489434,85048,{description},1,2010-12-01 08:26:00,2.55,13085,\"United Kingdom\"\r\n";
        var length = Row("mug").Length;
        var straddling = Block + 1 - length;
        var rows = new StringBuilder();
        while (rows.Length + (2 * length) < straddling)
        {
            rows.Append(Row("mug"));
        }

        rows.Append(Row(new string('m', straddling - rows.Length - length + 3)));
        for (var i = 0; i < 5000; i++)
        {
            rows.Append(Row("mug"));
        }

        var text = $"{Header}\n{rows}";
        Assert.Equal("\"\r", text.Substring(Header.Length + 1 + Block - 2, 2));
        var reads = CsvReads.Run(Utf8(text), TransactionColumns.OnlineRetailII, TransactionPolicy.Default);
        reads.AssertAllAccepted();
        reads.AssertContract();
    }

    [Fact]
    public void ByteOrderMark_IsSkipped_AndMatchesTheGeneralReader()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Utf8(CleanText("\n"))];

        var reads = CsvReads.Run(bytes, TransactionColumns.OnlineRetailII, TransactionPolicy.Default, cutoff: null, threads: 2, minChunkLength: 1);

        reads.AssertAllAccepted();
        reads.AssertContract();
        Assert.Equal("Invoice", reads.General.Header![0]);
    }

    [Fact]
    public void AmountColumn_IsAccepted_AndMatchesTheGeneralReader()
    {
        const string Text = "customer,order,date,amount,note\n"
            + "a,1,2010-12-01,10.50,x\n\"a\",1,2010-12-01,1e1,\"y, z\"\nb,C2,2010-12-02T10:00,3,\nb,2,2010-12-02 10:00:00.25,-0,\n"
            + "\" \",3,2010-12-03,4,\n東京,4,2010-12-04,0.0001,\"line\nfeed\"\n東京,5,2010-12-05,12345678901234567890,\n";

        var reads = CsvReads.Run(Utf8(Text), CsvFileCase.AmountColumns, TransactionPolicy.Tutorial, cutoff: null, threads: 4, minChunkLength: 1);

        reads.AssertAllAccepted();
        reads.AssertContract();
    }

    [Theory]
    [InlineData("1e2", "2.55", "255.00")]
    [InlineData(" 7", "2.55", "17.85")]
    [InlineData("+4", "2.55", "10.20")]
    [InlineData("2", ".5", "1.0")]
    [InlineData("5.", "2.55", "12.75")]
    [InlineData("0000000000000000007", "2.55", "17.85")]
    [InlineData("1", "0.0000000000000000001", "0.0000000000000000001")]
    [InlineData("3", "1.234567890123456789", "3.703703670370370367")]
    [InlineData("3", "1.5e-1", "0.45")]
    [InlineData("1", " 2.55 ", "2.55")]
    [InlineData("1", "21474836.48", "21474836.48")]
    [InlineData("3000000000", "1", "3000000000")]
    [InlineData("2147483648", "2.55", "5476083302.40")]
    public void UnusualNumbers_AreReadAsTheGeneralReaderReadsThem(string quantity, string price, string monetary)
    {
        var text = $"{Header}\n489434,85048,mug,{quantity},2010-12-01 08:26:00,{price},13085,United Kingdom\n";

        var reads = CsvReads.Run(Utf8(text), TransactionColumns.OnlineRetailII, TransactionPolicy.Default);

        reads.AssertAllAccepted();
        reads.AssertContract();
        Assert.Equal(monetary, Assert.Single(reads.GeneralSnapshot().Customers).Monetary.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ZeroAndNegativeProducts_AreExcludedAndSummedAsTheGeneralReaderDoes(bool tutorial)
    {
        var policy = tutorial ? TransactionPolicy.Tutorial : TransactionPolicy.Default;
        var text = $"{Header}\n"
            + "489434,85048,mug,-3,2010-12-01 08:26:00,0.00,13085,United Kingdom\n"
            + "489434,85048,mug,0,2010-12-01 08:26:00,2.55,13085,United Kingdom\n"
            + "489435,85048,mug,-0,2010-12-02 08:26:00,1.5,12346,United Kingdom\n"
            + "489436,85048,mug,2,2010-12-03 08:26:00,-0.00,12347,United Kingdom\n"
            + "489437,85048,mug,2,2010-12-03 08:26:00,-1.25,12347,United Kingdom\n"
            + "C489438,85048,mug,-1,2010-12-03 08:26:00,2.550,12347,United Kingdom\n";

        var reads = CsvReads.Run(Utf8(text), TransactionColumns.OnlineRetailII, policy, cutoff: null, threads: 2, minChunkLength: 1);

        reads.AssertAllAccepted();
        reads.AssertContract();
        var ingestion = reads.GeneralSnapshot().Ingestion;
        Assert.Equal("-2.550", ingestion.Excluded(ExclusionReason.Cancellation).Amount.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(tutorial ? 0 : 3, ingestion.Excluded(ExclusionReason.NonPositiveQuantity).Rows);
        Assert.Equal(tutorial ? 0 : 2, ingestion.Excluded(ExclusionReason.NonPositivePrice).Rows);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ZeroAndNegativeAmounts_AreExcludedAndSummedAsTheGeneralReaderDoes(bool tutorial)
    {
        const string Text = "customer,order,date,amount\na,1,2010-12-01,0.00\na,2,2010-12-01,-0\nb,3,2010-12-02,-2.500\nb,4,2010-12-02,2.5\nc,5,2010-12-03,0\n";

        var reads = CsvReads.Run(Utf8(Text), CsvFileCase.AmountColumns, tutorial ? TransactionPolicy.Tutorial : TransactionPolicy.Default, cutoff: null, threads: 2, minChunkLength: 1);

        reads.AssertAllAccepted();
        reads.AssertContract();
    }

    [Fact]
    public void RowsAfterTheAnalysisDate_AreExcludedAsTheGeneralReaderExcludesThem()
    {
        var reads = CsvReads.Run(Utf8(CleanText("\n")), TransactionColumns.OnlineRetailII, TransactionPolicy.Default, new DateTime(2010, 12, 2), threads: 2, minChunkLength: 1);

        reads.AssertAllAccepted();
        reads.AssertContract();
        Assert.True(reads.GeneralSnapshot().Ingestion.Excluded(ExclusionReason.AfterAsOf).Rows > 0);
    }

    [Fact]
    public void NonEmptyTarget_GetsTheFileAdded_AsTheGeneralReaderAddsIt()
    {
        using var temp = new TempCsv(Utf8(CleanText("\n")));
        var general = NonEmptyAccumulator();
        using (var text = new StreamReader(temp.Path, new UTF8Encoding(false, true)))
        using (var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true, Culture = CultureInfo.InvariantCulture }))
        {
            general.Add(csv, TransactionColumns.OnlineRetailII);
        }

        var fast = NonEmptyAccumulator();
        var accepted = Utf8CsvIngestion.TryReadFile(temp.Path, Header.Split(','), ",", TransactionColumns.OnlineRetailII, fast, 2, null, CancellationToken.None, minChunkLength: 1);

        Assert.True(accepted);
        CsvReads.AssertSameResult(general, fast);
    }

    [Fact]
    public void LargeFile_SpanningSeveralBlocks_MatchesTheGeneralReader()
    {
        // About 1.5 MB: rows cross the reader's 256 KiB blocks, and chunks of at least 100 KB split it.
        var rows = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            var description = (i % 7) switch
            {
                0 => "\"LARGE HEART\nMEASURING SPOONS\"",
                1 => "\"RECORD FRAME 7\"\" SINGLE SIZE, WHITE\"",
                2 => "Müller mug",
                _ => "WHITE HEART",
            };
            rows.Append(CultureInfo.InvariantCulture, $"{489434 + (i / 3)},85048,{description},{(i % 5) + 1},2010-12-{(i % 28) + 1:00} 08:26:00,{(i % 400) / 100m + 0.05m},{13000 + (i % 97)},United Kingdom\n");
        }

        var bytes = Utf8($"{Header}\n{rows}");
        Assert.True(bytes.Length > 4 << 18);

        var reads = CsvReads.Run(bytes, TransactionColumns.OnlineRetailII, TransactionPolicy.Default, cutoff: null, threads: 4, minChunkLength: 100_000);

        reads.AssertAllAccepted();
        reads.AssertContract();
    }

    // ---- Files the fast reader must decline, leaving the accumulator as it was ----

    [Fact]
    public void RaggedRow_IsDeclined_AndLeavesTheAccumulatorEmpty()
    {
        var text = CleanText("\n") + "489500,85048,mug,1,2010-12-05 08:26:00,2.55,13085\n";

        var reads = CsvReads.Run(Utf8(text), TransactionColumns.OnlineRetailII, TransactionPolicy.Default, cutoff: null, threads: 4, minChunkLength: 1);

        reads.AssertNoneAccepted();
        reads.AssertContract();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(20_000)]
    public void InvalidUtf8InTheDescription_IsDeclined_AndLeavesTheAccumulatorEmpty(int cleanRowsBefore)
    {
        // 20,000 rows put the bad byte past the first block the reader fills.
        var rows = string.Concat(Enumerable.Range(0, cleanRowsBefore).Select(i => $"{489434 + i},85048,mug,1,2010-12-01 08:26:00,2.55,{13000 + (i % 50)},United Kingdom\n"));
        byte[] bytes = [.. Utf8($"{Header}\n{rows}489434,85048,M"), 0xFF, .. Utf8("ller mug,1,2010-12-01 08:26:00,2.55,13085,United Kingdom\n")];

        var reads = CsvReads.Run(bytes, TransactionColumns.OnlineRetailII, TransactionPolicy.Default, cutoff: null, threads: 2, minChunkLength: 1);

        Assert.IsType<DecoderFallbackException>(reads.General.Error);
        reads.AssertNoneAccepted();
        reads.AssertContract();
    }

    [Fact]
    public void DeclinedFile_LeavesANonEmptyTargetAsItWas()
    {
        using var temp = new TempCsv(Utf8(CleanText("\n") + "489500,85048,mug,1,2010-12-05 08:26:00,2.55\n"));
        var expected = NonEmptyAccumulator();
        var target = NonEmptyAccumulator();

        Assert.False(Utf8CsvIngestion.TryReadFile(temp.Path, Header.Split(','), ",", TransactionColumns.OnlineRetailII, target, 2, null, CancellationToken.None, minChunkLength: 1));
        using var stream = File.OpenRead(temp.Path);
        Assert.False(Utf8CsvIngestion.TryReadStream(stream, Header.Split(','), ",", TransactionColumns.OnlineRetailII, target, null, CancellationToken.None));

        CsvReads.AssertSameResult(expected, target);
    }

    [Theory]
    [InlineData("mug\"s")]
    [InlineData("\"mug\"s")]
    [InlineData("\"unclosed")]
    public void StrayQuote_IsDeclined_AndLeavesTheAccumulatorEmpty(string description)
    {
        var text = CleanText("\n") + $"489500,85048,{description},1,2010-12-05 08:26:00,2.55,13085,United Kingdom\n";

        var reads = CsvReads.Run(Utf8(text), TransactionColumns.OnlineRetailII, TransactionPolicy.Default, cutoff: null, threads: 2, minChunkLength: 1);

        reads.AssertNoneAccepted();
        reads.AssertContract();
    }

    [Theory]
    [InlineData("2010-02-30 10:00:00")]
    [InlineData("")]
    [InlineData("01/12/2010")]
    public void UnreadableDate_IsDeclined_AndTheGeneralReaderReportsIt(string date)
    {
        var text = CleanText("\n") + $"489500,85048,mug,1,{date},2.55,13085,United Kingdom\n";

        var reads = CsvReads.Run(Utf8(text), TransactionColumns.OnlineRetailII, TransactionPolicy.Default, cutoff: null, threads: 2, minChunkLength: 1);

        Assert.IsType<TransactionDataException>(reads.General.Error);
        reads.AssertNoneAccepted();
        reads.AssertContract();
    }

    [Fact]
    public void OneColumnInTwoParts_IsDeclined_AndTheGeneralReaderReadsIt()
    {
        // The customer id doubles as the order id: every row of a customer is then one order.
        var columns = TransactionColumns.OnlineRetailII with { Order = "Customer ID" };

        var reads = CsvReads.Run(Utf8(CleanText("\n")), columns, TransactionPolicy.Default);

        Assert.Null(reads.General.Error);
        reads.AssertNoneAccepted();
        reads.AssertContract();
    }

    [Fact]
    public void MoneyThatWouldBeRounded_IsRefusedByBothReaders()
    {
        // 10000000000.0000000000000000005 has 30 significant digits: a decimal would round it.
        var text = $"{Header}\n"
            + "489434,85048,mug,1,2010-12-01 08:26:00,10000000000,13085,United Kingdom\n"
            + "489434,85048,mug,1,2010-12-01 08:26:00,0.0000000000000000005,13085,United Kingdom\n";

        var reads = CsvReads.Run(Utf8(text), TransactionColumns.OnlineRetailII, TransactionPolicy.Default);

        Assert.IsType<OverflowException>(reads.General.Error);
        reads.AssertNoneAccepted();
        reads.AssertContract();
    }

    [Fact]
    public void HeaderMatchingUnderNoDelimiter_IsDeclined()
    {
        var text = CleanText("\n").Replace(',', ';');

        var reads = CsvReads.Run(Utf8(text), TransactionColumns.OnlineRetailII, TransactionPolicy.Default);

        // Sylvan finds the semicolons itself; the fast reader, told to try commas only, must not guess.
        Assert.Null(reads.General.Error);
        Assert.Equal(Header.Split(','), reads.General.Header);
        reads.AssertNoneAccepted();
        reads.AssertContract();
    }

    [Fact]
    public void HeaderOtherThanTheGeneralReaders_IsDeclined()
    {
        using var temp = new TempCsv(Utf8(CleanText("\n")));
        var target = new RfmAccumulator();
        string[] other = [.. Header.Split(','), "Extra"];

        Assert.False(Utf8CsvIngestion.TryReadFile(temp.Path, other, ",", TransactionColumns.OnlineRetailII, target, 1, null, CancellationToken.None));
        Assert.False(Utf8CsvIngestion.TryReadFile(temp.Path, Header.Split(','), ";", TransactionColumns.OnlineRetailII, target, 1, null, CancellationToken.None));
        Assert.True(target.IsEmpty);
    }

    // ---- Hostile lines: both readers agree, or both refuse ----

    [Theory]
    [InlineData("489500,85048,mug,1,2010-12-05 08:26:00,2.55\u0000,13085,United Kingdom\n", false)]
    [InlineData("489500,85048,mug,1,2010-12-05 08:26:00,1e5\u0000,13085,United Kingdom\n", false)]
    [InlineData("489500,85048,mug,1,2010-12-05 08:26:00,\u00002.55,13085,United Kingdom\n", false)]
    [InlineData("489500,85048,mug\u0000,1,2010-12-05 08:26:00,2.55,13\u0000085,United Kingdom\n", true)]
    [InlineData("489500,85048,M\u00FFller,1,2010-12-05 08:26:00,2.55,13085,United Kingdom\n", false)]
    [InlineData("489500,85048,mug,1,2010-12-05 08:26:00,2.55,M\u00FF,United Kingdom\n", false)]
    [InlineData("489500,85048,mug,1,2010-12-05 08:26:00,2.55,13085,United Kingdom\r\n489501,85048,mug,1,2010-12-05 08:26:00,2.55,13085,United Kingdom\n", true)]
    [InlineData("489500,85048,mug,1,2010-12-05 08:26:00,2.55,13085,United Kingdom\r489501,85048,mug,1,2010-12-05 08:26:00,2.55,13085,United Kingdom\n", true)]
    [InlineData("489500,85048,mug,1,2010-12-05 08:26:00,2.55,13085,United Kingdom\n\r\n\n", true)]
    [InlineData("489500,85048,mug,1,2010-12-05 08:26:00,7777777777777777777777777777777777777777,13085,United Kingdom\n", false)]
    public void HostileLine_IsReadAlikeOrRefusedByBothReaders(string line, bool read)
    {
        // \u00FF stands for the byte 0xFF, which is not UTF-8. A carriage return alone after a line feed is part of
        // a value to the general reader (the tool then refuses the record's count of fields); the fast one declines it.
        byte[] bytes = [.. Utf8(CleanText("\n")), .. Latin1Bytes(line)];

        var reads = CsvReads.Run(bytes, TransactionColumns.OnlineRetailII, TransactionPolicy.Default, cutoff: null, threads: 2, minChunkLength: 1);

        reads.AssertContract();
        Assert.Equal(read, reads.General.Error is null);
    }

    [Theory]
    [InlineData(200_000)]
    [InlineData(2_000_000)]
    public void LineOfManyFields_IsDeclinedByTheFastReader_InLinearTime(int fields)
    {
        // The line is read once to its end, in blocks that double: no work per field grows with the line.
        var line = string.Join(',', Enumerable.Repeat("x", fields)) + "\n";
        using var temp = new TempCsv(Utf8(CleanText("\n") + line + CleanText("\n")[(Header.Length + 1)..]));
        var target = new RfmAccumulator();

        Assert.False(Utf8CsvIngestion.TryReadFile(temp.Path, Header.Split(','), ",", TransactionColumns.OnlineRetailII, target, 2, null, CancellationToken.None, minChunkLength: 1));
        using var stream = File.OpenRead(temp.Path);
        Assert.False(Utf8CsvIngestion.TryReadStream(stream, Header.Split(','), ",", TransactionColumns.OnlineRetailII, target, null, CancellationToken.None));
        Assert.True(target.IsEmpty);
    }

    // Text whose characters up to U+00FF stand for single bytes, so that a test can write bytes that are not UTF-8;
    // the rest is UTF-8.
    private static byte[] Latin1Bytes(string text) => [.. text.SelectMany(c => c <= '\u00FF' ? [(byte)c] : Utf8(c.ToString()))];

    // ---- Helpers ----

    /// <summary>A clean Online Retail II file: quoted values, non-ASCII text, an order of several lines, a cancellation, a row without a customer, a blank line.</summary>
    private static string CleanText(string lineEnd) =>
        string.Join(
            lineEnd,
            Header,
            "489434,85048,\"15CM CHRISTMAS GLASS BALL 20 LIGHTS\",12,2010-12-01 07:45:00,6.95,13085,United Kingdom",
            "489434,79323P,PINK CHERRY LIGHTS,12,2010-12-01 07:45:00,6.75,13085,United Kingdom",
            "489434,22041,\"RECORD FRAME 7\"\" SINGLE SIZE, WHITE\",48,2010-12-01 07:45:00,2.10,\"13085\",United Kingdom",
            "489435,22350,CAT BOWL,12,2010-12-01T07:46,2.55,Müller,Deutschland",
            "C489436,22350,CAT BOWL,-1,2010-12-01 07:46:00,2.55,Müller,Deutschland",
            "489437,22195,\"LARGE HEART\nMEASURING SPOONS\",24,2010-12-01,1.65,東京,Japan",
            string.Empty,
            "489438,POST,POSTAGE,1,2010-12-02 10:00:00.5,18.00,,France",
            "A563185,B,Adjust bad debt,1,2011-01-15 17:00:00,11062.06,\"say \"\"hi\"\"\",United Kingdom",
            "489439,21232,mug,3,2011-01-16 09:00:00,1.25,0,United Kingdom")
        + lineEnd;

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static RfmAccumulator NonEmptyAccumulator()
    {
        var accumulator = new RfmAccumulator();
        accumulator.Add(new Transaction("13085", "1", new DateTime(2009, 12, 1), 1.5m));
        accumulator.Add(new Transaction("99", null, new DateTime(2009, 12, 2), -2m));
        return accumulator;
    }
}

/// <summary>The columns of a generated file.</summary>
public enum CsvLayout
{
    OnlineRetailII,
    AmountColumn,
}

/// <summary>One row of a generated file: its bytes and its line end.</summary>
public sealed record CsvRow(byte[] Content, string LineEnd);

/// <summary>A generated CSV file and how to read it.</summary>
public sealed record CsvFileCase(CsvLayout Layout, bool Bom, string HeaderLineEnd, CsvRow[] Rows, bool FinalLineEnd, bool Tutorial, DateTime? Cutoff, int Threads, int MinChunkLength, string Delimiters)
{
    public static readonly TransactionColumns AmountColumns = new()
    {
        Customer = "customer",
        Order = "order",
        Timestamp = "date",
        Amount = "amount",
    };

    public static string HeaderOf(CsvLayout layout) => layout == CsvLayout.OnlineRetailII
        ? "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country"
        : "customer,order,date,amount,note";

    public TransactionColumns Columns => Layout == CsvLayout.OnlineRetailII ? TransactionColumns.OnlineRetailII : AmountColumns;

    public TransactionPolicy Policy => Tutorial ? TransactionPolicy.Tutorial : TransactionPolicy.Default;

    public byte[] Bytes
    {
        get
        {
            var bytes = new List<byte>();
            if (Bom)
            {
                bytes.AddRange((byte[])[0xEF, 0xBB, 0xBF]);
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(HeaderOf(Layout) + HeaderLineEnd));
            for (var i = 0; i < Rows.Length; i++)
            {
                bytes.AddRange(Rows[i].Content);
                if (FinalLineEnd || i < Rows.Length - 1)
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(Rows[i].LineEnd));
                }
            }

            return [.. bytes];
        }
    }

    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Layout}, {(Tutorial ? "Tutorial" : "Default")} policy, cut-off {(Cutoff is { } cutoff ? cutoff.ToString("O", CultureInfo.InvariantCulture) : "none")}, delimiters \"{CsvReads.Escape(Encoding.UTF8.GetBytes(Delimiters))}\", threads {Threads}, min chunk {MinChunkLength}, {Rows.Length} rows: \"{CsvReads.Escape(Bytes)}\"");
}

/// <summary>Generators of CSV files that mix what real exports contain with what the fast reader must decline.</summary>
public static class Utf8CsvGenerators
{
    private enum RowKind
    {
        Normal,
        Blank,
        EmptyFields,
        FieldMissing,
        FieldExtra,
        InvalidUtf8,
        LoneQuote,
        ManyFields,
    }

    private static readonly Gen<string> Customers = Gen.Frequency(
        (12, Gen.Elements("13085", "12346", "17850", "0", "007", "Müller", "東京")),
        (2, Gen.Elements("a,b", "say \"hi\"", "two\nlines", "cr\r\nlf", " 13085", "13085 ")),
        (2, Gen.Elements(string.Empty, " ", "\t", "\u00A0", "\u3000")),
        (1, Gen.Elements("\u200B", "a;b", "a\tb", "a|b", "13085.0", "1234567890123456789", "130\u000085", "\u0000")));

    private static readonly Gen<string> Orders = Gen.Frequency(
        (12, Gen.Elements("489434", "489435", "536365", "0", "007", "12")),
        (3, Gen.Elements("C489434", "C536379")),
        (2, Gen.Elements("A563185", "1C", "inv,7", "in\nv", "Ü1", "123456789012345678901")),
        (1, Gen.Elements(string.Empty, " ", "\u00A0", "c1", "C", "489434 ")));

    private static readonly Gen<string> Dates = Gen.Frequency(
        (300, Gen.Elements(
            "2010-12-01 08:26:00", "2010-12-01 08:26:00", "2010-12-01T08:26", "2010-12-01", "2010-12-01 08:26:00.5",
            "2010-12-05 12:00", "2010-12-31T23:59:59", "2011-01-15 17:00:00", "2011-03-01T09:30:00.123456", " 2011-03-02 10:00:00",
            "2010-12-01 08:26:00 ", "2010-12-01T08:26:00Z", "2010-12-01 08:26:00+01:00", "2010-12-01T23:30:00-05:00", "0001-01-01", "2010-12-01 08:26:00.1200000", "2010-12-01 22:00+03:30")),
        (1, Gen.Elements(
            "2010-02-30 10:00:00", string.Empty, "01/12/2010", " ", "2010-12-01 24:00:00", "2011-03-01T09:30:00.1234567", "2010-1-5",
            "2010/12/06", "2010-12-06 5:00", "\u00002010-12-01")));

    private static readonly Gen<string> StockCodes = Gen.Elements("85048", "POST", "79323P", string.Empty);

    private static readonly Gen<string> Descriptions = Gen.Frequency(
        (6, Gen.Elements("WHITE HEART", "Müller mug", "東京タワー", string.Empty, "  spaced  ")),
        (3, Gen.Elements(
            "a, \"quoted\" mug", "two\nlines", "three\r\nlines\nhere", "cr\ronly", "\"", ",",
            "x\n489999,POST,fake,1,2010-12-01 08:26:00,1.00,99999,France\n489998,POST,fake,1,2010-12-01,1.00,99998,France")));

    // Too many digits for the fast path's 64-bit arithmetic. Rare: as a factor of a product it often makes both
    // readers fail, and one such row is enough to lose a whole file for the comparison.
    private static readonly Gen<string> ManyDigits = Gen.Constant("12345678901234567890");

    private static readonly Gen<string> Quantities = Gen.Frequency(
        (600, Gen.Elements("1", "6", "12", "2", "3", "24")),
        (200, Gen.Elements("-3", "+4", "0", "-0", "1e2", " 7", "2.5", "5.", ".5", "-1", "1.5E1")),
        (3, ManyDigits),
        (2, Gen.Elements("x", string.Empty, "1,5", "1e99999")));

    private static readonly Gen<string> Prices = Gen.Frequency(
        (600, Gen.Elements("2.55", "1.25", "0.85", "4.95", "1.00", "0.0001", "11062.06")),
        (200, Gen.Elements("0", "0.00", "-1.5", ".5", "5.", "+4", "1e-2", "-0", " 2.55", "2.550", "-0.00")),
        (3, ManyDigits),
        (2, Gen.Elements("x", string.Empty, "--1", "1e", "2.55\u0000", "1e2\u0000", "\u00002.55")));

    private static readonly Gen<string> Countries = Gen.Elements("United Kingdom", "EIRE", "Côte d'Ivoire", string.Empty);

    private static readonly Gen<RowKind> Kinds = Gen.Frequency(
        (600, Gen.Constant(RowKind.Normal)),
        (10, Gen.Constant(RowKind.Blank)),
        (8, Gen.Constant(RowKind.EmptyFields)),
        (2, Gen.Constant(RowKind.FieldMissing)),
        (1, Gen.Constant(RowKind.FieldExtra)),
        (2, Gen.Constant(RowKind.InvalidUtf8)),
        (2, Gen.Constant(RowKind.LoneQuote)),
        (1, Gen.Constant(RowKind.ManyFields)));

    private static readonly byte[][] InvalidSequences = [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF]];

    /// <summary>Files: a header, orders of one to five lines (a customer, an order and a date shared), line ends of one kind or mixed.</summary>
    public static Gen<CsvFileCase> Files { get; } =
        from layout in Gen.Frequency((3, Gen.Constant(CsvLayout.OnlineRetailII)), (1, Gen.Constant(CsvLayout.AmountColumn)))
        from lineEnds in Gen.Frequency((10, Gen.Elements("\n", "\r\n", "mixed")), (1, Gen.Constant("\r")))
        from headerLineEnd in LineEnd(lineEnds)
        from bom in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from orders in Gen.Frequency((1, Gen.Choose(0, 2)), (6, Gen.Choose(3, 10)), (1, Gen.Choose(11, 30)))
        from groups in Order(layout, lineEnds).ArrayOf(orders)
        from finalLineEnd in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
        from tutorial in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from cutoff in Gen.Frequency((4, Gen.Constant<DateTime?>(null)), (1, Gen.Constant<DateTime?>(new DateTime(2011, 1, 1))))
        from threads in Gen.Choose(1, 4)
        from minChunkLength in Gen.Choose(1, 300)
        from delimiters in Gen.Elements(",", ",", CsvReads.CliDelimiters)
        select new CsvFileCase(layout, bom, headerLineEnd, [.. groups.SelectMany(g => g)], finalLineEnd, tutorial, cutoff, threads, minChunkLength, delimiters);

    public static Arbitrary<CsvFileCase> CsvFileCases() =>
        Arb.From(Files, file => Enumerable.Range(0, file.Rows.Length).Select(i => file with { Rows = [.. file.Rows[..i], .. file.Rows[(i + 1)..]] }));

    private static Gen<string> LineEnd(string lineEnds) => lineEnds == "mixed" ? Gen.Elements("\n", "\r\n") : Gen.Constant(lineEnds);

    private static Gen<CsvRow[]> Order(CsvLayout layout, string lineEnds) =>
        from customer in Customers
        from order in Orders
        from date in Dates
        from lines in Gen.Frequency((3, Gen.Constant(1)), (2, Gen.Choose(2, 5)))
        from rows in Line(layout, lineEnds, customer, order, date).ArrayOf(lines)
        select rows;

    private static Gen<CsvRow> Line(CsvLayout layout, string lineEnds, string customer, string order, string date) =>
        from kind in Kinds
        from description in Descriptions
        from stockCode in StockCodes
        from quantity in Quantities
        from price in Prices
        from amount in Gen.OneOf(Quantities, Prices)
        from country in Countries
        from quoting in Gen.Choose(0, 255).ArrayOf(8)
        from invalid in Gen.Elements(InvalidSequences)
        from lineEnd in LineEnd(lineEnds)
        select new CsvRow(Render(layout, kind, [order, stockCode, description, quantity, date, price, customer, country], amount, quoting, invalid), lineEnd);

    // The fields of one row in the layout's order; each quoted when it must be, and now and then when it need not.
    private static byte[] Render(CsvLayout layout, RowKind kind, string[] values, string amount, int[] quoting, byte[] invalid)
    {
        if (kind == RowKind.Blank)
        {
            return [];
        }

        var (descriptionField, fields) = layout == CsvLayout.OnlineRetailII
            ? (2, values)
            : (4, new[] { values[6], values[0], values[4], amount, values[2] });
        if (kind == RowKind.EmptyFields)
        {
            fields = [.. fields.Select((_, i) => quoting[i] % 3 == 0 ? " " : string.Empty)];
        }

        var parts = fields.Select((value, i) => Encoding.UTF8.GetBytes(Quote(value, quoting[i] % 5 == 0))).ToList();
        switch (kind)
        {
            case RowKind.FieldMissing:
                parts.RemoveAt(parts.Count - 1);
                break;
            case RowKind.FieldExtra:
                parts.Add("extra"u8.ToArray());
                break;
            case RowKind.InvalidUtf8:
                parts[descriptionField] = [.. "bad"u8, .. invalid, .. "text"u8];
                break;
            case RowKind.LoneQuote:
                parts[descriptionField] = "mug\"s"u8.ToArray();
                break;
            case RowKind.ManyFields:
                parts.AddRange(Enumerable.Repeat("x"u8.ToArray(), 20_000));
                break;
        }

        var row = new List<byte>();
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0)
            {
                row.Add((byte)',');
            }

            row.AddRange(parts[i]);
        }

        return [.. row];
    }

    private static string Quote(string value, bool always) =>
        always || value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}

/// <summary>A temporary file, deleted when disposed.</summary>
internal sealed class TempCsv : IDisposable
{
    public TempCsv(byte[] bytes)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"rfm-utf8csv-{Guid.NewGuid():N}.csv");
        File.WriteAllBytes(Path, bytes);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}

/// <summary>What the general reader made of a file (or how it failed), and the header it saw.</summary>
internal sealed record GeneralRead(RfmAccumulator Accumulator, IReadOnlyList<string>? Header, Exception? Error);

/// <summary>What one fast read made of a file.</summary>
internal sealed record FastRead(string Name, bool Accepted, RfmAccumulator Accumulator);

/// <summary>A file read by the general reader and by the fast reader in every way it can be.</summary>
internal sealed record CsvReads(GeneralRead General, FastRead Single, FastRead Chunked, FastRead Stream)
{
    /// <summary>The delimiters the rfm tool tries when none is given.</summary>
    public const string CliDelimiters = ",;\t|";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static CsvReads Run(byte[] bytes, TransactionColumns columns, TransactionPolicy policy, DateTime? cutoff = null, int threads = 1, int minChunkLength = 1, string delimiters = ",")
    {
        using var temp = new TempCsv(bytes);
        var general = ReadGeneral(temp.Path, columns, policy, cutoff);

        // When the general reader fails before it has a header, the fast reader is given the one the file was written with.
        var header = general.Header ?? Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF').Split('\n')[0].TrimEnd('\r').Split(',');
        return new CsvReads(
            general,
            ReadFile(temp.Path, header, columns, policy, cutoff, threads: 1, minChunkLength: null, delimiters) with { Name = "file, one thread" },
            ReadFile(temp.Path, header, columns, policy, cutoff, threads, minChunkLength, delimiters),
            ReadStream(temp.Path, header, columns, policy, cutoff, delimiters));
    }

    public static GeneralRead ReadGeneral(string path, TransactionColumns columns, TransactionPolicy policy, DateTime? cutoff)
    {
        var accumulator = new RfmAccumulator(cutoff, policy);
        string[]? header = null;
        try
        {
            using var text = new StreamReader(path, new UTF8Encoding(false, true));
            using var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true, Culture = Invariant });
            header = [.. Enumerable.Range(0, csv.FieldCount).Select(csv.GetName)];
            accumulator.Add(csv, columns);
            return new GeneralRead(accumulator, header, null);
        }
        catch (Exception ex)
        {
            return new GeneralRead(accumulator, header, ex);
        }
    }

    public static FastRead ReadFile(string path, IReadOnlyList<string> header, TransactionColumns columns, TransactionPolicy policy, DateTime? cutoff, int threads, int? minChunkLength, string delimiters = ",")
    {
        var accumulator = new RfmAccumulator(cutoff, policy);
        var accepted = minChunkLength is { } length
            ? Utf8CsvIngestion.TryReadFile(path, header, delimiters, columns, accumulator, threads, null, CancellationToken.None, length)
            : Utf8CsvIngestion.TryReadFile(path, header, delimiters, columns, accumulator, threads, null, CancellationToken.None);
        return new FastRead($"file, {threads} threads, min chunk {minChunkLength}", accepted, accumulator);
    }

    public static FastRead ReadStream(string path, IReadOnlyList<string> header, TransactionColumns columns, TransactionPolicy policy, DateTime? cutoff, string delimiters = ",")
    {
        var accumulator = new RfmAccumulator(cutoff, policy);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
        return new FastRead("stream", Utf8CsvIngestion.TryReadStream(stream, header, delimiters, columns, accumulator, null, CancellationToken.None), accumulator);
    }

    /// <summary>
    /// Every fast read either declined and left its accumulator empty, or was accepted on a file the general reader
    /// read, with the general reader's result; and how many threads read it changes nothing.
    /// </summary>
    public void AssertContract()
    {
        foreach (var fast in new[] { Single, Chunked, Stream })
        {
            if (!fast.Accepted)
            {
                Assert.True(fast.Accumulator.IsEmpty, $"{fast.Name}: declined, but the accumulator has {fast.Accumulator.RowsRead} rows");
                continue;
            }

            Assert.True(General.Error is null, $"{fast.Name}: accepted a file the general reader fails on: {General.Error}");
            AssertSameResult(General.Accumulator, fast.Accumulator, fast.Name);
        }

        Assert.True(Single.Accepted == Chunked.Accepted, $"one thread accepted: {Single.Accepted}; {Chunked.Name} accepted: {Chunked.Accepted}");
        Assert.True(Single.Accepted == Stream.Accepted, $"file accepted: {Single.Accepted}; stream accepted: {Stream.Accepted}");
        if (Single.Accepted && Chunked.Accepted)
        {
            AssertSameResult(Single.Accumulator, Chunked.Accumulator, Chunked.Name);
        }
    }

    public void AssertAllAccepted()
    {
        Assert.True(General.Error is null, $"the general reader failed: {General.Error}");
        Assert.True(Single.Accepted && Chunked.Accepted && Stream.Accepted, $"accepted: one thread {Single.Accepted}, chunked {Chunked.Accepted}, stream {Stream.Accepted}");
    }

    public void AssertNoneAccepted() =>
        Assert.False(Single.Accepted || Chunked.Accepted || Stream.Accepted, $"accepted: one thread {Single.Accepted}, chunked {Chunked.Accepted}, stream {Stream.Accepted}");

    public MetricsSnapshot GeneralSnapshot() => General.Accumulator.Snapshot(SnapshotDate(General.Accumulator));

    /// <summary>The same customers in the same order with the same metrics, the same account of the rows, decimals equal in value and in scale.</summary>
    public static void AssertSameResult(RfmAccumulator expected, RfmAccumulator actual, string? name = null)
    {
        Assert.Equal(expected.LatestPurchase, actual.LatestPurchase);
        Assert.Equal(expected.RowsRead, actual.RowsRead);
        var date = SnapshotDate(expected);
        var e = expected.Snapshot(date);
        var a = actual.Snapshot(date);
        var context = name is null ? string.Empty : name + ": ";
        Assert.True(Describe(e) == Describe(a), $"{context}expected\n{Describe(e)}\nactual\n{Describe(a)}");
        Assert.Equal(e.Customers.ToArray(), a.Customers.ToArray());
        Assert.Equal(e.Ingestion.Exclusions.ToArray(), a.Ingestion.Exclusions.ToArray());
        Assert.Equal(
            (e.Ingestion.RowsRead, e.Ingestion.AmountRead, e.Ingestion.RowsUsed, e.Ingestion.AmountUsed, e.Ingestion.RowsExcluded, e.Ingestion.AmountExcluded, e.Ingestion.Customers),
            (a.Ingestion.RowsRead, a.Ingestion.AmountRead, a.Ingestion.RowsUsed, a.Ingestion.AmountUsed, a.Ingestion.RowsExcluded, a.Ingestion.AmountExcluded, a.Ingestion.Customers));
    }

    // A day after the latest purchase, as a caller measuring from the data's own end does; the cut-off when that is
    // earlier. Without a purchase and a cut-off there is no customer to measure, and any date gives the account.
    private static DateTime SnapshotDate(RfmAccumulator accumulator) =>
        accumulator.LatestPurchase?.AddDays(1) is { } next && !(next > accumulator.Cutoff) ? next : accumulator.Cutoff ?? DateTime.UnixEpoch;

    /// <summary>A snapshot as text, every decimal as it prints, so that 0 and 0.00 differ.</summary>
    private static string Describe(MetricsSnapshot snapshot)
    {
        var text = new StringBuilder();
        foreach (var c in snapshot.Customers)
        {
            text.Append(Invariant, $"'{Escape(Encoding.UTF8.GetBytes(c.CustomerId))}' R {c.Recency} F {c.Frequency} M {c.Monetary} first {c.FirstPurchase:O} last {c.LastPurchase:O} lines {c.Lines} tenure {c.Tenure}\n");
        }

        var i = snapshot.Ingestion;
        text.Append(Invariant, $"read {i.RowsRead} {i.AmountRead}; used {i.RowsUsed} {i.AmountUsed}; excluded {i.RowsExcluded} {i.AmountExcluded}; customers {i.Customers}\n");
        foreach (var e in i.Exclusions)
        {
            text.Append(Invariant, $"{e.Reason} {e.Rows} {e.Amount}\n");
        }

        return text.ToString();
    }

    /// <summary>Bytes as readable text: line ends and quotes escaped, bytes that are not UTF-8 as \xNN.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        while (!bytes.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes, out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                foreach (var b in bytes[..consumed])
                {
                    text.Append(Invariant, $"\\x{b:X2}");
                }
            }
            else
            {
                text.Append(rune.Value switch
                {
                    '\r' => "\\r",
                    '\n' => "\\n",
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    0xFEFF => "\\uFEFF",
                    _ => rune.ToString(),
                });
            }

            bytes = bytes[consumed..];
        }

        return text.ToString();
    }
}
