namespace Rfm.Lifetimes.Tests;

/// <summary>The CLV schedule: discounted value per unit after calibration, adding up to the lifetime value.</summary>
public sealed class ClvScheduleTests
{
    public static TheoryData<string, int, TimeUnit, double> Cases => new()
    {
        { "BG/NBD", 52, TimeUnit.Week, 0.1 },
        { "MBG/NBD", 52, TimeUnit.Week, 0.1 },
        { "Pareto/NBD", 52, TimeUnit.Week, 0.1 },
        { "BG/NBD", 12, TimeUnit.Month, 0.05 },
        { "Pareto/NBD", 12, TimeUnit.Month, 0 },
        { "BG/NBD", 260, TimeUnit.Week, 0.1 },
        { "MBG/NBD", 260, TimeUnit.Week, 0.1 },
        { "Pareto/NBD", 260, TimeUnit.Week, 0.1 },
    };

    private static IPurchaseModel Model(string name) => name switch
    {
        "BG/NBD" => Cdnow.PublishedBgNbd,
        "MBG/NBD" => Cdnow.PublishedMbgNbd,
        _ => Cdnow.PublishedParetoNbd,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Schedule_SumsToTheLifetimeValue(string model, int horizon, TimeUnit unit, double rate)
    {
        var customers = Cdnow.Sample.Customers.Where((_, i) => i % 10 == 0).ToList();
        var calculator = new ClvCalculator(Model(model), Cdnow.PublishedGammaGamma, horizon, unit, rate);

        var values = calculator.Calculate(customers);
        var schedule = calculator.Schedule(customers);

        Assert.Equal(unit, schedule.Unit);
        Assert.Equal(horizon, schedule.Periods);
        Assert.Equal(customers.Count, schedule.Customers.Length);
        for (var i = 0; i < customers.Count; i++)
        {
            var row = schedule.Customers[i];
            Assert.Same(customers[i], row.Customer);
            Assert.Equal(horizon, row.Values.Length);
            Assert.All(row.Values, v => Assert.True(v > 0, $"customer {row.Customer.CustomerId}: {v}"));
            Assert.True(Math.Abs(row.Total - values[i].LifetimeValue) <= 1e-9 * values[i].LifetimeValue, $"customer {row.Customer.CustomerId}: {row.Total} vs {values[i].LifetimeValue}");
        }

        var total = values.Sum(v => v.LifetimeValue);
        Assert.True(Math.Abs(schedule.Totals.Sum() - total) <= 1e-9 * total);
        for (var k = 0; k < horizon; k++)
        {
            var sum = schedule.Customers.Sum(c => c.Values[k]);
            Assert.Equal(sum, schedule.Totals[k], sum * 1e-12);
        }
    }

    [Fact]
    public void Schedule_PeriodK_IsTheIncrementTimesSpendTimesDiscount()
    {
        var customer = Cdnow.Sample.Customers.First(c => c.RepeatPurchases > 2);
        var model = Cdnow.PublishedBgNbd;
        var schedule = new ClvCalculator(model, Cdnow.PublishedGammaGamma, 3, TimeUnit.Month, 0.12).Schedule([customer]);

        var spend = Cdnow.PublishedGammaGamma.ExpectedAverageSpend(customer);
        for (var k = 1; k <= 3; k++)
        {
            var purchases = model.ExpectedPurchases(customer, k) - model.ExpectedPurchases(customer, k - 1);
            var expected = purchases * spend * Math.Pow(1.12, -k / 12.0);
            Assert.Equal(expected, schedule.Customers[0].Values[k - 1], expected * 1e-12);
        }

        // Fewer purchases expected as the chance of being alive falls, and a deeper discount: later months are worth less.
        Assert.True(schedule.Customers[0].Values[0] > schedule.Customers[0].Values[2]);
    }

    [Fact]
    public void Schedule_ArgValidation()
    {
        var calculator = new ClvCalculator(Cdnow.PublishedBgNbd, Cdnow.PublishedGammaGamma, 4, TimeUnit.Week);

        Assert.Throws<ArgumentNullException>("customers", () => calculator.Schedule(null!));
        Assert.Throws<ArgumentNullException>("customers", () => calculator.Schedule([null!]));
        Assert.Empty(calculator.Schedule([]).Customers);
        Assert.Throws<ArgumentException>("customer", () => calculator.Schedule([new CustomerActivity("free", 1, 1, 5, 0m)]));
    }
}
