namespace Rfm.Segmentation;

/// <summary>
/// One customer of a campaign target list (<see cref="CampaignTargets.Select(RfmResult, ISegmentMap, IEnumerable{string})"/>):
/// the customer's metrics, scores and segment, what to do and through which channel, and how the segment changed
/// since an earlier result.
/// </summary>
/// <param name="Customer">The customer's metrics, scores and segment in the current result.</param>
/// <param name="PreviousSegment">
/// The customer's segment in the earlier result; <see langword="null"/> when no earlier result was given or the
/// customer was not in it.
/// </param>
/// <param name="Change">
/// How the segment changed since the earlier result (<see cref="MigrationDirection.New"/> for a customer not in it);
/// <see langword="null"/> when no earlier result was given.
/// </param>
public readonly record struct CampaignTarget(CustomerRfm Customer, Segment? PreviousSegment, MigrationDirection? Change)
{
    /// <summary>The customer id.</summary>
    public string CustomerId => Customer.CustomerId;

    /// <summary>The customer's segment in the current result: one of the segments chosen.</summary>
    public Segment Segment => Customer.Segment;

    /// <summary>What to do for the customer: the segment's <see cref="Segment.SuggestedAction"/>.</summary>
    public string SuggestedAction => Customer.Segment.SuggestedAction;

    /// <summary>How to reach the customer: the segment's <see cref="Segment.SuggestedChannel"/>.</summary>
    public string SuggestedChannel => Customer.Segment.SuggestedChannel;

    /// <summary>
    /// Whether the customer's segment differs from the earlier result's: <see langword="true"/> for any
    /// <see cref="Change"/> but <see cref="MigrationDirection.Unchanged"/> (a customer new since then included);
    /// <see langword="null"/> when no earlier result was given.
    /// </summary>
    public bool? ChangedSegment => Change is { } change ? change != MigrationDirection.Unchanged : null;
}
