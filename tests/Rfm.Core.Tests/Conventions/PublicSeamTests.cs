using Rfm.Scoring;

namespace Rfm.Tests.Conventions;

/// <summary>
/// What the sibling packages (Rfm.Sql, the DI package, the tool) use of the core is public API that any user gets, and
/// it guards itself as public API must.
/// </summary>
public sealed class PublicSeamTests
{
    private static readonly DateTime AsOf = new(2024, 2, 1);

    [Fact]
    public void Core_OpensItsInternalsToTestsAndBenchmarksOnly() =>
        Assert.Equal(["Rfm.Benchmarks", "Rfm.Core.Tests"], Opened(typeof(RfmCalculator).Assembly));

    /// <summary>The assemblies <paramref name="assembly"/> opens its internals to, in order.</summary>
    internal static IEnumerable<string> Opened(System.Reflection.Assembly assembly) =>
        assembly.GetCustomAttributes(typeof(System.Runtime.CompilerServices.InternalsVisibleToAttribute), false)
            .Cast<System.Runtime.CompilerServices.InternalsVisibleToAttribute>()
            .Select(a => a.AssemblyName)
            .Order(StringComparer.Ordinal);

    [Fact]
    public void MetricsSnapshot_Create_ScoresAsTheAccumulatorsOwn()
    {
        var accumulator = new RfmAccumulator(AsOf, TransactionPolicy.Default);
        accumulator.AddRange([new Transaction("a", "1", AsOf.AddDays(-3), 10m), new Transaction("b", "2", AsOf.AddDays(-30), 5m), new Transaction("c", "C3", AsOf.AddDays(-1), 7m)]);
        var own = accumulator.Snapshot(AsOf);

        var rebuilt = MetricsSnapshot.Create(own.AsOf, own.Customers, own.Ingestion);

        Assert.Equal(
            RfmCalculator.Default.Score(own).Customers.Select(c => (c.Metrics, c.Score, c.Segment.Key)),
            RfmCalculator.Default.Score(rebuilt).Customers.Select(c => (c.Metrics, c.Score, c.Segment.Key)));
    }

    [Fact]
    public void MetricsSnapshot_Create_OrdersTheCustomers_AndAccountsForThemWithoutAnAccount()
    {
        var b = new CustomerMetrics("b", 3, 2, 7.5m, AsOf.AddDays(-9), AsOf.AddDays(-3), 4, 9);
        var a = new CustomerMetrics("a", 1, 1, 5m, AsOf.AddDays(-1), AsOf.AddDays(-1), 1, 1);

        var snapshot = MetricsSnapshot.Create(AsOf, [b, a]);

        Assert.Equal(["a", "b"], snapshot.Customers.Select(c => c.CustomerId));
        Assert.Equal((5L, 12.5m, 5L, 2), (snapshot.Ingestion.RowsRead, snapshot.Ingestion.AmountRead, snapshot.Ingestion.RowsUsed, snapshot.Ingestion.Customers));
    }

    [Fact]
    public void MetricsSnapshot_Create_ArgValidation()
    {
        var one = new CustomerMetrics("a", 1, 1, 5m, AsOf.AddDays(-1), AsOf.AddDays(-1), 1, 1);
        var account = IngestionSummary.Account(1, 5m, new long[16], new decimal[16], customers: 2);

        Assert.Equal("customers", Assert.Throws<ArgumentNullException>(() => MetricsSnapshot.Create(AsOf, null!)).ParamName);
        Assert.Contains("'a' is given twice", Assert.Throws<ArgumentException>(() => MetricsSnapshot.Create(AsOf, [one, one])).Message, StringComparison.Ordinal);
        Assert.Equal("customers", Assert.Throws<ArgumentException>(() => MetricsSnapshot.Create(AsOf, [one with { CustomerId = " " }])).ParamName);
        Assert.Contains("'a' has a purchase after", Assert.Throws<ArgumentException>(() => MetricsSnapshot.Create(AsOf.AddDays(-2), [one])).Message, StringComparison.Ordinal);
        Assert.Equal("ingestion", Assert.Throws<ArgumentException>(() => MetricsSnapshot.Create(AsOf, [one], account)).ParamName);
    }

    [Fact]
    public void IngestionSummary_Account_ArgValidation()
    {
        Assert.Equal("excludedRows", Assert.Throws<ArgumentException>(() => IngestionSummary.Account(1, 1m, new long[1], new decimal[16], 0)).ParamName);
        Assert.Equal("excludedAmount", Assert.Throws<ArgumentException>(() => IngestionSummary.Account(1, 1m, new long[16], new decimal[1], 0)).ParamName);
        Assert.Equal("rowsRead", Assert.Throws<ArgumentOutOfRangeException>(() => IngestionSummary.Account(-1, 1m, new long[16], new decimal[16], 0)).ParamName);
        var tooMany = new long[16];
        tooMany[(int)ExclusionReason.Cancellation] = 2;
        Assert.Equal("excludedRows", Assert.Throws<ArgumentOutOfRangeException>(() => IngestionSummary.Account(1, 1m, tooMany, new decimal[16], 0)).ParamName);
    }

    [Fact]
    public void Strategies_DescribeThemselves_WithoutTheirTypesBeingPublic()
    {
        var description = ScoringStrategies.FixedThresholds(30, 90, 180, 365).Description;

        Assert.Equal((ScoringKind.FixedThresholds, (int?)5), (description.Kind, description.Bins));
        Assert.Equal([30.0, 90.0, 180.0, 365.0], description.UpperBounds.ToArray());
        Assert.Same(ScoringDescription.Quantile, ScoringStrategies.Quantile.Description);
        Assert.Same(ScoringDescription.RankQuantile, ScoringStrategies.RankQuantile.Description);
        Assert.Equal((ScoringKind.Custom, (int?)null), (ScoringStrategies.Create("x", (_, n) => n).Description.Kind, ScoringStrategies.Create("x", (_, n) => n).Description.Bins));
        Assert.DoesNotContain(typeof(RfmCalculator).Assembly.GetExportedTypes(), t => typeof(IScoringStrategy).IsAssignableFrom(t) && !t.IsInterface);
    }

    [Fact]
    public void CancellationRule_DescribesItself()
    {
        Assert.Equal(("C", true, false), (CancellationRule.OrderIdStartsWith("C").Text, CancellationRule.OrderIdStartsWith("C").IsPrefix, CancellationRule.OrderIdStartsWith("C").IsCustom));
        Assert.Equal(("X", false, false), (CancellationRule.OrderIdContains("X").Text, CancellationRule.OrderIdContains("X").IsPrefix, CancellationRule.OrderIdContains("X").IsCustom));
        var custom = CancellationRule.Custom(_ => true, "any");
        Assert.Equal(((string?)null, false, true), (custom.Text, custom.IsPrefix, custom.IsCustom));
        Assert.Null(CancellationRule.None.Text);
    }

    [Fact]
    public void Money_Add_IsExactOrRefused()
    {
        Assert.Equal(0.3m, Money.Add(0.1m, 0.2m));
        Assert.Throws<OverflowException>(() => Money.Add(decimal.MaxValue, 1m));
        Assert.Throws<OverflowException>(() => Money.Add(10m, 0.1234567890123456789012345678m));
    }

    [Theory]
    [InlineData("2011-12-09 12:50", "2011-12-09T12:50:00.0000000")]
    [InlineData("2011-12-09T12:50:00+01:00", "2011-12-09T11:50:00.0000000Z")]
    [InlineData(" 2011-12-09 ", "2011-12-09T00:00:00.0000000")]
    public void RowContract_TryParseTimestamp_ReadsTheIsoForms(string text, string expected)
    {
        Assert.True(RowContract.TryParseTimestamp(text, format: null, out var timestamp));
        Assert.Equal(expected, timestamp.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("09/06/2011 10:00")]
    [InlineData("yesterday")]
    [InlineData("2011-1-5")]
    public void RowContract_TryParseTimestamp_NeverGuesses(string text) =>
        Assert.False(RowContract.TryParseTimestamp(text, format: null, out _));

    [Fact]
    public void ErrorMessages_Plain_DropsWhatDotNetAddsForProgrammers()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RfmScoring(ScoringStrategies.Quantile, ScoringStrategies.Quantile, ScoringStrategies.Quantile, 42));

        Assert.DoesNotContain("(Parameter", ErrorMessages.Plain(error), StringComparison.Ordinal);
        Assert.DoesNotContain("Actual value", ErrorMessages.Plain(error), StringComparison.Ordinal);
        Assert.Equal("exception", Assert.Throws<ArgumentNullException>(() => ErrorMessages.Plain(null!)).ParamName);
    }

    [Fact]
    public void Utf8CsvIngestion_ArgValidation()
    {
        var target = new RfmAccumulator(AsOf, TransactionPolicy.Default);
        var columns = TransactionColumns.OnlineRetail;

        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => Utf8CsvIngestion.TryReadStream(null!, ["a"], ",", columns, target, null, default)).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentNullException>(() => Utf8CsvIngestion.TryReadStream(Stream.Null, ["a"], ",", columns, null!, null, default)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => Utf8CsvIngestion.TryReadFile(null!, ["a"], ",", columns, target, 1, null, default)).ParamName);
        Assert.Equal("threads", Assert.Throws<ArgumentOutOfRangeException>(() => Utf8CsvIngestion.TryReadFile("x.csv", ["a"], ",", columns, target, 0, null, default)).ParamName);
    }
}
