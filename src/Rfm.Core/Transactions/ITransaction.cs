namespace Rfm;

/// <summary>
/// One line of a customer transaction log: who bought, in which order, when and for how much.
/// </summary>
/// <remarks>
/// Implement it on a <see langword="struct"/> and pass it through the generic entry points
/// (<see cref="RfmAccumulator.Add{T}(in T)"/>, <see cref="RfmCalculator.Calculate{T}(IEnumerable{T}, DateTime)"/>)
/// so that rows are neither boxed nor copied to the heap. <see cref="Transaction"/> is a ready-made
/// implementation.
/// </remarks>
public interface ITransaction
{
    /// <summary>The customer key; <see langword="null"/> or empty when the row has no customer.</summary>
    string? CustomerId { get; }

    /// <summary>
    /// The order (invoice) id, used to count distinct orders and to recognise cancellations;
    /// <see langword="null"/> when the log has no order ids, in which case each row is one order.
    /// </summary>
    string? OrderId { get; }

    /// <summary>When the purchase happened. All rows of one analysis must share one clock (time zone).</summary>
    DateTime Timestamp { get; }

    /// <summary>The money of the line: the amount paid, or quantity times unit price.</summary>
    decimal Amount { get; }
}
