namespace Rfm;

/// <summary>
/// Which rows count. Every row a policy excludes is counted with its <see cref="ExclusionReason"/>
/// in the <see cref="IngestionSummary"/>; nothing is dropped silently.
/// </summary>
/// <remarks>
/// Rows without a customer id and rows dated after the analysis date are always excluded: they cannot
/// be attributed or have not happened yet. Immutable; change a copy with a <see langword="with"/> expression.
/// </remarks>
public sealed record TransactionPolicy
{
    /// <summary>
    /// The default policy: cancellations are order ids starting with <c>C</c>; rows with a non-positive
    /// quantity, price or amount are excluded; every customer is kept.
    /// </summary>
    public static TransactionPolicy Default { get; } = new();

    /// <summary>
    /// The classic pandas tutorial: order ids containing <c>C</c> are cancellations, and nothing else is
    /// excluded (returns and adjustments that are not cancellations stay in the sums).
    /// </summary>
    public static TransactionPolicy Tutorial { get; } = new()
    {
        Cancellations = CancellationRule.OrderIdContains("C"),
        ExcludeNonPositive = false,
    };

    /// <summary>Which order ids mark cancelled orders.</summary>
    /// <value>Default: <see cref="CancellationRule.Default"/> (order id starts with <c>C</c>).</value>
    public CancellationRule Cancellations
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(value));
    } = CancellationRule.Default;

    /// <summary>Whether rows with a zero or negative quantity, unit price or amount are excluded.</summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool ExcludeNonPositive { get; init; } = true;

    /// <summary>
    /// The reasons a row is checked for under this policy, in the order they are checked (the first that applies
    /// excludes the row): <see cref="ExclusionReason.MissingCustomer"/>; <see cref="ExclusionReason.Cancellation"/>
    /// unless the rule is <see cref="CancellationRule.None"/>; <see cref="ExclusionReason.NonPositiveQuantity"/>,
    /// <see cref="ExclusionReason.NonPositivePrice"/> and <see cref="ExclusionReason.NonPositiveAmount"/> when
    /// <see cref="ExcludeNonPositive"/> is on; <see cref="ExclusionReason.AfterAsOf"/>. A reader checks for an
    /// <see cref="ExclusionReason.EmptyRow"/> before these, and <see cref="ExclusionReason.NonPositiveCustomerTotal"/>
    /// applies to whole customers after them. The one statement of the order, which SQL follows.
    /// </summary>
    public System.Collections.Immutable.ImmutableArray<ExclusionReason> RowChecks =>
    [
        ExclusionReason.MissingCustomer,
        .. Cancellations.Equals(CancellationRule.None) ? (ReadOnlySpan<ExclusionReason>)[] : [ExclusionReason.Cancellation],
        .. ExcludeNonPositive ? (ReadOnlySpan<ExclusionReason>)[ExclusionReason.NonPositiveQuantity, ExclusionReason.NonPositivePrice, ExclusionReason.NonPositiveAmount] : [],
        ExclusionReason.AfterAsOf,
    ];

    /// <summary>
    /// Whether customers whose monetary total is zero or negative are dropped (their rows are then
    /// counted as <see cref="ExclusionReason.NonPositiveCustomerTotal"/>).
    /// </summary>
    /// <value>Default: <see langword="false"/> (kept).</value>
    public bool DropNonPositiveCustomers { get; init; }

    /// <summary>
    /// Classifies one row. The first reason that applies wins, in this order: missing customer,
    /// cancellation, non-positive amount, after the analysis date.
    /// </summary>
    /// <param name="customerId">The customer id.</param>
    /// <param name="orderId">The order id.</param>
    /// <param name="timestamp">The row's date.</param>
    /// <param name="amount">The row's money.</param>
    /// <param name="asOf">The analysis date.</param>
    /// <returns>Why the row is excluded, or <see langword="null"/> when it counts.</returns>
    public ExclusionReason? Classify(string? customerId, string? orderId, DateTime timestamp, decimal amount, DateTime asOf) =>
        Classify(customerId, orderId, timestamp, amount, asOf, quantity: 1m, unitPrice: 1m);

    /// <summary>
    /// Classifies a row whose amount is quantity times unit price, so that a non-positive quantity or price is
    /// reported as such (a negative quantity at a negative price is not a sale). A row given by its amount alone
    /// passes quantity and price 1. Without a cut-off no row is after it.
    /// </summary>
    internal ExclusionReason? Classify(string? customerId, string? orderId, DateTime timestamp, decimal amount, DateTime? cutoff, decimal quantity, decimal unitPrice)
    {
        var hasCustomer = !RowContract.IsBlankId(customerId);
        return Classify(hasCustomer, hasCustomer && Cancellations.IsCancellation(orderId), quantity > 0m, unitPrice > 0m, amount > 0m, timestamp > cutoff);
    }

    /// <summary>The order of the reasons, for callers that have already read the customer, the order and the signs.</summary>
    internal ExclusionReason? Classify(bool hasCustomer, bool cancelled, bool positiveQuantity, bool positivePrice, bool positiveAmount, bool afterAsOf)
    {
        if (!hasCustomer)
        {
            return ExclusionReason.MissingCustomer;
        }

        if (cancelled)
        {
            return ExclusionReason.Cancellation;
        }

        if (ExcludeNonPositive)
        {
            if (!positiveQuantity)
            {
                return ExclusionReason.NonPositiveQuantity;
            }

            if (!positivePrice)
            {
                return ExclusionReason.NonPositivePrice;
            }

            if (!positiveAmount)
            {
                return ExclusionReason.NonPositiveAmount;
            }
        }

        return afterAsOf ? ExclusionReason.AfterAsOf : null;
    }
}
