namespace Rfm.Lifetimes.Tests;

/// <summary>
/// The papers' validation: the fitted models' conditional expectations for the 39-week holdout against what the CDNOW
/// sample's customers actually bought there, by their repeat purchases in calibration (FHL 2005, figure 4).
/// </summary>
public sealed class HoldoutTests
{
    public static TheoryData<string> Models => ["bgnbd", "pnbd"];

    [Theory]
    [MemberData(nameof(Models))]
    public void Conditional_expectations_track_the_holdout_purchases(string name)
    {
        IPurchaseModel model = name == "bgnbd" ? BgNbdModel.Fit(Cdnow.Sample.Customers) : ParetoNbdModel.Fit(Cdnow.Sample.Customers);

        var comparison = HoldoutComparison.Of(model, Cdnow.Sample);

        Assert.Equal(39, comparison.Length, 1e-12);
        Assert.Equal(1882, comparison.ActualPurchases); // as counted independently in tests/golden/cdnow_summary.csv
        Assert.Equal(2357, comparison.Groups.Sum(g => g.Customers));
        Assert.True(comparison.Groups[^1].AndMore);

        // Both models expect about 88% of the purchases this holdout saw ...
        Assert.InRange(comparison.PredictedPurchases / comparison.ActualPurchases, 0.85, 0.95);

        // ... while ordering the groups right, each within 0.4 purchases a customer of what it did.
        for (var x = 0; x < comparison.Groups.Length; x++)
        {
            var group = comparison.Groups[x];
            Assert.InRange(group.PredictedMean - group.ActualMean, -0.4, 0.2);
            if (x > 0)
            {
                Assert.True(group.PredictedMean > comparison.Groups[x - 1].PredictedMean);
            }
        }
    }

    [Fact]
    public void A_summary_without_holdout_cannot_be_compared()
    {
        var summary = CalibrationSummary.From(Cdnow.Transactions("CDNOW_sample.txt"), Cdnow.CalibrationEnd, policy: Cdnow.KeepZeroPurchases);

        Assert.Throws<ArgumentException>(() => HoldoutComparison.Of(Cdnow.PublishedBgNbd, summary));
    }
}
