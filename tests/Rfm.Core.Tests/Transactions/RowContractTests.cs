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
