using System.Collections.Immutable;

namespace Rfm.Lifetimes;

/// <summary>
/// Predicted against actual purchases in the holdout period, by the customers' repeat purchases in calibration: the
/// test of a purchase model in the papers (conditional expectations, FHL 2005 figure 4).
/// </summary>
public sealed class HoldoutComparison
{
    private HoldoutComparison(ImmutableArray<HoldoutGroup> groups, double length) => (Groups, Length) = (groups, length);

    /// <summary>One row per number of repeat purchases in calibration, 0 up to the last group, which holds that many and more.</summary>
    public ImmutableArray<HoldoutGroup> Groups { get; }

    /// <summary>The length of the holdout period, in the summary's unit.</summary>
    public double Length { get; }

    /// <summary>The purchases made in the holdout period.</summary>
    public long ActualPurchases => Groups.Sum(g => g.ActualPurchases);

    /// <summary>The purchases the model expected in the holdout period.</summary>
    public double PredictedPurchases => Groups.Sum(g => g.PredictedPurchases);

    /// <summary>Compares a model's conditional expectations with what the customers of a summary did in its holdout period.</summary>
    /// <param name="model">The purchase model, fitted to <paramref name="summary"/>'s customers.</param>
    /// <param name="summary">A summary with a holdout period.</param>
    /// <param name="lastGroup">The repeat purchases from which customers share one group: 7 in the papers' figures.</param>
    /// <returns>The comparison.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The summary has no holdout period.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lastGroup"/> is negative.</exception>
    public static HoldoutComparison Of(IPurchaseModel model, CalibrationSummary summary, int lastGroup = 7)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentOutOfRangeException.ThrowIfNegative(lastGroup);
        if (summary.HoldoutEnd is null)
        {
            throw new ArgumentException("The summary has no holdout period to compare with.", nameof(summary));
        }

        var length = summary.HoldoutLength;
        var (customers, actual, predicted) = (new int[lastGroup + 1], new long[lastGroup + 1], new double[lastGroup + 1]);
        foreach (var customer in summary.Customers)
        {
            var group = Math.Min(customer.RepeatPurchases, lastGroup);
            customers[group]++;
            actual[group] += customer.HoldoutPurchases;
            predicted[group] += model.ExpectedPurchases(customer, length);
        }

        return new HoldoutComparison(
            [.. Enumerable.Range(0, lastGroup + 1).Select(g => new HoldoutGroup(g, g == lastGroup, customers[g], actual[g], predicted[g]))],
            length);
    }
}

/// <summary>The customers with one number of repeat purchases in calibration (or that many and more), and their holdout purchases.</summary>
/// <param name="RepeatPurchases">x, the repeat purchases in calibration.</param>
/// <param name="AndMore">Whether the group also holds every customer with more repeat purchases.</param>
/// <param name="Customers">The customers in the group.</param>
/// <param name="ActualPurchases">Their purchases in the holdout period.</param>
/// <param name="PredictedPurchases">The purchases the model expected of them there.</param>
public readonly record struct HoldoutGroup(int RepeatPurchases, bool AndMore, int Customers, long ActualPurchases, double PredictedPurchases)
{
    /// <summary>The mean actual purchases per customer; 0 for an empty group.</summary>
    public double ActualMean => Customers == 0 ? 0 : (double)ActualPurchases / Customers;

    /// <summary>The mean predicted purchases per customer; 0 for an empty group.</summary>
    public double PredictedMean => Customers == 0 ? 0 : PredictedPurchases / Customers;
}
