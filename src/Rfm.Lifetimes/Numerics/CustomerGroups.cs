namespace Rfm.Lifetimes.Numerics;

/// <summary>
/// The distinct (x, t_x, T) of the customers with how many share each: the likelihood of a group is computed once,
/// which makes fitting on a large base cost what its distinct histories cost.
/// </summary>
internal sealed class CustomerGroups
{
    private CustomerGroups(int[] x, double[] tx, double[] age, double[] weight, int customers)
    {
        (X, Tx, Age, Weight, Customers) = (x, tx, age, weight, customers);
        MaxX = x.Length == 0 ? 0 : x.Max();
        MeanAge = age.Length == 0 ? 0 : age.Zip(weight, (a, w) => a * w).Sum() / customers;
    }

    public int[] X { get; }

    public double[] Tx { get; }

    public double[] Age { get; }

    public double[] Weight { get; }

    public int Customers { get; }

    public int MaxX { get; }

    public double MeanAge { get; }

    public int Count => X.Length;

    public static CustomerGroups Of(IEnumerable<CustomerActivity> customers)
    {
        var groups = new Dictionary<(int, double, double), int>();
        var count = 0;
        foreach (var customer in customers)
        {
            ArgumentNullException.ThrowIfNull(customer, nameof(customers));
            var key = (customer.RepeatPurchases, customer.TimeOfLastPurchase, customer.Age);
            groups[key] = groups.GetValueOrDefault(key) + 1;
            count++;
        }

        var keys = groups.Keys.Order().ToArray();
        return new CustomerGroups(
            keys.Select(k => k.Item1).ToArray(),
            keys.Select(k => k.Item2).ToArray(),
            keys.Select(k => k.Item3).ToArray(),
            keys.Select(k => (double)groups[k]).ToArray(),
            count);
    }
}
