namespace Rfm.Tests.Transactions;

public sealed class TransactionPolicyTests
{
    private static readonly DateTime AsOf = new(2024, 6, 1);
    private static readonly DateTime Before = new(2024, 5, 1);

    [Theory]
    [InlineData(null, "1", 10, ExclusionReason.MissingCustomer)]
    [InlineData("", "1", 10, ExclusionReason.MissingCustomer)]
    [InlineData("  ", "1", 10, ExclusionReason.MissingCustomer)]
    [InlineData("a", "C123", 10, ExclusionReason.Cancellation)]
    [InlineData("a", "123", 0, ExclusionReason.NonPositiveAmount)]
    [InlineData("a", "123", -5, ExclusionReason.NonPositiveAmount)]
    [InlineData("a", "1C23", 10, null)]
    [InlineData("a", null, 10, null)]
    public void Default_Classify_GivesReason(string? customer, string? order, int amount, ExclusionReason? expected)
    {
        Assert.Equal(expected, TransactionPolicy.Default.Classify(customer, order, Before, amount, AsOf));
    }

    [Fact]
    public void Classify_RowAfterAsOf_IsExcluded_RowAtAsOf_Counts()
    {
        Assert.Equal(ExclusionReason.AfterAsOf, TransactionPolicy.Default.Classify("a", "1", AsOf.AddTicks(1), 1m, AsOf));
        Assert.Null(TransactionPolicy.Default.Classify("a", "1", AsOf, 1m, AsOf));
    }

    [Fact]
    public void Classify_SeveralReasons_FirstInDocumentedOrderWins()
    {
        Assert.Equal(ExclusionReason.MissingCustomer, TransactionPolicy.Default.Classify(null, "C1", AsOf.AddDays(1), -1m, AsOf));
        Assert.Equal(ExclusionReason.Cancellation, TransactionPolicy.Default.Classify("a", "C1", AsOf.AddDays(1), -1m, AsOf));
        Assert.Equal(ExclusionReason.NonPositiveAmount, TransactionPolicy.Default.Classify("a", "1", AsOf.AddDays(1), -1m, AsOf));
    }

    [Fact]
    public void Tutorial_KeepsNonPositiveAmounts_AndCancelsOnContainedC()
    {
        Assert.Null(TransactionPolicy.Tutorial.Classify("a", "1", Before, -5m, AsOf));
        Assert.Equal(ExclusionReason.Cancellation, TransactionPolicy.Tutorial.Classify("a", "12C", Before, 5m, AsOf));
    }

    [Fact]
    public void Classify_QuantityAndPrice_ReportsWhichIsNonPositive()
    {
        var policy = TransactionPolicy.Default;

        Assert.Equal(ExclusionReason.NonPositiveQuantity, policy.Classify("a", "1", Before, 6m, AsOf, quantity: -2m, unitPrice: -3m));
        Assert.Equal(ExclusionReason.NonPositivePrice, policy.Classify("a", "1", Before, 0m, AsOf, quantity: 2m, unitPrice: 0m));
        Assert.Null(policy.Classify("a", "1", Before, 6m, AsOf, quantity: 2m, unitPrice: 3m));
        Assert.Null(TransactionPolicy.Tutorial.Classify("a", "1", Before, -6m, AsOf, quantity: -2m, unitPrice: 3m));
        Assert.Equal(ExclusionReason.Cancellation, policy.Classify("a", "C1", Before, 6m, AsOf, quantity: -2m, unitPrice: -3m));
    }

    [Fact]
    public void CancellationRules_MatchAsDocumented()
    {
        Assert.True(CancellationRule.Default.IsCancellation("C536379"));
        Assert.False(CancellationRule.Default.IsCancellation("c536379"));
        Assert.False(CancellationRule.Default.IsCancellation(null));
        Assert.True(CancellationRule.OrderIdContains("RET").IsCancellation("2024-RET-7"));
        Assert.False(CancellationRule.None.IsCancellation("C1"));
        Assert.True(CancellationRule.Custom(id => id.EndsWith("-X", StringComparison.Ordinal)).IsCancellation("77-X"));
        Assert.False(CancellationRule.Custom(_ => true).IsCancellation(string.Empty));
    }

    [Fact]
    public void CancellationRule_ArgValidation()
    {
        Assert.Equal("prefix", Assert.ThrowsAny<ArgumentException>(() => CancellationRule.OrderIdStartsWith("")).ParamName);
        Assert.Equal("text", Assert.ThrowsAny<ArgumentException>(() => CancellationRule.OrderIdContains(null!)).ParamName);
        Assert.Equal("isCancellation", Assert.Throws<ArgumentNullException>(() => CancellationRule.Custom(null!)).ParamName);
        Assert.Throws<ArgumentNullException>(() => TransactionPolicy.Default with { Cancellations = null! });
    }
    // RowChecks is what SQL writes; Classify is what every in-memory path runs. For every combination of failed checks,
    // Classify must give the first reason RowChecks lists among those that apply.
    [Theory]
    [InlineData(true, "default")]
    [InlineData(false, "default")]
    [InlineData(true, "none")]
    [InlineData(false, "contains")]
    public void RowChecks_StateTheOrderClassifyFollows(bool excludeNonPositive, string rule)
    {
        var policy = TransactionPolicy.Default with
        {
            ExcludeNonPositive = excludeNonPositive,
            Cancellations = rule switch { "none" => CancellationRule.None, "contains" => CancellationRule.OrderIdContains("C"), _ => CancellationRule.Default },
        };

        for (var bits = 0; bits < 64; bits++)
        {
            bool Fails(int bit) => (bits & (1 << bit)) != 0;
            var failing = new Dictionary<ExclusionReason, bool>
            {
                [ExclusionReason.MissingCustomer] = Fails(0),
                [ExclusionReason.Cancellation] = Fails(1) && !policy.Cancellations.Equals(CancellationRule.None),
                [ExclusionReason.NonPositiveQuantity] = Fails(2),
                [ExclusionReason.NonPositivePrice] = Fails(3),
                [ExclusionReason.NonPositiveAmount] = Fails(4),
                [ExclusionReason.AfterAsOf] = Fails(5),
            };

            var expected = policy.RowChecks.Where(reason => failing[reason]).Select(reason => (ExclusionReason?)reason).FirstOrDefault();
            var actual = policy.Classify(!Fails(0), failing[ExclusionReason.Cancellation], !Fails(2), !Fails(3), !Fails(4), Fails(5));

            Assert.Equal(expected, actual);
        }
    }
}
