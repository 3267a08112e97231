using FsCheck;
using FsCheck.Fluent;
using Rfm.Sql.Tests.Engines;

namespace Rfm.Cli.Tests.Parity;

/// <summary>
/// One row contract across every engine: for any small CSV file, the typed, columnar, data-reader, CSV (fast and
/// general), <c>--engine duckdb</c> and SQL (DuckDB and PostgreSQL; TEXT, TIMESTAMP and TIMESTAMPTZ dates; three
/// PostgreSQL session time zones) engines give the same customers and the same account, or all refuse naming the
/// column and the value (a sum of money too large for a decimal: as an overflow naming the customer or the total).
/// Files with a wrong shape go to the engines that read files.
/// </summary>
public sealed class ParityTests
{
    private static readonly DateTime Midnight = new(2024, 7, 1);

    [PostgresFact]
    public async Task Engines_GiveTheSameCustomersAndAccount_OrAllRefuse()
    {
        await using var run = await ParityRun.OpenAsync();
        var property = Prop.ForAll(ParityGenerators.ParityCases(), c => { run.Check(c); });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100).WithEndSize(20), property);
    }

    [PostgresFact]
    public async Task BlankOrderId_GivenTwice_IsAnOrderPerRowEverywhere()
    {
        // docs/concepts.md: a row without an order id (null, empty or only white space) is an order of its own.
        var c = Amounts(("a", "  ", "2024-06-01 10:00", "10"), ("a", "  ", "2024-06-01 10:00", "10"));

        var outcomes = await CheckAsync(c);

        Assert.All(outcomes, o => Assert.Equal(2, Assert.Single(o.Customers!).Frequency));
    }

    [PostgresFact]
    public async Task Offset_AfterTheAnalysisDate_IsExcludedEverywhere()
    {
        // 22:00 at UTC-5 is 03:00 UTC on July 1st, after the analysis date's midnight.
        var c = Amounts(("a", "1001", "2024-06-30 22:00:00-05:00", "10"), ("b", "1002", "2024-06-01", "5"));

        var outcomes = await CheckAsync(c);

        Assert.All(outcomes.Where(o => o.Account is not null), o => Assert.Equal((1L, 10m), o.Account!.Excluded[ExclusionReason.AfterAsOf]));
        Assert.All(outcomes, o => Assert.Equal("b", Assert.Single(o.Customers!).Id));
    }

    [PostgresFact]
    public async Task SubMicrosecondFraction_IsRefusedEverywhere()
    {
        var c = Amounts(("a", "1001", "2024-07-01 00:00:00.0000001", "10"), ("b", "1002", "2024-06-01", "5"));

        var outcomes = await CheckAsync(c);

        Assert.All(outcomes, o => Assert.True(o.Refused, o.ToString()));
    }

    [PostgresTheory]
    [InlineData("2024-1-5")]
    [InlineData("2024/01/06")]
    [InlineData("2024-01-06 5:00")]
    [InlineData("2024-02-30")]
    public async Task NonIsoOrImpossibleDate_IsRefusedEverywhere(string date)
    {
        var c = Amounts(("a", "1001", date, "10"), ("b", "1002", "2024-06-01", "5"));

        var outcomes = await CheckAsync(c);

        Assert.All(outcomes, o => Assert.True(o.Refused, o.ToString()));
        Assert.All(outcomes.Where(o => o.GivenText && !o.RefusedBeforeEngine), o => Assert.Contains(date, o.Error, StringComparison.Ordinal));
    }

    [PostgresFact]
    public async Task DuplicatedHeader_IsRefusedByEveryEngineThatReadsFiles()
    {
        var c = Amounts(("a", "1001", "2024-06-01", "10")) with { DuplicateHeader = "amount" };

        var outcomes = await CheckAsync(c);

        Assert.All(outcomes, o => Assert.Contains("amount", Assert.IsType<string>(o.Error), StringComparison.OrdinalIgnoreCase));
    }

    [PostgresFact]
    public async Task TrailingField_IsRefusedNamingItsLineByEveryEngineThatReadsFiles()
    {
        // The second record is the file's third line, after the header.
        var c = Amounts(("a", "1001", "2024-06-01", "10"), ("b", "1002", "2024-06-02", "5")) with { TrailingField = new HashSet<int> { 1 } };

        var outcomes = await CheckAsync(c);

        AssertReadByTheTool(outcomes);
        Assert.All(outcomes, o => Assert.Contains("line 3:", Assert.IsType<string>(o.Error), StringComparison.Ordinal));
    }

    [PostgresFact]
    public async Task BlankLines_AreEmptyRowsForEveryEngineThatReadsFiles()
    {
        var c = Amounts(("a", "1001", "2024-06-01", "10"), ("b", "1002", "2024-06-02", "5")) with { BlankLineAfter = new HashSet<int> { -1, 0 } };

        var outcomes = await CheckAsync(c);

        AssertReadByTheTool(outcomes);
        Assert.Contains(outcomes, o => o.Engine == ParityEngines.FastCsv);
        Assert.All(outcomes, o =>
        {
            var account = Assert.IsType<Account>(o.Account);
            Assert.Equal((4L, 15m), (account.RowsRead, account.AmountRead));
            Assert.Equal((2L, 0m), account.Excluded[ExclusionReason.EmptyRow]);
            Assert.Equal(["a", "b"], o.Customers!.Select(m => m.Id).Order(StringComparer.Ordinal));
        });
    }

    [PostgresFact]
    public async Task RaggedRow_IsRefusedNamingItsLineByEveryEngineThatReadsFiles()
    {
        // The first record, short of its last field, is the file's second line.
        var c = Amounts(("a", "1001", "2024-06-01", "10"), ("b", "1002", "2024-06-02", "5")) with { Ragged = new HashSet<int> { 0 } };

        var outcomes = await CheckAsync(c);

        AssertReadByTheTool(outcomes);
        Assert.All(outcomes, o => Assert.Contains("line 2:", Assert.IsType<string>(o.Error), StringComparison.Ordinal));
    }

    [PostgresFact]
    public async Task CustomerMoneyOverflow_IsRefusedAsAnOverflowEverywhere()
    {
        // Each amount is decimal.MaxValue: customer a's total is twice it.
        var c = Amounts(("a", "1001", "2024-06-01", "79228162514264337593543950335"), ("a", "1002", "2024-06-02", "79228162514264337593543950335"));

        var outcomes = await CheckAsync(c);

        Assert.Contains(outcomes, o => o.Sql);
        Assert.All(outcomes, o => Assert.True(o.IsOverflowException || o.Error!.Contains("customer 'a'", StringComparison.Ordinal) || o.Error!.Contains("rows read", StringComparison.Ordinal), o.ToString()));
    }

    [Fact]
    public void Problems_AnEngineErrorAboutADecimal_IsNoRefusalOfAnOverflow()
    {
        var c = Amounts(("a", "1001", "2024-06-01", "79228162514264337593543950335"), ("a", "1002", "2024-06-02", "79228162514264337593543950335"));
        const string raw = "Conversion Error: Could not convert string '79228162514264337593543950335' to DECIMAL(38,0): overflow";

        Assert.NotEmpty(ParityRun.Problems(c, [Outcome.Refusal("duckdb Text UTC", raw) with { Sql = true }]));
        Assert.NotEmpty(ParityRun.Problems(c, [Outcome.Refusal(ParityEngines.Typed, raw)]));
        Assert.Empty(ParityRun.Problems(c, [Outcome.Refusal(ParityEngines.Typed, raw) with { IsOverflowException = true }]));
        Assert.Empty(ParityRun.Problems(c, [Outcome.Refusal("duckdb Text UTC", "Column 'amount': customer 'a' has this in total, which a decimal cannot hold exactly") with { Sql = true }]));
        Assert.Empty(ParityRun.Problems(c, [Outcome.Refusal("duckdb Text UTC", "Column 'amount': the rows used add up to this, which a decimal cannot hold exactly") with { Sql = true }]));
        Assert.NotEmpty(ParityRun.Problems(c, [Outcome.Refusal(ParityEngines.Typed, "the rows used add up to more than a decimal holds")]));
    }

    [Fact]
    public void DuckDbWithoutTimeZones_FailsInCi_AndLeavesItsLegsOutElsewhere()
    {
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ParityRun.RunsDuckDbTimeZoneLegs(duckDbHasTimeZones: false, ci: "true"));
        Assert.False(ParityRun.RunsDuckDbTimeZoneLegs(duckDbHasTimeZones: false, ci: null));
        Assert.True(ParityRun.RunsDuckDbTimeZoneLegs(duckDbHasTimeZones: true, ci: "true"));
    }

    [PostgresTheory]
    [InlineData("09/06/2011 10:00")]
    [InlineData("yesterday")]
    public async Task PostgreSqlTextDate_NotOfTheContract_IsRefused(string date)
    {
        var c = Amounts(("a", "1001", date, "10"), ("b", "1002", "2024-06-01", "5"));
        await using var run = await ParityRun.OpenAsync();
        var values = RowValues.Of(c);

        var outcomes = await ParityEngines.SqlAsync(c, values, run.PostgresConnection, Sql.SqlDialect.PostgreSql, Sql.SqlDateType.Text, ParityEngines.TimeZones);

        Assert.All(outcomes!, o =>
        {
            var error = Assert.IsType<string>(o.Error);
            Assert.Contains("purchased_at", error, StringComparison.Ordinal);
            Assert.Contains(date, error, StringComparison.Ordinal);
        });
    }

    [PostgresFact]
    public async Task PostgreSqlTimestampWithTimeZone_UnderNewYork_GivesTheUtcResult()
    {
        // 23:30 UTC is 19:30 in New York: a reading on the session's clock would move the purchase by four hours.
        var c = Amounts(("a", "1001", "2024-06-30T23:30:00Z", "10"), ("a", "1002", "2024-06-29 02:00", "5"), ("b", "1003", "2024-06-01", "5"));
        await using var run = await ParityRun.OpenAsync();
        var values = RowValues.Of(c);

        var outcomes = await ParityEngines.SqlAsync(c, values, run.PostgresConnection, Sql.SqlDialect.PostgreSql, Sql.SqlDateType.TimestampWithTimeZone, ["UTC", "America/New_York"]);

        var (utc, newYork) = (outcomes![0], outcomes[1]);
        Assert.Empty(utc.Differences(newYork));
        Assert.Empty(utc.Differences(ParityEngines.AddDataReader(c)));
    }

    [PostgresFact]
    public async Task CaseVariantColumnNames_AreFoundEverywhere()
    {
        var c = Amounts(("a", "1001", "2024-06-01", "10"), ("b", "1002", "2024-06-02", "5"));
        c = c with { Columns = [new(Role.Customer, "Customer_ID"), new(Role.Order, "INVOICE"), new(Role.Date, "Purchased_At"), new(Role.Amount, "Amount")] };

        var outcomes = await CheckAsync(c);

        Assert.All(outcomes, o => Assert.Equal(2, o.Customers!.Count));
    }

    // Both of the tool's engines gave an outcome, so that an assertion over every outcome is not over none.
    private static void AssertReadByTheTool(IReadOnlyList<Outcome> outcomes)
    {
        Assert.Contains(outcomes, o => o.Engine == ParityEngines.CliMemory);
        Assert.Contains(outcomes, o => o.Engine == ParityEngines.CliDuckDb);
    }

    private static async Task<IReadOnlyList<Outcome>> CheckAsync(ParityCase c)
    {
        await using var run = await ParityRun.OpenAsync();
        return run.Check(c);
    }

    private static ParityCase Amounts(params (string Customer, string Order, string Date, string Amount)[] rows) =>
        new(
            [new(Role.Customer, "customer_id"), new(Role.Order, "invoice"), new(Role.Date, "purchased_at"), new(Role.Amount, "amount")],
            [.. rows.Select(r => (IReadOnlyList<string>)[r.Customer, r.Order, r.Date, r.Amount])],
            Midnight,
            Tutorial: false);
}
