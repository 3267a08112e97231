namespace Rfm;

/// <summary>One customer's RFM metrics as of an analysis date.</summary>
/// <param name="CustomerId">The customer key.</param>
/// <param name="Recency">Whole days from the last purchase to the analysis date, rounded down; never negative.</param>
/// <param name="Frequency">Distinct orders (rows without an order id count one each).</param>
/// <param name="Monetary">The exact sum of the customer's included amounts.</param>
/// <param name="FirstPurchase">The earliest included purchase.</param>
/// <param name="LastPurchase">The latest included purchase.</param>
/// <param name="Lines">The number of included rows.</param>
/// <param name="Tenure">Whole days from the first purchase to the analysis date, rounded down.</param>
public readonly record struct CustomerMetrics(
    string CustomerId,
    int Recency,
    int Frequency,
    decimal Monetary,
    DateTime FirstPurchase,
    DateTime LastPurchase,
    long Lines,
    int Tenure);
