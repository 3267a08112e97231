using System.Globalization;
using System.Text.Json;

namespace Rfm.Cli.Tests;

/// <summary><c>rfm kpi</c> and <c>rfm cohorts</c> on the bundled data, against the pandas goldens, and their options and errors.</summary>
public sealed class KpiAndCohortsTests
{
    [Theory]
    [InlineData("month")]
    [InlineData("week")]
    [InlineData("quarter")]
    public void Kpi_BundledDataAsCsv_EqualsPandas(string period)
    {
        var folder = Cli.TempFolder();
        var output = Path.Combine(folder, "kpis.csv");

        var run = Cli.Invoke("kpi", Cli.BundledData, "--period", period, "--out", output);

        Assert.True(run.ExitCode == 0, run.Error);
        AssertEqualsGolden($"online_retail_kpis_{period}.csv", output);
        Assert.Contains($"KPIs per {period}", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Cohorts_BundledDataAsCsv_EqualsPandas()
    {
        var run = Cli.Invoke("cohorts", Cli.BundledData, "--format", "csv");

        Assert.True(run.ExitCode == 0, run.Error);
        var output = Path.Combine(Cli.TempFolder(), "cohorts.csv");
        File.WriteAllText(output, run.Out);
        AssertEqualsGolden("online_retail_cohorts_month.csv", output);
        Assert.Contains("acquisition cohorts per month", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Kpi_WithoutFormat_ShowsTheTableOnly()
    {
        var run = Cli.Invoke("kpi", Cli.BundledData, "--quiet");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(string.Empty, run.Error);
        var lines = run.Out.Split('\n');
        Assert.StartsWith("period ", lines[2], StringComparison.Ordinal);
        Assert.Matches(@"^2010-12-01 +885 +885 +- ", lines[3]);
        Assert.Matches(@"^2011-01-01 +741 +417 +324 +0 +561 +36\.6% +63\.4% +47\.1% +20\.1% +987 +569,445\.04 +576\.95 ", lines[4]);
        Assert.Matches(@"^2011-12-01\* +615 ", lines[15]);
        Assert.Contains("* the period ends after the analysis date: partial.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Kpi_LeadsFile_GivesTheConversionRate()
    {
        var folder = Cli.TempFolder();
        var leads = Path.Combine(folder, "leads.csv");
        File.WriteAllText(leads, "period,leads\n2011-01-01,834\n2011-02-01,0\n");

        var run = Cli.Invoke("kpi", Cli.BundledData, "--leads", leads, "--format", "json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var periods = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(JsonValueKind.Null, periods[0].GetProperty("conversion_rate").ValueKind);
        Assert.Equal(834, periods[1].GetProperty("leads").GetInt64());
        Assert.Equal(417.0 / 834, periods[1].GetProperty("conversion_rate").GetDouble());
        Assert.Equal(0, periods[2].GetProperty("leads").GetInt64());
        Assert.Equal(JsonValueKind.Null, periods[2].GetProperty("conversion_rate").ValueKind);
        Assert.Contains("leads", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Kpi_TimeZoneAndWeekStart_MoveThePeriods()
    {
        var input = Path.Combine(Cli.TempFolder(), "orders.csv");
        File.WriteAllText(input, "customer,order,date,amount\nA,1,2024-03-31T22:30:00,10\nB,2,2024-03-30T12:00:00,5\n");

        string[] columns = ["--customer", "customer", "--order", "order", "--date", "date", "--amount", "amount", "--as-of", "2024-04-02", "--format", "csv"];
        var local = Cli.Invoke(["kpi", input, .. columns]);
        var berlin = Cli.Invoke(["kpi", input, .. columns, "--time-zone", "Europe/Berlin"]);
        var weeks = Cli.Invoke(["kpi", input, .. columns, "--period", "week", "--week-start", "sunday"]);

        Assert.True(local.ExitCode == 0, local.Error);
        // The periods run up to the analysis date, 2 April: April is partial.
        Assert.Equal(["2024-03-01,2024-04-01,true,2,2,", "2024-04-01,2024-05-01,false,0,0"], Lines(local.Out).Skip(1).Select(line => line[..31]));
        Assert.Equal(["2024-03-01,2024-04-01,true,1,1,", "2024-04-01,2024-05-01,false,1,1"], Lines(berlin.Out).Skip(1).Select(line => line[..31]));
        Assert.Equal(["2024-03-24,2024-03-31,true,1,1,", "2024-03-31,2024-04-07,false,1,1"], Lines(weeks.Out).Skip(1).Select(line => line[..31]));
    }

    [Fact]
    public void Cohorts_Table_ShowsTheChosenMeasure()
    {
        var retention = Cli.Invoke("cohorts", Cli.BundledData, "--quiet");
        var revenue = Cli.Invoke("cohorts", Cli.BundledData, "--quiet", "--measure", "revenue");

        Assert.True(retention.ExitCode == 0, retention.Error);
        Assert.Matches(@"\n2010-12-01 +885 +100\.0% +36\.6% ", retention.Out);
        Assert.Matches(@"\n2010-12-01 +885 +572,714 +276,238 ", revenue.Out);
    }

    [Fact]
    public void Cohorts_Json_IsTheMatrix()
    {
        var run = Cli.Invoke("cohorts", Cli.BundledData, "--format", "json", "--period", "quarter");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var cohorts = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["2010-10-01", "2011-01-01", "2011-04-01", "2011-07-01", "2011-10-01"], cohorts.Select(c => c.GetProperty("cohort").GetString()));
        Assert.Equal([5, 4, 3, 2, 1], cohorts.Select(c => c.GetProperty("cells").GetArrayLength()));
        Assert.All(cohorts, c => Assert.Equal(c.GetProperty("cohort_size").GetInt32(), c.GetProperty("cells")[0].GetProperty("active_customers").GetInt32()));
    }

    [Fact]
    public void Analyze_Margin_AddsTheSimpleClvOfPandas()
    {
        var output = Path.Combine(Cli.TempFolder(), "customers.csv");

        var run = Cli.Invoke("analyze", Cli.BundledData, "--margin", "0.10", "--out", output);

        Assert.True(run.ExitCode == 0, run.Error);
        var expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "golden", "online_retail_clv.csv")).Skip(1).Select(line => line.Split(',')).ToList();
        var actual = File.ReadAllLines(output);
        Assert.EndsWith(",segment,clv,clv_segment", actual[0], StringComparison.Ordinal);
        Assert.Equal(expected.Count, actual.Length - 1);
        for (var i = 0; i < expected.Count; i++)
        {
            var fields = actual[i + 1].Split(',');
            var (want, got) = (decimal.Parse(expected[i][5], CultureInfo.InvariantCulture), decimal.Parse(fields[8], CultureInfo.InvariantCulture));
            Assert.Equal(expected[i][0], fields[0]);
            Assert.True(Math.Abs(want - got) <= Math.Abs(want) * 1e-26m, $"{fields[0]}: clv {got}, expected {want}");
            Assert.Equal(expected[i][7], fields[9]);
        }

        Assert.Contains("simple CLV, margin 0.1: churn rate 34.4 % (1,493 one-time customers)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_MarginInJson_GivesEachCustomersValue()
    {
        var run = Cli.Invoke("analyze", Cli.BundledData, "--margin", "0.2", "--out", "-", "--format", "json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(0.2m, json.RootElement.GetProperty("clv").GetProperty("margin").GetDecimal());
        var first = json.RootElement.GetProperty("customers")[0];
        Assert.Equal("12346", first.GetProperty("customerId").GetString());
        Assert.Equal(77183.60m * 0.2m / 1493, first.GetProperty("clv").GetDecimal());
        Assert.Equal("A", first.GetProperty("clvSegment").GetString());
    }

    [Fact]
    public void Analyze_MarginWhenEveryCustomerRepeats_IsADataError()
    {
        var input = Path.Combine(Cli.TempFolder(), "orders.csv");
        File.WriteAllText(input, "customer,order,date,amount\nA,1,2024-01-01,10\nA,2,2024-02-01,10\nB,3,2024-01-05,5\nB,4,2024-03-01,5\n");

        var run = Cli.Invoke("analyze", input, "--customer", "customer", "--order", "order", "--date", "date", "--amount", "amount", "--margin", "0.1");

        Assert.Equal(1, run.ExitCode);
        Assert.EndsWith("--margin: All 2 customers bought more than once, so the churn rate (1 - repeat rate) is 0 and the formula's lifetime is infinite.", run.OneLineError(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "kpi", "--period", "fortnight" }, "rfm: --period 'fortnight': use day, week, month, quarter or year.")]
    [InlineData(new[] { "kpi", "--period", "2" }, "rfm: --period '2': use day, week, month, quarter or year.")]
    [InlineData(new[] { "kpi", "--period", "month,quarter" }, "rfm: --period 'month,quarter': use day, week, month, quarter or year.")]
    [InlineData(new[] { "kpi", "--period", " +2" }, "rfm: --period ' +2': use day, week, month, quarter or year.")]
    [InlineData(new[] { "kpi", "--time-zone", "Mars/Olympus" }, "rfm: --time-zone 'Mars/Olympus': not a time zone this machine knows")]
    [InlineData(new[] { "cohorts", "--period", "week", "--week-start", "funday" }, "rfm: --week-start 'funday': use a day of the week")]
    [InlineData(new[] { "cohorts", "--period", "week", "--week-start", "monday,tuesday" }, "rfm: --week-start 'monday,tuesday': use a day of the week")]
    [InlineData(new[] { "cohorts", "--period", "week", "--week-start", "0" }, "rfm: --week-start '0': use a day of the week")]
    [InlineData(new[] { "kpi", "--week-start", "sunday" }, "rfm: --week-start applies to weeks only: add --period week, or leave it out.")]
    [InlineData(new[] { "cohorts", "--measure", "profit" }, "rfm: --measure 'profit': use retention, active, orders or revenue.")]
    [InlineData(new[] { "kpi", "--format", "xml" }, "rfm: --format 'xml': use csv or json.")]
    [InlineData(new[] { "kpi", "--bins", "3" }, "rfm: Unrecognized command or argument '--bins'.")]
    [InlineData(new[] { "kpi", "--time-zone", "Europe/Berlin", "--as-of", "2011-03-27T02:30:00" }, "rfm: --as-of 2011-03-27 02:30:00 does not name one instant in Europe/Berlin")]
    [InlineData(new[] { "analyze", "--margin", "0" }, "rfm: --margin '0': give the profit margin as a fraction above 0 and at most 1, e.g. 0.10.")]
    [InlineData(new[] { "analyze", "--margin", "10%" }, "rfm: --margin '10%': give the profit margin as a fraction above 0 and at most 1, e.g. 0.10.")]
    public void BadOptions_AreUsageErrors(string[] args, string message)
    {
        var run = Cli.Invoke([args[0], Cli.BundledData, .. args[1..]]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(message, run.OneLineError(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("period,leads\n2011-01-15,10\n", "leads.csv: Leads are given for 2011-01-15 00:00, which is not the start of a month: that would be 2011-01-01 00:00.")]
    [InlineData("period,leads\n2011-01-01,-3\n", "leads.csv: line 2, column 'leads': expected a whole number of leads, 0 or more (value '-3').")]
    [InlineData("period,leads\n2011-1-1,3\n", "leads.csv: line 2, column 'period': expected a period's first day such as 2011-01-01 (value '2011-1-1').")]
    [InlineData("month,count\n", "leads.csv: line 1: no column 'period' in the header (month,count); a leads file has the header period,leads.")]
    [InlineData("period,leads\n2011-01-01,3\n2011-01-01,4\n", "leads.csv: line 3, column 'period': 2011-01-01 is given twice.")]
    public void BadLeads_AreNamed(string leads, string message)
    {
        var path = Path.Combine(Cli.TempFolder(), "leads.csv");
        File.WriteAllText(path, leads);

        var run = Cli.Invoke("kpi", Cli.BundledData, "--quiet", "--leads", path);

        Assert.Equal(1, run.ExitCode);
        Assert.EndsWith(message, run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void Kpi_LeadsFileAsAnyCsv_WidensThePeriodsToItsMonths()
    {
        // A byte-order mark, CRLF, quotes, other column order and case: read as any CSV input is.
        var path = Path.Combine(Cli.TempFolder(), "leads.csv");
        File.WriteAllText(path, "\uFEFFLeads,Period\r\n\"500\",\"2010-11-01\"\r\n900,2012-01-01\r\n", new System.Text.UTF8Encoding(false));

        var run = Cli.Invoke("kpi", Cli.BundledData, "--leads", path, "--format", "csv");

        Assert.True(run.ExitCode == 0, run.Error);
        var lines = Lines(run.Out);
        Assert.StartsWith("2010-11-01,2010-12-01,true,0,0,", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",500,0", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("2012-01-01,2012-02-01,false,0,0,", lines[^1], StringComparison.Ordinal);
        Assert.Equal(16, lines.Length); // the header, November 2010 to January 2012
    }

    [Fact]
    public void Kpi_MissingLeadsFile_IsAUsageError()
    {
        var run = Cli.Invoke("kpi", Cli.BundledData, "--leads", Path.Combine(Cli.TempFolder(), "nope.csv"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nope.csv", run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void Kpi_AsOfInTheTimeZone_IsThatZonesWallClock()
    {
        // 1 December 2011 00:00 in New York is 05:00 UTC: November is complete there.
        var run = Cli.Invoke("kpi", Cli.BundledData, "--quiet", "--time-zone", "America/New_York", "--as-of", "2011-12-01");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("as of 2011-12-01 00:00 America/New_York (timestamps read as UTC)", run.Out, StringComparison.Ordinal);
        Assert.StartsWith("2011-11-01 ", Lines(run.Out)[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("partial", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_FormatWithoutOut_WritesTheRowsToStandardOutput()
    {
        var run = Cli.Invoke("analyze", Cli.BundledData, "--format", "json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(4338, json.RootElement.GetProperty("customers").GetArrayLength());
        Assert.Contains("rows read 541,909", run.Error, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.TrimEnd('\n').Split('\n');

    // Column by column: counts and dates as text, money as numbers, rates within 1e-12 (pandas computes them in binary).
    private static void AssertEqualsGolden(string golden, string actualPath)
    {
        var expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "golden", golden));
        var actual = File.ReadAllLines(actualPath);
        var header = expected[0].Split(',');
        var actualHeader = actual[0].Split(',');
        Assert.Equal(expected.Length, actual.Length);
        for (var row = 1; row < expected.Length; row++)
        {
            var want = expected[row].Split(',');
            var got = actual[row].Split(',');
            for (var column = 0; column < header.Length; column++)
            {
                var value = got[Array.IndexOf(actualHeader, header[column])];
                var where = $"{golden} line {row + 1}, {header[column]}";
                if (header[column] == "complete")
                {
                    Assert.True(value == (want[column] == "1" ? "true" : "false"), where);
                }
                else if (want[column].Length == 0 || !want[column].Contains('.', StringComparison.Ordinal))
                {
                    Assert.True(want[column] == value, $"{where}: expected '{want[column]}', got '{value}'");
                }
                else
                {
                    var a = double.Parse(want[column], CultureInfo.InvariantCulture);
                    var b = double.Parse(value, CultureInfo.InvariantCulture);
                    Assert.True(Math.Abs(a - b) <= Math.Abs(a) * 1e-12, $"{where}: expected {want[column]}, got {value}");
                }
            }
        }
    }
}
