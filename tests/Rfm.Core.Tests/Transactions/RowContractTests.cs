using System.Data;
using System.Text;
using Rfm.Tests.Ingestion;

namespace Rfm.Tests.Transactions;

/// <summary>A blank id means no id on every in-memory path: transactions, columns, a data reader and both CSV readers.</summary>
public sealed class RowContractTests
{
    private static readonly DateTime AsOf = new(2024, 2, 1);

    // Orders only white space (of several kinds) are no order: each row its own order, never a cancellation, whatever
    // the rule; the blank customers are excluded; a padded id is an id as given.
    private static readonly (string Customer, string Order, string Date, decimal Amount)[] Rows =
    [
        ("a", "  ", "2024-01-01", 10m),
        ("a", "  ", "2024-01-02", 20m),
        ("a", "\t", "2024-01-03", 30m),
        ("a", "\u00a0\u2003", "2024-01-04", 40m),
        ("b", "", "2024-01-05", 5m),
        ("b", " 7 ", "2024-01-06", 6m),
        ("b", " 7 ", "2024-01-07", 7m),
        ("b", "7", "2024-01-08", 8m),
        ("   ", "9", "2024-01-09", 9m),
        ("\u3000", "10", "2024-01-10", 10m),
    ];

    public static TheoryData<string> Rules => new() { "contains-space", "custom-any", "default" };

    private static TransactionPolicy Policy(string rule) => TransactionPolicy.Default with
    {
        Cancellations = rule switch
        {
            "contains-space" => CancellationRule.OrderIdContains(" "),
            "custom-any" => CancellationRule.Custom(_ => true, "every order"),
            _ => CancellationRule.OrderIdStartsWith("C"),
        },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void BlankIds_MeanNoId_OnEveryPath(string rule)
    {
        var policy = Policy(rule);
        var transactions = new RfmAccumulator(AsOf, policy);
        transactions.AddRange(Rows.Select(r => new Transaction(r.Customer, r.Order, DateTime.Parse(r.Date, System.Globalization.CultureInfo.InvariantCulture), r.Amount)));

        var columns = new RfmAccumulator(AsOf, policy);
        columns.AddColumns(
            Rows.Select(r => (string?)r.Customer).ToArray(),
            Rows.Select(r => (string?)r.Order).ToArray(),
            Rows.Select(r => DateTime.Parse(r.Date, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            Rows.Select(r => r.Amount).ToArray());

        var table = new DataTable();
        table.Columns.Add("customer", typeof(string));
        table.Columns.Add("order", typeof(string));
        table.Columns.Add("date", typeof(string));
        table.Columns.Add("amount", typeof(decimal));
        foreach (var row in Rows)
        {
            table.Rows.Add(row.Customer, row.Order, row.Date, row.Amount);
        }

        var reader = new RfmAccumulator(AsOf, policy);
        using (var rows = table.CreateDataReader())
        {
            reader.Add(rows, Columns);
        }

        var csv = new StringBuilder("customer,order,date,amount\n");
        foreach (var row in Rows)
        {
            csv.Append($"\"{row.Customer}\",\"{row.Order}\",{row.Date},{row.Amount}\n");
        }

        var files = CsvReads.Run(Encoding.UTF8.GetBytes(csv.ToString()), Columns, policy, AsOf);
        files.AssertAllAccepted();
        files.AssertContract();

        foreach (var (name, path) in new[] { ("columns", columns), ("data reader", reader), ("CSV", files.General.Accumulator), ("fast CSV", files.Single.Accumulator) })
        {
            CsvReads.AssertSameResult(transactions, path, name);
        }

        var snapshot = transactions.Snapshot(AsOf);
        Assert.Equal(2, snapshot.Ingestion.Excluded(ExclusionReason.MissingCustomer).Rows);
        Assert.Equal(Cancelled(rule), snapshot.Ingestion.Excluded(ExclusionReason.Cancellation).Rows);
        Assert.Equal(4, snapshot.Customers.Single(c => c.CustomerId == "a").Frequency);
    }

    [Fact]
    public void BlankOrderId_IsNeverACancellation()
    {
        foreach (var rule in new[] { CancellationRule.OrderIdContains(" "), CancellationRule.OrderIdStartsWith(" "), CancellationRule.Custom(_ => true, "every order") })
        {
            Assert.False(rule.IsCancellation("  "));
            Assert.False(rule.IsCancellation("\t\u00a0"));
            Assert.False(rule.IsCancellation(string.Empty));
            Assert.False(rule.IsCancellation(null));
        }
    }

    // The rows with a customer and a real order id that the rule cancels: b's " 7 " twice, and "7" for every order.
    private static int Cancelled(string rule) => rule switch
    {
        "contains-space" => 2,
        "custom-any" => 3,
        _ => 0,
    };

    private static TransactionColumns Columns => new() { Customer = "customer", Order = "order", Timestamp = "date", Amount = "amount" };
}

/// <summary>The one date rule: which texts are dates, read how, on every path.</summary>
public sealed class TimestampContractTests
{
    [Theory]
    [InlineData("2024-01-05", "2024-01-05T00:00:00.0000000")]
    [InlineData("2024-01-05 10:30", "2024-01-05T10:30:00.0000000")]
    [InlineData("2024-01-05T10:30:15", "2024-01-05T10:30:15.0000000")]
    [InlineData("  2024-01-05 10:30:15.5 \t", "2024-01-05T10:30:15.5000000")]
    [InlineData("2024-01-05 10:30:15.123456", "2024-01-05T10:30:15.1234560")]
    [InlineData("2024-01-05 10:30:15.1234560000", "2024-01-05T10:30:15.1234560")]
    [InlineData("2024-06-30T23:30:00-08:00", "2024-07-01T07:30:00.0000000Z")]
    [InlineData("2024-06-30 23:30-08:00", "2024-07-01T07:30:00.0000000Z")]
    [InlineData("2024-01-01T00:15:00Z", "2024-01-01T00:15:00.0000000Z")]
    [InlineData("2024-01-01T00:15:00+01:30", "2023-12-31T22:45:00.0000000Z")]
    [InlineData("2024-02-29", "2024-02-29T00:00:00.0000000")]
    [InlineData("\u00a02024-01-05\u3000", "2024-01-05T00:00:00.0000000")]
    public void IsoText_IsReadToTheMicrosecond_OffsetsAsUtc(string text, string expected)
    {
        Assert.True(RowContract.TryParseTimestamp(text, format: null, out var date));
        Assert.Equal(expected, date.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2024-07-01 00:00:00.0000001")] // finer than a microsecond: refused, never rounded
    [InlineData("2024-07-01 00:00:00.1234567")]
    [InlineData("2024-1-5")]
    [InlineData("2024/01/06")]
    [InlineData("2024-01-06 5:00")]
    [InlineData("09/06/2011 10:00")]
    [InlineData("yesterday")]
    [InlineData("2024-02-30")]
    [InlineData("2023-02-29")]
    [InlineData("2024-01-05 24:00")]
    [InlineData("2024-01-05 23:60")]
    [InlineData("2024-01-05 23:59:60")]
    [InlineData("0000-01-01")]
    [InlineData("2024-13-01")]
    [InlineData("2024-01-05Z")]
    [InlineData("2024-01-05 10:00:00.")]
    [InlineData("2024-01-05 10:00:00+0100")]
    [InlineData("2024-01-05 10:00:00+01:60")]
    [InlineData("2024-01-05 10:00:00z")]
    [InlineData("2024-01-05t10:00")]
    [InlineData("2024-01-05  10:00")]
    [InlineData("2024-01-05 10:00\n2024-01-06")]
    [InlineData("9999-12-31T23:00:00-05:00")] // after the last date a DateTime holds once in UTC
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("２０２４-01-05")] // full-width digits are not digits here
    [InlineData("")]
    [InlineData("   ")]
    public void OtherText_IsNotADate(string text)
    {
        Assert.False(RowContract.TryParseTimestamp(text, format: null, out _));
        Assert.False(System.Text.RegularExpressions.Regex.IsMatch(text.Trim(RowContract.WhiteSpace.ToCharArray()), RowContract.TimestampPattern) && Valid(text));
    }

    [Fact]
    public void AFormat_IsAlsoReadToTheMicrosecond()
    {
        Assert.True(RowContract.TryParseTimestamp(" 09/06/2011 10:00 ", "dd/MM/yyyy HH:mm", out var date));
        Assert.Equal(new DateTime(2011, 6, 9, 10, 0, 0), date);
        Assert.False(RowContract.TryParseTimestamp("09/06/2011 10:00:00.0000001", "dd/MM/yyyy HH:mm:ss.fffffff", out _));
        Assert.True(RowContract.TryParseTimestamp("09/06/2011 10:00:00.0000010", "dd/MM/yyyy HH:mm:ss.fffffff", out _));
    }

    // Every date a DateTime holds at microsecond precision reads back from each written form.
    [FsCheck.Xunit.Property(MaxTest = 500)]
    public bool EveryMicrosecond_ReadsBack(long seed, bool space, int offsetMinutes)
    {
        var ticks = (long)((ulong)seed % (ulong)(DateTime.MaxValue.Ticks / TimeSpan.TicksPerMicrosecond)) * TimeSpan.TicksPerMicrosecond;
        var date = new DateTime(ticks);
        var text = date.ToString(space ? "yyyy-MM-dd HH:mm:ss.ffffff" : "yyyy-MM-ddTHH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
        var offset = TimeSpan.FromMinutes(Math.Abs(offsetMinutes % (14 * 60)) * Math.Sign(offsetMinutes));
        var withOffset = text + (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hh\\:mm", System.Globalization.CultureInfo.InvariantCulture);
        var utc = date.Ticks - offset.Ticks;
        var offsetReadable = utc >= DateTime.MinValue.Ticks && utc <= DateTime.MaxValue.Ticks;
        return RowContract.TryParseTimestamp(text, null, out var plain) && plain == date
            && RowContract.TryParseTimestamp(withOffset, null, out var shifted) == offsetReadable
            && (!offsetReadable || shifted.Ticks == utc);
    }

    // The groups of the pattern make a date: the part a regular expression alone cannot check.
    private static bool Valid(string text) => RowContract.TryParseTimestamp(text, null, out _);
}
