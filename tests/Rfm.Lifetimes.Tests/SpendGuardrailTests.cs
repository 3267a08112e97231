namespace Rfm.Lifetimes.Tests;

/// <summary>The Gamma-Gamma model's guardrails: the frequency-spend correlation, and the refusals of q ≤ 1 and of non-positive spend.</summary>
public sealed class SpendGuardrailTests
{
    [Fact]
    public void SpendFrequencyCorrelation_SmallSet_IsPearsonsR()
    {
        // x = 1, 2, 3 with m_x = 10, 20, 60; the one-off customer is left out.
        // Means 2 and 30; deviations (−1, 0, 1) and (−20, −10, 30): Σdxdy = 50, Σdx² = 2, Σdy² = 1400; r = 50 / √2800.
        CustomerActivity[] customers =
        [
            new("a", 1, 1, 5, 10m), new("b", 2, 2, 5, 20m), new("c", 3, 3, 5, 60m), new("once", 0, 0, 5),
        ];

        Assert.Equal(50 / Math.Sqrt(2800), GammaGammaModel.SpendFrequencyCorrelation(customers)!.Value, 1e-14);
        Assert.True(GammaGammaModel.SpendFrequencyCorrelation(customers) > GammaGammaModel.SpendFrequencyCorrelationThreshold);
    }

    [Fact]
    public void SpendFrequencyCorrelation_Undefined_IsNull()
    {
        Assert.Null(GammaGammaModel.SpendFrequencyCorrelation([new CustomerActivity("a", 1, 1, 5, 10m), new CustomerActivity("once", 0, 0, 5)]));
        Assert.Null(GammaGammaModel.SpendFrequencyCorrelation([new CustomerActivity("a", 2, 1, 5, 10m), new CustomerActivity("b", 2, 2, 5, 30m)]));
        Assert.Null(GammaGammaModel.SpendFrequencyCorrelation([new CustomerActivity("a", 1, 1, 5, 10m), new CustomerActivity("b", 2, 2, 5, 10m)]));
    }

    [Fact]
    public void SpendFrequencyCorrelation_CdnowSample_IsNearZero()
    {
        // lifetimes' documentation reports 0.113884 for the same customers (frequency against monetary_value); this gives
        // 0.1138879, within 4e-6 of it.
        var r = GammaGammaModel.SpendFrequencyCorrelation(Cdnow.Sample.Customers)!.Value;

        Assert.Equal(0.113884, r, 1e-5);
    }

    [Fact]
    public void SpendFrequencyCorrelation_NonPositiveSpend_IsRefusedNamingTheCustomer()
    {
        var error = Assert.Throws<ArgumentException>("customers", () => GammaGammaModel.SpendFrequencyCorrelation(
            [new CustomerActivity("a", 1, 1, 5, 10m), new CustomerActivity("free", 2, 2, 5, 0m)]));

        Assert.Contains("Customer 'free': mean repeat spend 0 is not above 0", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("customers", () => GammaGammaModel.Fit([new CustomerActivity("refund", 1, 1, 5, -3m)]));
        Assert.Throws<ArgumentNullException>("customers", () => GammaGammaModel.SpendFrequencyCorrelation(null!));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.8)]
    public void ClvCalculator_QAtMostOne_IsRefused(double q)
    {
        var error = Assert.Throws<ArgumentException>("spend", () => new ClvCalculator(Cdnow.PublishedBgNbd, new GammaGammaModel(2, q, 10), 52, TimeUnit.Week));

        Assert.Contains($"q = {q:G6} is 1 or less", error.Message, StringComparison.Ordinal);
        Assert.Contains("p·γ/(q − 1) is undefined", error.Message, StringComparison.Ordinal);
        _ = new ClvCalculator(Cdnow.PublishedBgNbd, new GammaGammaModel(2, 1.0001, 10), 52, TimeUnit.Week);
    }
}
