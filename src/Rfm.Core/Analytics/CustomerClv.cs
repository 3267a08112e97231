namespace Rfm.Analytics;

/// <summary>One customer's simple lifetime value and its quartile.</summary>
public readonly record struct CustomerClv
{
    internal CustomerClv(string customerId, int frequency, decimal monetary, decimal averageOrderValue, double purchaseFrequency, decimal clv, int quartile)
    {
        CustomerId = customerId;
        Frequency = frequency;
        Monetary = monetary;
        AverageOrderValue = averageOrderValue;
        PurchaseFrequency = purchaseFrequency;
        Clv = clv;
        Quartile = quartile;
    }

    /// <summary>The customer id.</summary>
    public string CustomerId { get; }

    /// <summary>The customer's orders.</summary>
    public int Frequency { get; }

    /// <summary>The customer's money.</summary>
    public decimal Monetary { get; }

    /// <summary>Monetary / frequency (decimal division).</summary>
    public decimal AverageOrderValue { get; }

    /// <summary>Frequency / all customers, as the formula has it.</summary>
    public double PurchaseFrequency { get; }

    /// <summary>Average order value x purchase frequency / churn rate x margin: the customer's share of the average customer's value.</summary>
    public decimal Clv { get; }

    /// <summary>1 to 4 by <see cref="Clv"/>, quantile bins as for RFM scores (4 the highest quarter).</summary>
    public int Quartile { get; }

    /// <summary>The quartile as a letter: A for the highest quarter (4), then B, C, and D for the lowest (1).</summary>
    public string ClvSegment => Letters[Quartile - 1];

    private static readonly string[] Letters = ["D", "C", "B", "A"];
}
