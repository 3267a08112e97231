namespace Rfm.Lifetimes;

/// <summary>The unit the models measure time in: ages, times of purchase, horizons and the fitted scale parameters.</summary>
/// <remarks>
/// Purchases are always merged per calendar day; the unit only scales elapsed days, so a week is 7 days and a month
/// is the mean Gregorian month of 30.436875 days (365.2425 / 12). The fitted shape parameters do not depend on it;
/// the scale parameters (α, β) are in this unit.
/// </remarks>
public enum TimeUnit
{
    /// <summary>One day.</summary>
    Day,

    /// <summary>Seven days: the unit of the published CDNOW analyses.</summary>
    Week,

    /// <summary>The mean Gregorian month, 30.436875 days.</summary>
    Month,
}

/// <summary>Lengths of the time units.</summary>
internal static class TimeUnits
{
    /// <summary>The days in a mean Gregorian year, by which an annual discount rate is spread over time.</summary>
    public const double DaysPerYear = 365.2425;

    public static double Days(this TimeUnit unit) => unit switch
    {
        TimeUnit.Day => 1,
        TimeUnit.Week => 7,
        TimeUnit.Month => DaysPerYear / 12,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Use Day, Week or Month."),
    };
}
