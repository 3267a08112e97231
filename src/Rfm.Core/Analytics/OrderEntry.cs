namespace Rfm.Analytics;

/// <summary>One entry of an <see cref="OrderHistory"/>: an order, or a run of rows without an order id that share customer and time.</summary>
/// <param name="Customer">The customer's position in the history's <see cref="MetricsSnapshot.Customers"/>.</param>
/// <param name="Time">The order's time: the earliest of its rows.</param>
/// <param name="Amount">The order's money: the exact sum of its rows.</param>
/// <param name="Orders">How many orders the entry stands for: 1 for an order with an id; the rows of the run without one.</param>
public readonly record struct OrderEntry(int Customer, DateTime Time, decimal Amount, int Orders);
