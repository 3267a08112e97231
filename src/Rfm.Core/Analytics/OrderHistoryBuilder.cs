namespace Rfm.Analytics;

/// <summary>Makes an <see cref="OrderHistory"/> of the orders an accumulator kept and a snapshot of its customers.</summary>
internal static class OrderHistoryBuilder
{
    /// <summary>
    /// The orders of <paramref name="ledger"/> whose customers <paramref name="snapshot"/> keeps, naming each customer by
    /// its position in the snapshot rather than by its index in the accumulator.
    /// </summary>
    /// <param name="snapshot">The customers' metrics; customers dropped for a non-positive total are not in it.</param>
    /// <param name="ledger">The orders, naming customers by their index in the accumulator.</param>
    /// <param name="customerCount">The number of customers in the accumulator.</param>
    /// <param name="indexOf">The index in the accumulator of a customer of the snapshot.</param>
    public static OrderHistory Build(MetricsSnapshot snapshot, OrderLedger ledger, int customerCount, Func<string, int> indexOf)
    {
        var position = new int[customerCount];
        Array.Fill(position, -1);
        for (var i = 0; i < snapshot.Customers.Length; i++)
        {
            position[indexOf(snapshot.Customers[i].CustomerId)] = i;
        }

        var kept = 0;
        foreach (var customer in ledger.Customer)
        {
            kept += position[customer] >= 0 ? 1 : 0;
        }

        var (customers, ticks, amounts, orders) = (new int[kept], new long[kept], new decimal[kept], new int[kept]);
        var next = 0;
        for (var entry = 0; entry < ledger.Count; entry++)
        {
            if (position[ledger.Customer[entry]] is var at and >= 0)
            {
                (customers[next], ticks[next], amounts[next], orders[next]) = (at, ledger.Ticks[entry], ledger.Amount[entry], ledger.Orders[entry]);
                next++;
            }
        }

        return new OrderHistory(snapshot, customers, ticks, amounts, orders);
    }
}
