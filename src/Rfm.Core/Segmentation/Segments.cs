namespace Rfm.Segmentation;

/// <summary>
/// The well-known RFM segments used by the built-in maps, each with its playbook: a description, a suggested action
/// and the channel to take it through, drawn from common CRM practice. Use them in custom maps, or make your own
/// <see cref="Segment"/>.
/// </summary>
public static class Segments
{
    /// <summary>Bought recently, buy often and spend the most.</summary>
    public static Segment Champions { get; } = new(
        "champions",
        "Champions",
        "Bought recently, buy often and spend the most.",
        "Thank and reward them: early access, gifts, a strong advocacy programme.",
        "Loyalty programme and personal thank-you gifts by post.");

    /// <summary>Buy regularly and respond to promotions.</summary>
    public static Segment LoyalCustomers { get; } = new(
        "loyal_customers",
        "Loyal customers",
        "Buy regularly and spend well; responsive to promotions.",
        "Upsell higher-value products, ask for reviews, treat them like champions.",
        "Loyalty programme and personalised email.");

    /// <summary>Recent customers with average frequency who could become loyal.</summary>
    public static Segment PotentialLoyalists { get; } = new(
        "potential_loyalists",
        "Potential loyalists",
        "Recent customers who bought more than once or spent well.",
        "Offer membership or loyalty programmes and special holiday promotions.",
        "Seasonal email and SMS promotions.");

    /// <summary>Bought very recently, but only once.</summary>
    public static Segment NewCustomers { get; } = new(
        "new_customers",
        "New customers",
        "Bought very recently, but only once.",
        "Onboard them well: welcome series, early support, reasons to come back.",
        "Email welcome series.");

    /// <summary>Recent shoppers who have not bought much yet.</summary>
    public static Segment Promising { get; } = new(
        "promising",
        "Promising",
        "Recent shoppers who have not bought much yet.",
        "Build the relationship: review their main products and offer one free or at a discount.",
        "Email and on-site offers on their main products.");

    /// <summary>Above-average recency, frequency and spend, but slipping.</summary>
    public static Segment NeedAttention { get; } = new(
        "need_attention",
        "Need attention",
        "Came with some frequency and spend, but have not bought for a while.",
        "Improve service to understand their needs; limited-time offers based on past purchases.",
        "Customer service: a call or live chat, then a tailored email offer.");

    /// <summary>Below-average recency and frequency: will be lost if not reactivated.</summary>
    public static Segment AboutToSleep { get; } = new(
        "about_to_sleep",
        "About to sleep",
        "Below-average recency and frequency; will be lost if not reactivated.",
        "Share valuable resources, recommend popular products, offer renewal discounts.",
        "Email newsletter with recommendations.");

    /// <summary>Used to buy often, but not for a long time.</summary>
    public static Segment AtRisk { get; } = new(
        "at_risk",
        "At risk",
        "Bought often in the past, but not for a long time: the group most likely to leave.",
        "Survey them to find the root of the problem; send personalised win-back offers.",
        "Email survey, then a personal win-back offer.");

    /// <summary>Were among the best customers, and are slipping away.</summary>
    public static Segment CantLose { get; } = new(
        "cant_lose",
        "Can't lose them",
        "Made the biggest and most frequent purchases, but have not returned for a long time.",
        "Win them back with renewals or new products; talk to them; do not lose them to the competition.",
        "A personal call from customer service or their account manager.");

    /// <summary>Last purchase long ago, few orders.</summary>
    public static Segment Hibernating { get; } = new(
        "hibernating",
        "Hibernating",
        "Last purchase long ago, few orders and little spend.",
        "Offer relevant products and special discounts; recreate brand value.",
        "Low-cost channels only: email and retargeting ads.");

    /// <summary>Lowest recency, frequency and spend.</summary>
    public static Segment Lost { get; } = new(
        "lost",
        "Lost",
        "Lowest recency, frequency and spend: most likely never coming back.",
        "Revive interest with an outreach campaign, otherwise leave them out of targeting.",
        "None: leave them out of paid campaigns.");

    /// <summary>The segment for customers no rule of a map matches.</summary>
    public static Segment Other { get; } = new(
        "other",
        "Other",
        "Customers whose scores no rule of the segment map covers.",
        "Review the segment map: these customers fall between its rules.",
        "None until the segment map covers them.");
}
