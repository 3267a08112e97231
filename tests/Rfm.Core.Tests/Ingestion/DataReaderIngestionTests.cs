using System.Data;

namespace Rfm.Tests.Ingestion;

public sealed class DataReaderIngestionTests
{
    private static readonly DateTime AsOf = new(2024, 1, 31);

    private static readonly TransactionColumns AmountColumns = new()
    {
        Customer = "customer",
        Order = "order",
        Timestamp = "date",
        Amount = "amount",
    };

    [Fact]
    public void Csv_TextValues_AreParsedInvariantly()
    {
        using var reader = TestData.Csv("customer,order,date,amount\na,1,2024-01-01 10:00:00,10.50\na,2,2024-01-20T08:00:00,-1.5e1\nb,3,2024-01-30,3\n");

        var result = new RfmCalculator(TransactionPolicy.Default with { ExcludeNonPositive = false }).Calculate(reader, AmountColumns, AsOf);

        Assert.True(result.TryGetCustomer("a", out var a));
        Assert.Equal(-4.50m, a.Metrics.Monetary);
        Assert.Equal(2, a.Metrics.Frequency);
        Assert.Equal(10, a.Metrics.Recency);
        Assert.True(result.TryGetCustomer("b", out var b));
        Assert.Equal(1, b.Metrics.Recency);
    }

    [Fact]
    public void QuantityTimesPrice_ReportsNonPositiveQuantityAndPrice()
    {
        using var reader = TestData.Csv("CustomerID,InvoiceNo,InvoiceDate,Quantity,UnitPrice\n1,1,2024-01-01,2,2.55\n1,2,2024-01-02,-1,2.55\n1,3,2024-01-03,1,0\n,4,2024-01-03,1,1\n1,C5,2024-01-03,-1,2.55\n");

        var result = RfmCalculator.Default.Calculate(reader, TransactionColumns.OnlineRetail, AsOf);

        var customer = Assert.Single(result.Customers);
        Assert.Equal(5.10m, customer.Metrics.Monetary);
        Assert.Equal(1, result.Ingestion.Excluded(ExclusionReason.NonPositiveQuantity).Rows);
        Assert.Equal(-2.55m, result.Ingestion.Excluded(ExclusionReason.NonPositiveQuantity).Amount);
        Assert.Equal(1, result.Ingestion.Excluded(ExclusionReason.NonPositivePrice).Rows);
        Assert.Equal(1, result.Ingestion.Excluded(ExclusionReason.MissingCustomer).Rows);
        Assert.Equal(1, result.Ingestion.Excluded(ExclusionReason.Cancellation).Rows);
        Assert.Equal(5, result.Ingestion.RowsRead);
    }

    [Fact]
    public void TypedColumns_AreReadAsTheyAre_ByOrdinal()
    {
        using var table = new DataTable();
        table.Columns.Add("id", typeof(long));
        table.Columns.Add("when", typeof(DateTime));
        table.Columns.Add("money", typeof(double));
        table.Rows.Add(17850L, new DateTime(2024, 1, 1), 2.55);
        table.Rows.Add(17850L, new DateTime(2024, 1, 2), 0.1);
        table.Rows.Add(DBNull.Value, new DateTime(2024, 1, 2), 1.0);
        using var reader = table.CreateDataReader();

        var result = RfmCalculator.Default.Calculate(reader, new TransactionColumns { Customer = 0, Timestamp = 1, Amount = 2 }, AsOf);

        var customer = Assert.Single(result.Customers);
        Assert.Equal("17850", customer.CustomerId);
        Assert.Equal(2.65m, customer.Metrics.Monetary);
        Assert.Equal(2, customer.Metrics.Frequency); // no order column: each row is an order
        Assert.Equal(1, result.Ingestion.Excluded(ExclusionReason.MissingCustomer).Rows);
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("tr-TR")]
    [InlineData("fr-FR")]
    public void TextIsReadTheSame_WhateverTheCurrentCulture(string culture)
    {
        var original = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo(culture);
        try
        {
            using var reader = TestData.Csv("CUSTOMERID,INVOICENO,INVOICEDATE,QUANTITY,UNITPRICE\ni1,1,2024-01-02 10:00:00,3,1.5\n");

            var result = RfmCalculator.Default.Calculate(reader, TransactionColumns.OnlineRetail, AsOf);

            var customer = Assert.Single(result.Customers);
            Assert.Equal(4.5m, customer.Metrics.Monetary);
            Assert.Equal(new DateTime(2024, 1, 2, 10, 0, 0), customer.Metrics.LastPurchase);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = original;
        }
    }

    [Fact]
    public void EmptyRows_AreCountedWithTheirOwnReason()
    {
        using var reader = TestData.Csv("customer,order,date,amount\na,1,2024-01-01,1\n,,,\n , , ,\nb,2,2024-01-02,2\n");

        var result = RfmCalculator.Default.Calculate(reader, AmountColumns, AsOf);

        Assert.Equal(2, result.Customers.Length);
        Assert.Equal(new ExclusionCount(ExclusionReason.EmptyRow, 2, 0m), result.Ingestion.Excluded(ExclusionReason.EmptyRow));
        Assert.Equal(4, result.Ingestion.RowsRead);
    }

    [Fact]
    public void DuplicateColumnNames_AreRefused_ExactMatchWinsOverCase()
    {
        using var twice = TestData.Csv("customer,order,date,amount,AMOUNT,amount\na,1,2024-01-01,1,2,3\n");
        using var caseOnly = TestData.Csv("customer,order,date,amount,AMOUNT\na,1,2024-01-01,1,2\n");

        var ex = Assert.Throws<TransactionDataException>(() => RfmCalculator.Default.Calculate(twice, AmountColumns, AsOf));
        var result = RfmCalculator.Default.Calculate(caseOnly, AmountColumns, AsOf);

        Assert.Equal("amount", ex.Column);
        Assert.Contains("columns 4, 6", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1m, result.Customers[0].Metrics.Monetary);
    }

    [Fact]
    public void ColumnNames_MatchCaseInsensitively()
    {
        using var reader = TestData.Csv("CUSTOMER,Order,DATE,Amount\na,1,2024-01-01,1\n");

        var result = RfmCalculator.Default.Calculate(reader, AmountColumns, AsOf);

        Assert.Single(result.Customers);
    }

    [Fact]
    public void DateFormat_IsUsedForTextDates()
    {
        using var reader = TestData.Csv("customer,order,date,amount\na,1,31/12/2023 23:59,1\n");

        var result = RfmCalculator.Default.Calculate(reader, AmountColumns with { DateFormat = "dd/MM/yyyy HH:mm" }, AsOf);

        Assert.Equal(new DateTime(2023, 12, 31, 23, 59, 0), result.Customers[0].Metrics.LastPurchase);
        Assert.Equal(30, result.Customers[0].Metrics.Recency);
    }

    [Fact]
    public void MissingColumn_NamesColumnAndListsTheColumns()
    {
        using var reader = TestData.Csv("customer,order,when,amount\na,1,2024-01-01,1\n");

        var ex = Assert.Throws<TransactionDataException>(() => RfmCalculator.Default.Calculate(reader, AmountColumns, AsOf));

        Assert.Equal("date", ex.Column);
        Assert.Equal(0, ex.Row);
        Assert.Contains("customer, order, when, amount", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a,1,2024-13-01,1", "date", "2024-13-01")]
    [InlineData("a,1,2024-01-01,12;5", "amount", "12;5")]
    [InlineData("a,1,2024-01-01,", "amount", "")]
    [InlineData("a,1,,1", "date", "")]
    [InlineData("a,1,2024-01-01,1e40", "amount", "1e40")]
    [InlineData("a,1,2024-01-01,1e-40", "amount", "1e-40")]
    [InlineData("a,1,01/02/2024,1", "date", "01/02/2024")]
    [InlineData("a,1,10:00,1", "date", "10:00")]
    [InlineData("a,1,Dec 9,1", "date", "Dec 9")]
    public void BadValue_NamesRowColumnAndValue(string line, string column, string value)
    {
        using var reader = TestData.Csv("customer,order,date,amount\na,1,2024-01-01,1\n" + line + "\n");

        var ex = Assert.Throws<TransactionDataException>(() => RfmCalculator.Default.Calculate(reader, AmountColumns, AsOf));

        Assert.Equal(2, ex.Row);
        Assert.Equal(column, ex.Column);
        Assert.Equal(value, ex.Value);
        Assert.StartsWith($"Row 2, column '{column}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QuantityTimesPriceOverflow_NamesRowAndBothColumns()
    {
        using var reader = TestData.Csv("CustomerID,InvoiceNo,InvoiceDate,Quantity,UnitPrice\n1,1,2024-01-01,79228162514264337593543950335,2\n");

        var ex = Assert.Throws<TransactionDataException>(() => RfmCalculator.Default.Calculate(reader, TransactionColumns.OnlineRetail, AsOf));

        Assert.Equal(1, ex.Row);
        Assert.Equal("Quantity x UnitPrice", ex.Column);
    }

    [Fact]
    public void Columns_AmountAndQuantityTogether_AreRejected()
    {
        using var reader = TestData.Csv("a,b,c,d,e\n");
        var columns = AmountColumns with { Quantity = "d", UnitPrice = "e" };

        var ex = Assert.Throws<ArgumentException>(() => RfmCalculator.Default.Calculate(reader, columns, AsOf));

        Assert.Equal("columns", ex.ParamName);
    }

    [Fact]
    public void Columns_NeitherAmountNorPrice_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => new TransactionColumns { Customer = "a", Timestamp = "b", Quantity = "q" }.Validate());
    }

    [Fact]
    public void Progress_ReportsRowsReadAndTheTotal_AndCancellationStopsPartway()
    {
        const int rows = 50_000;
        var text = new System.Text.StringBuilder("customer,order,date,amount\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"c{i % 97},{i},2024-01-01,1\n");
        }

        var reports = new List<long>();
        using (var reader = TestData.Csv(text.ToString()))
        {
            RfmCalculator.Default.Calculate(reader, AmountColumns, AsOf, new SynchronousProgress(reports.Add));
        }

        Assert.Equal([16_384, 32_768, 49_152, rows], reports);

        // Cancelled from the first progress report: the read stops at the next check, long before the end.
        using var cancellation = new CancellationTokenSource();
        var accumulator = new RfmAccumulator(AsOf);
        using var again = TestData.Csv(text.ToString());
        Assert.Throws<OperationCanceledException>(() => accumulator.Add(again, AmountColumns, new SynchronousProgress(_ => cancellation.Cancel()), cancellation.Token));
        Assert.InRange(accumulator.RowsRead, 16_384, rows - 1);
    }

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    [Fact]
    public void Add_ArgValidation()
    {
        var accumulator = new RfmAccumulator(AsOf);
        using var reader = TestData.Csv("a\n");

        Assert.Equal("reader", Assert.Throws<ArgumentNullException>(() => accumulator.Add(null!, AmountColumns)).ParamName);
        Assert.Equal("columns", Assert.Throws<ArgumentNullException>(() => accumulator.Add(reader, null!)).ParamName);
        Assert.Throws<ArgumentException>(() => ColumnRef.Named(""));
        Assert.Equal("columns", Assert.Throws<ArgumentException>(() => accumulator.Add(reader, AmountColumns with { Customer = default })).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => ColumnRef.At(-1));
    }
}
