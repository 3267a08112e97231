namespace Rfm;

/// <summary>A ready-made, allocation-free <see cref="ITransaction"/>.</summary>
/// <param name="CustomerId">The customer key; <see langword="null"/> or empty when the row has no customer.</param>
/// <param name="OrderId">The order (invoice) id, or <see langword="null"/> when each row is its own order.</param>
/// <param name="Timestamp">When the purchase happened.</param>
/// <param name="Amount">The money of the line.</param>
public readonly record struct Transaction(string? CustomerId, string? OrderId, DateTime Timestamp, decimal Amount)
    : ITransaction;
