namespace Rfm.Analytics;

/// <summary>One customer's simple lifetime value and its quartile.</summary>
/// <param name="CustomerId">The customer id.</param>
/// <param name="Frequency">The customer's orders.</param>
/// <param name="Monetary">The customer's money.</param>
/// <param name="AverageOrderValue">Monetary / frequency (decimal division).</param>
/// <param name="PurchaseFrequency">Frequency / all customers, as the formula has it.</param>
/// <param name="Clv">Average order value x purchase frequency / churn rate x margin.</param>
/// <param name="Quartile">1 to 4 by <see cref="Clv"/>, quantile bins as for RFM scores (4 the highest quarter).</param>
public readonly record struct CustomerClv(string CustomerId, int Frequency, decimal Monetary, decimal AverageOrderValue, double PurchaseFrequency, decimal Clv, int Quartile)
{
    /// <summary>The quartile as a letter: A for the highest quarter (4) down to D for the lowest (1).</summary>
    public string Segment => Quartile switch
    {
        4 => "A",
        3 => "B",
        2 => "C",
        _ => "D",
    };
}
