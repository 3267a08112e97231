using System.Globalization;

namespace Rfm.Tests.Accumulation;

public sealed class CustomerOrderTests
{
    private static readonly DateTime AsOf = new(2024, 1, 10);

    [Fact]
    public void NumericKeys_SortAsTheDigitStrings_PrefixesFirst()
    {
        string[] ids = ["2", "120", "12", "13", "0", "1200", "9", "10", "1", "99999999999999999", "100000000000000000"[..17]];
        var keys = CustomerTable.NumericOrdinalKeys(ids);

        Assert.NotNull(keys);
        var byKey = ids.ToArray();
        Array.Sort(keys, byKey);
        Assert.Equal(ids.Order(StringComparer.Ordinal), byKey);
    }

    [Theory]
    [InlineData("012")] // a leading zero
    [InlineData("12a")]
    [InlineData("-12")]
    [InlineData("１２")] // digits, but not ASCII
    [InlineData("123456789012345678")] // 18 digits
    [InlineData("")]
    public void NumericKeys_AreNotUsed_WhenAnyIdIsNotACanonicalNumber(string odd) =>
        Assert.Null(CustomerTable.NumericOrdinalKeys(["5", odd, "12"]));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Snapshot_OrdersCustomersOrdinally_WhetherIdsAreNumbersOrNot(bool allNumeric)
    {
        var random = new Random(19);
        var ids = Enumerable.Range(0, 5_000)
            .Select(_ => random.NextInt64(0, (long)Math.Pow(10, random.Next(1, 18))).ToString(CultureInfo.InvariantCulture))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (!allNumeric)
        {
            ids.Add("0042");
        }

        var accumulator = new RfmAccumulator(AsOf);
        foreach (var id in ids)
        {
            accumulator.Add(new Transaction(id, "o", AsOf.AddDays(-1), 1m));
        }

        var snapshot = accumulator.Snapshot();

        Assert.Equal(ids.Order(StringComparer.Ordinal), snapshot.Customers.Select(customer => customer.CustomerId));
    }
}
