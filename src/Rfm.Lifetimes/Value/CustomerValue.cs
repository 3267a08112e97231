namespace Rfm.Lifetimes;

/// <summary>One customer's predictions: P(alive), purchases and spend to expect over the horizon, and the discounted lifetime value.</summary>
/// <param name="Customer">The customer's history.</param>
/// <param name="ProbabilityAlive">P(alive) at the end of calibration.</param>
/// <param name="ExpectedPurchases">The purchases expected over the horizon.</param>
/// <param name="ExpectedAverageSpend">The expected money per future purchase (Gamma-Gamma).</param>
/// <param name="LifetimeValue">The expected money over the horizon, discounted to the end of calibration.</param>
public sealed record CustomerValue(CustomerActivity Customer, double ProbabilityAlive, double ExpectedPurchases, double ExpectedAverageSpend, double LifetimeValue);
