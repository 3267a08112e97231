using System.Globalization;
using System.Text;
using Rfm.Analytics;
using Rfm.Tests.Ingestion;
using Sylvan.Data.Csv;

namespace Rfm.Tests.Analytics;

/// <summary>
/// The byte-level CSV reader keeps the same orders as the general reader: KPIs and cohorts from a file read with one
/// thread, with several (chunks merged), as a stream, and through <see cref="System.Data.IDataReader"/> are the same.
/// Without an order column the byte reader hands a run of rows of one customer and time over as one entry that counts
/// its rows as orders, which must not change any count.
/// </summary>
public sealed class OrderHistoryCsvTests
{
    private static readonly DateTime AsOf = new(2023, 12, 15);

    private static readonly TransactionColumns WithOrders = new() { Customer = "Customer", Order = "Order", Timestamp = "Date", Amount = "Amount" };

    private static readonly TransactionColumns WithoutOrders = new() { Customer = "Customer", Timestamp = "Date", Amount = "Amount" };

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    public void ByteReader_OneOrSeveralThreads_KeepsTheGeneralReadersOrders(int seed, bool orderColumn)
    {
        var columns = orderColumn ? WithOrders : WithoutOrders;
        var bytes = Encoding.UTF8.GetBytes(Csv(seed, orderColumn));
        using var temp = new TempCsv(bytes);
        var header = orderColumn ? new[] { "Customer", "Order", "Date", "Amount" } : ["Customer", "Date", "Amount"];

        var general = new RfmAccumulator(AsOf, keepOrders: true);
        using (var text = new StreamReader(temp.Path))
        using (var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true, Culture = CultureInfo.InvariantCulture }))
        {
            general.Add(csv, columns);
        }

        var single = new RfmAccumulator(AsOf, keepOrders: true);
        var chunked = new RfmAccumulator(AsOf, keepOrders: true);
        var stream = new RfmAccumulator(AsOf, keepOrders: true);
        Assert.True(Utf8CsvIngestion.TryReadFile(temp.Path, header, ",", columns, single, 1, null, CancellationToken.None));
        Assert.True(Utf8CsvIngestion.TryReadFile(temp.Path, header, ",", columns, chunked, 4, null, CancellationToken.None, minChunkLength: 997));
        using (var file = File.OpenRead(temp.Path))
        {
            Assert.True(Utf8CsvIngestion.TryReadStream(file, header, ",", columns, stream, null, CancellationToken.None));
        }

        var expected = general.History();
        Assert.True(expected.Orders > 500, $"only {expected.Orders} orders");
        foreach (var (name, accumulator) in new[] { ("one thread", single), ("four chunks", chunked), ("stream", stream) })
        {
            Assert.True(accumulator.KeepsOrders, name);
            AssertSameAnalytics(expected, accumulator.History(), name);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ByteReader_IntoAnAccumulatorWithRows_MergesItsOrdersAsTheGeneralReaderAdds(bool orderColumn)
    {
        // Rows already in the accumulator: the customer and order of the file's first plain order, earlier and later
        // (so that the file's lines of that order merge into it), a row without an order id, and a customer of its own.
        var columns = orderColumn ? WithOrders : WithoutOrders;
        var file = Csv(4, orderColumn);
        var plain = file.Split('\n')[1..].Select(line => line.Split(',')).First(row => row[0].Length > 0 && (!orderColumn || row[1].StartsWith('1')));
        var (customer, order) = (plain[0], orderColumn ? plain[1] : null);
        Transaction[] earlier =
        [
            new(customer, order, new DateTime(2021, 12, 30), 3.00m),
            new(customer, order, new DateTime(2023, 6, 1), 4.00m),
            new(customer, null, new DateTime(2022, 3, 1), 5.00m),
            new("new", "x-1", new DateTime(2023, 1, 1), 6.00m),
        ];
        using var temp = new TempCsv(Encoding.UTF8.GetBytes(file));
        var header = orderColumn ? new[] { "Customer", "Order", "Date", "Amount" } : ["Customer", "Date", "Amount"];

        var general = new RfmAccumulator(AsOf, keepOrders: true);
        general.AddRange(earlier);
        using (var text = new StreamReader(temp.Path))
        using (var csv = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true, Culture = CultureInfo.InvariantCulture }))
        {
            general.Add(csv, columns);
        }

        var fast = new RfmAccumulator(AsOf, keepOrders: true);
        fast.AddRange(earlier);
        Assert.True(Utf8CsvIngestion.TryReadFile(temp.Path, header, ",", columns, fast, 3, null, CancellationToken.None, minChunkLength: 997));

        AssertSameAnalytics(general.History(), fast.History(), "three chunks into a filled accumulator");
    }

    [Fact]
    public void ByteReader_WithoutOrderColumn_RunsOfRowsAreOneOrderEach()
    {
        // Three rows of one customer and time, then one more at another time: four orders, as the general reader counts.
        const string Text = "Customer,Date,Amount\na,2023-01-05 10:00:00,1.00\na,2023-01-05 10:00:00,2.00\na,2023-01-05 10:00:00,3.00\na,2023-02-01 09:00:00,4.00\n";
        using var temp = new TempCsv(Encoding.UTF8.GetBytes(Text));
        var accumulator = new RfmAccumulator(new DateTime(2023, 3, 1), keepOrders: true);

        Assert.True(Utf8CsvIngestion.TryReadFile(temp.Path, ["Customer", "Date", "Amount"], ",", WithoutOrders, accumulator, 1, null, CancellationToken.None));

        var history = accumulator.History();
        var kpis = history.Kpis(new PeriodCalendar(PeriodUnit.Month));
        Assert.Equal(4, history.Orders);
        Assert.Equal([3L, 1], kpis.Select(k => k.Orders));
        Assert.Equal([1, 0], kpis.Select(k => k.RepeatCustomers));
        Assert.Equal([6.00m, 4.00m], kpis.Select(k => k.Revenue));
        Assert.Equal(2m, kpis[0].AverageOrderValue);
        Assert.Equal([3L, 1], history.Cohorts(new PeriodCalendar(PeriodUnit.Month)).Cells.Select(c => c.Orders));
    }

    private static void AssertSameAnalytics(OrderHistory expected, OrderHistory actual, string name)
    {
        Assert.True(expected.Orders == actual.Orders, $"{name}: {expected.Orders} orders expected, {actual.Orders} read");
        Assert.Equal(expected.Metrics.Customers.ToArray(), actual.Metrics.Customers.ToArray());
        foreach (var unit in Enum.GetValues<PeriodUnit>())
        {
            foreach (var calendar in new[] { new PeriodCalendar(unit), new PeriodCalendar(unit) { TimeZone = PeriodKpisTests.Berlin, FirstDayOfWeek = DayOfWeek.Sunday } })
            {
                Assert.Equal(expected.Kpis(calendar).ToArray(), actual.Kpis(calendar).ToArray());
                Assert.Equal(expected.Cohorts(calendar).Cells.ToArray(), actual.Cohorts(calendar).Cells.ToArray());
            }
        }
    }

    /// <summary>
    /// About 3,000 rows over two years: orders of one to four lines in a row (sometimes with lines a day or a month
    /// apart, sometimes continued much later), cancellations, non-positive amounts, rows without a customer or an order
    /// id, and rows after the analysis date. Without an order column, an order's lines are a run of one customer and time.
    /// </summary>
    private static string Csv(int seed, bool orderColumn)
    {
        var random = new Random(seed);
        var text = new StringBuilder(orderColumn ? "Customer,Order,Date,Amount\n" : "Customer,Date,Amount\n");
        var start = new DateTime(2022, 1, 1);
        var orders = new List<(string Customer, string Order, DateTime Time)>();
        for (var visit = 0; visit < 1200; visit++)
        {
            var roll = random.Next(100);
            (string Customer, string Order, DateTime Time) order = roll < 8 && orders.Count > 0
                ? orders[random.Next(orders.Count)] // an earlier order continued
                : ($"c{random.Next(40)}", roll < 12 ? $"C{visit}" : roll < 18 ? string.Empty : (100_000 + visit).ToString(CultureInfo.InvariantCulture), start.AddMinutes(random.Next(730 * 24 * 60)));
            orders.Add(order);
            var customer = roll is >= 18 and < 20 ? string.Empty : order.Customer;
            var lines = random.Next(1, 5);
            for (var line = 0; line < lines; line++)
            {
                var time = order.Time;
                if (random.Next(10) == 0)
                {
                    time = time.AddDays(random.Next(2) == 0 ? 1 : 31);
                }

                var cents = random.Next(20) == 0 ? -random.Next(0, 500) : random.Next(1, 100_000);
                var amount = (cents / 100m).ToString("0.00", CultureInfo.InvariantCulture);
                var date = time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                text.Append(orderColumn ? $"{customer},{order.Order},{date},{amount}\n" : $"{customer},{date},{amount}\n");
            }
        }

        return text.ToString();
    }
}
