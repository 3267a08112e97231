namespace Rfm;

/// <summary>Why a row did not count towards any customer's metrics.</summary>
public enum ExclusionReason
{
    /// <summary>The row has no customer id (null, empty or white space).</summary>
    MissingCustomer = 1,

    /// <summary>The row belongs to a cancelled order, as decided by <see cref="TransactionPolicy.Cancellations"/>.</summary>
    Cancellation = 2,

    /// <summary>The quantity is zero or negative and <see cref="TransactionPolicy.ExcludeNonPositive"/> is on.</summary>
    NonPositiveQuantity = 3,

    /// <summary>The unit price is zero or negative and <see cref="TransactionPolicy.ExcludeNonPositive"/> is on.</summary>
    NonPositivePrice = 4,

    /// <summary>The amount is zero or negative and <see cref="TransactionPolicy.ExcludeNonPositive"/> is on.</summary>
    NonPositiveAmount = 5,

    /// <summary>
    /// The row is dated after the cut-off (<see cref="RfmAccumulator.Cutoff"/>, the analysis date when the caller gives
    /// one), so it cannot count yet.
    /// </summary>
    AfterAsOf = 6,

    /// <summary>
    /// The row is valid, but its customer's monetary total is zero or negative and
    /// <see cref="TransactionPolicy.DropNonPositiveCustomers"/> is on.
    /// </summary>
    NonPositiveCustomerTotal = 7,

    /// <summary>
    /// Every field the mapping reads is empty: a blank line of a file or an empty worksheet row. Checked before
    /// every other reason, by the readers of files and data readers.
    /// </summary>
    EmptyRow = 8,
}
