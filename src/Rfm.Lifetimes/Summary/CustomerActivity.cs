namespace Rfm.Lifetimes;

/// <summary>
/// One customer in the terms of the buy-till-you-die literature: repeat purchases x, the time of the last purchase t_x
/// and the age T at the end of calibration, with the mean spend of the repeat purchases (for the spend model) and what
/// the customer bought in the holdout period.
/// </summary>
/// <remarks>
/// These are not RFM's recency and frequency. x counts purchase days after the first (one purchase in all is x = 0);
/// t_x is measured from the customer's first purchase forward to the last (RFM recency runs from the last purchase to
/// the analysis date); T is the time from the first purchase to the end of calibration. Times are in the
/// <see cref="TimeUnit"/> of the summary that made them.
/// </remarks>
public sealed class CustomerActivity
{
    /// <summary>Describes one customer.</summary>
    /// <param name="customerId">The customer id.</param>
    /// <param name="repeatPurchases">x: the purchases after the first, in calibration; 0 or more.</param>
    /// <param name="timeOfLastPurchase">t_x: the time from the first purchase to the last; 0 when x is 0.</param>
    /// <param name="age">T: the time from the first purchase to the end of calibration; at least t_x.</param>
    /// <param name="meanRepeatSpend">m_x: the mean money of the repeat purchases; null when x is 0.</param>
    /// <exception cref="ArgumentException">A value is out of range, not finite, or inconsistent with another; the message names the customer.</exception>
    public CustomerActivity(string customerId, int repeatPurchases, double timeOfLastPurchase, double age, decimal? meanRepeatSpend = null)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        string Problem(string what) => $"Customer '{customerId}': {what}";
        if (repeatPurchases < 0)
        {
            throw new ArgumentException(Problem($"repeat purchases (x) must be 0 or more, not {repeatPurchases}."), nameof(repeatPurchases));
        }

        if (!double.IsFinite(timeOfLastPurchase) || timeOfLastPurchase < 0 || (repeatPurchases == 0 && timeOfLastPurchase != 0))
        {
            throw new ArgumentException(Problem($"the time of the last purchase (t_x) must be finite, 0 or more, and 0 when there is no repeat purchase, not {timeOfLastPurchase}."), nameof(timeOfLastPurchase));
        }

        if (!double.IsFinite(age) || age < timeOfLastPurchase)
        {
            throw new ArgumentException(Problem($"the age (T = {age}) must be finite and at least the time of the last purchase (t_x = {timeOfLastPurchase})."), nameof(age));
        }

        if ((repeatPurchases == 0) != (meanRepeatSpend is null))
        {
            throw new ArgumentException(Problem("the mean repeat spend (m_x) is given exactly when there are repeat purchases."), nameof(meanRepeatSpend));
        }

        (CustomerId, RepeatPurchases, TimeOfLastPurchase, Age, MeanRepeatSpend) = (customerId, repeatPurchases, timeOfLastPurchase, age, meanRepeatSpend);
    }

    /// <summary>The customer id.</summary>
    public string CustomerId { get; }

    /// <summary>x: the purchases after the first in calibration (purchases on one day count once).</summary>
    public int RepeatPurchases { get; }

    /// <summary>t_x: the time from the first purchase to the last one in calibration; 0 when there is no repeat purchase.</summary>
    public double TimeOfLastPurchase { get; }

    /// <summary>T: the time from the first purchase to the end of calibration.</summary>
    public double Age { get; }

    /// <summary>
    /// m_x: the mean money of the repeat purchases in calibration (the first purchase left out, as the spend model
    /// expects), exact to <see cref="decimal"/> division; null when there is no repeat purchase.
    /// </summary>
    public decimal? MeanRepeatSpend { get; }

    /// <summary>The purchases (distinct days) in the holdout period; 0 without one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int HoldoutPurchases
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, $"Customer '{CustomerId}': holdout purchases must be 0 or more.");
    }

    /// <summary>The exact money spent in the holdout period; 0 without one.</summary>
    public decimal HoldoutSpend { get; init; }
}
