using System.Globalization;
using System.Text.Json;
using Rfm.Lifetimes;

namespace Rfm.Cli.Tests;

/// <summary><c>rfm clv</c> on the bundled CDNOW sample: the published fits, the independent summary, and its options and errors.</summary>
public sealed class ClvTests
{
    private static readonly string Sample = Path.Combine(AppContext.BaseDirectory, "data", "cdnowElog.csv");

    // The paper's data: every purchase counts, $0.00 ones included, hence the tutorial preset (nothing non-positive excluded).
    private static readonly string[] SampleOptions = Options();

    // The sample's options, with some replaced or added: an option may be given once only.
    private static string[] Options(params string[] changes)
    {
        var options = new Dictionary<string, string>
        {
            ["--customer"] = "masterid", ["--date"] = "date", ["--amount"] = "sales", ["--date-format"] = "yyyyMMdd", ["--preset"] = "tutorial",
            ["--calibration-end"] = "1997-09-30", ["--holdout-end"] = "1998-06-30", ["--horizon"] = "52",
        };
        for (var i = 0; i < changes.Length; i += 2)
        {
            options[changes[i]] = changes[i + 1];
        }

        return [.. options.SelectMany(o => new[] { o.Key, o.Value }), "--quiet"];
    }

    [Fact]
    public void Clv_CdnowSample_PrintsThePublishedFitsAndTheHoldoutTest()
    {
        var output = Path.Combine(Cli.TempFolder(), "clv.csv");

        var run = Cli.Invoke(["clv", Sample, .. SampleOptions, "--out", output]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"BG/NBD +r 0\.2426 \(0\.0126\)  alpha 4\.4136 \(0\.3782\)  a 0\.7929 \(0\.1857\)  b 2\.4259 \(0\.705\d\)  LL -9582\.43  \(2,357 customers\)", run.Out);
        Assert.Matches(@"Gamma-Gamma p 6\.2496 \(\d\.\d{4}\)  q 3\.7442 \(\d\.\d{4}\)  gamma 15\.4435 \(\d\.\d{4}\)  LL -4055\.92  \(946 customers\)", run.Out);
        Assert.Matches(@"all +2,357 +1,882 +1,653\.\d  \(total purchases\)", run.Out);
        Assert.Contains("rows read 6,919 (244,091.94), used 6,919 (244,091.94), customers 2,357\nin calibration: customers 2,357, 946 with repeat purchases", run.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Over the next 52 weeks discounted at 10% a year", run.Out, StringComparison.Ordinal);

        var rows = File.ReadAllLines(output);
        Assert.Equal("customer_id,x,t_x,T,p_alive,expected_purchases,expected_average_spend,clv", rows[0]);
        Assert.Equal(2357, rows.Length - 1);

        // x, t_x and T as pandas computed them independently (tests/golden/cdnow_summary.csv; ids there are zero-padded).
        var golden = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "golden", "cdnow_summary.csv")).Skip(1)
            .Select(line => line.Split(',')).ToDictionary(f => int.Parse(f[0], CultureInfo.InvariantCulture));
        foreach (var row in rows.Skip(1).Select(line => line.Split(',')))
        {
            var expected = golden[int.Parse(row[0], CultureInfo.InvariantCulture)];
            Assert.Equal(expected[1], row[1]);
            Assert.Equal(Number(expected[2]), Number(row[2]), 1e-12);
            Assert.Equal(Number(expected[3]), Number(row[3]), 1e-12);
            Assert.InRange(Number(row[4]), 0, 1);
            Assert.True(Number(row[5]) > 0 && Number(row[6]) > 0 && Number(row[7]) > 0, string.Join(",", row));
        }
    }

    [Fact]
    public void Clv_RowsAreTheLibrarysPredictions()
    {
        var run = Cli.Invoke(["clv", Sample, .. Options("--horizon", "13", "--unit", "week", "--discount-rate", "0.05"), "--format", "csv"]);
        Assert.True(run.ExitCode == 0, run.Error);

        var summary = CalibrationSummary.From(ReadSample(), new DateOnly(1997, 9, 30), new DateOnly(1998, 6, 30), TimeUnit.Week, TransactionPolicy.Tutorial);
        var calculator = new ClvCalculator(BgNbdModel.Fit(summary.Customers), GammaGammaModel.Fit(summary.Customers), 13, TimeUnit.Week, 0.05);
        var expected = summary.Customers.Select(calculator.Calculate).ToDictionary(v => v.Customer.CustomerId);
        var lines = run.Out.TrimEnd().Split('\n');
        Assert.Equal(expected.Count, lines.Length - 1);
        foreach (var row in lines.Skip(1).Select(line => line.Split(',')))
        {
            var value = expected[row[0]];
            Assert.Equal(
                [value.ProbabilityAlive, value.ExpectedPurchases, value.ExpectedAverageSpend, value.LifetimeValue],
                row[4..].Select(Number).ToArray());
        }

        Assert.Contains("Over the next 13 weeks discounted at 5% a year", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Clv_ParetoNbdAsJson_ToStandardOutput()
    {
        var run = Cli.Invoke(["clv", Sample, .. Options("--model", "pareto-nbd"), "--format", "json"]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"Pareto/NBD +r 0\.5533 \(0\.0476\)  alpha 10\.5777 \(0\.84\d\d\)  s 0\.6062 \(0\.18\d\d\)  beta 11\.6687 \(6\.2\d\d\d\)  LL -9594\.98", run.Error);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(2357, json.RootElement.GetArrayLength());
        var first = json.RootElement[0];
        Assert.Equal(["customer_id", "x", "t_x", "T", "p_alive", "expected_purchases", "expected_average_spend", "clv"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Number, first.GetProperty("clv").ValueKind);
    }

    [Fact]
    public void Clv_MbgNbd_FitsTheModelOfLifetimesAndBtydPlus()
    {
        var run = Cli.Invoke(["clv", Sample, .. Options("--model", "mbgnbd"), "--format", "json"]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"MBG/NBD +r 0\.5248 \(0\.08\d\d\)  alpha 6\.1831 \(0\.6\d\d\d\)  a 0\.8914 \(0\.1\d\d\d\)  b 1\.6140 \(0\.5\d\d\d\)  LL -9582\.14", run.Error);
        Assert.Contains("actual against MBG/NBD", run.Error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(2357, json.RootElement.GetArrayLength());

        // Unlike BG/NBD, a customer without repeat purchases may have left.
        Assert.Contains(json.RootElement.EnumerateArray(), row => row.GetProperty("x").GetInt32() == 0 && row.GetProperty("p_alive").GetDouble() < 1);
    }

    [Fact]
    public void Clv_WithoutHoldout_SkipsTheComparison()
    {
        var run = Cli.Invoke("clv", Sample, "--customer", "masterid", "--date", "date", "--amount", "sales", "--date-format", "yyyyMMdd",
            "--calibration-end", "1997-09-30", "--horizon", "12", "--unit", "month", "--quiet");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.DoesNotContain("Holdout", run.Out, StringComparison.Ordinal);
        Assert.Contains("times in months", run.Out, StringComparison.Ordinal);
        Assert.Contains("Over the next 12 months", run.Out, StringComparison.Ordinal);

        // The default policy leaves out the eight $0.00 purchases, and with them the eight customers who made only those;
        // the rows after calibration are counted too.
        Assert.Matches(@"excluded non-positive amount +8 rows", run.Out);
        Assert.Matches(@"excluded after the as-of date +1,959 rows +70,976\.39", run.Out);
        Assert.Contains("in calibration: customers 2,349,", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--unit", "year", "--unit 'year': use day, week, month.")]
    [InlineData("--model", "bgnbd2", "--model 'bgnbd2': use bgnbd, mbgnbd, pareto-nbd.")]
    [InlineData("--holdout-end", "1997-09-30", "--holdout-end 1997-09-30 must be after --calibration-end 1997-09-30.")]
    [InlineData("--horizon", "0", "--horizon")]
    [InlineData("--discount-rate", "-0.1", "--discount-rate '-0.1': expected an annual rate such as 0.1 for 10%, 0 to 1.")]
    [InlineData("--discount-rate", "10", "--discount-rate '10'")]
    [InlineData("--penalty", "x", "--penalty 'x': expected a coefficient such as 0.01, 0 or more.")]
    [InlineData("--calibration-end", "30/09/1997", "--calibration-end '30/09/1997': expected a day like 1997-09-30.")]
    public void Clv_WrongOption_IsAUsageError(string option, string value, string message)
    {
        var run = Cli.Invoke(["clv", Sample, .. Options(option, value)]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void Clv_Schedule_AddsOneColumnPerUnitThatSumToTheClv()
    {
        var run = Cli.Invoke(["clv", Sample, .. Options("--horizon", "6", "--unit", "month", "--schedule", "6"), "--format", "csv"]);

        Assert.True(run.ExitCode == 0, run.Error);
        var lines = run.Out.TrimEnd().Split('\n');
        Assert.Equal("customer_id,x,t_x,T,p_alive,expected_purchases,expected_average_spend,clv,clv_1,clv_2,clv_3,clv_4,clv_5,clv_6", lines[0]);
        Assert.Equal(2357, lines.Length - 1);
        var perMonth = new double[6];
        foreach (var row in lines.Skip(1).Select(line => line.Split(',').Skip(7).Select(Number).ToArray()))
        {
            Assert.Equal(row[0], row[1..].Sum(), row[0] * 1e-9);
            for (var k = 0; k < 6; k++)
            {
                perMonth[k] += row[k + 1];
            }
        }

        Assert.Contains("CLV per month (all customers, discounted), the first 6 of the horizon", run.Error, StringComparison.Ordinal);
        var summaryRows = run.Error.ReplaceLineEndings("\n").Split('\n').SkipWhile(l => !l.StartsWith("CLV per month", StringComparison.Ordinal)).Skip(2).Take(6)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        for (var k = 0; k < 6; k++)
        {
            Assert.Equal((k + 1).ToString(CultureInfo.InvariantCulture), summaryRows[k][0]);
            Assert.Equal(perMonth[k].ToString("N2", CultureInfo.InvariantCulture), summaryRows[k][1]);
        }

        Assert.Equal(perMonth.Sum().ToString("N2", CultureInfo.InvariantCulture), summaryRows[5][2]);
    }

    [Fact]
    public void Clv_ScheduleBeyondTheHorizon_IsAUsageError()
    {
        var run = Cli.Invoke(["clv", Sample, .. Options("--horizon", "4", "--schedule", "5")]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--schedule 5 must not exceed --horizon 4", run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void Clv_CdnowSample_ReportsTheFrequencySpendCorrelationWithoutWarning()
    {
        var run = Cli.Invoke(["clv", Sample, .. SampleOptions, "--format", "csv"]);

        Assert.True(run.ExitCode == 0, run.Error);
        var r = GammaGammaModel.SpendFrequencyCorrelation(
            CalibrationSummary.From(ReadSample(), new DateOnly(1997, 9, 30), new DateOnly(1998, 6, 30), TimeUnit.Week, TransactionPolicy.Tutorial).Customers)!.Value;
        Assert.InRange(r, 0.05, 0.2);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"frequency-spend correlation r {r:0.000} between x and m_x: within the threshold |r| <= 0.3 (the model assumes 0)"), run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("warning:", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Clv_SpendThatGrowsWithFrequency_WarnsOnStandardError()
    {
        // The CDNOW sample with each purchase's money replaced by the customer's number of purchases times a factor
        // from 5 to 24 that varies from row to row: spend now rises with frequency.
        var lines = File.ReadAllLines(Sample);
        var counts = lines.Skip(1).GroupBy(l => l.Split(',')[0]).ToDictionary(g => g.Key, g => g.Count());
        var input = Path.Combine(Cli.TempFolder(), "correlated.csv");
        File.WriteAllLines(input, [lines[0], .. lines.Skip(1).Select((l, i) =>
        {
            var f = l.Split(',');
            return string.Join(',', f[0], f[1], f[2], f[3], string.Create(CultureInfo.InvariantCulture, $"{counts[f[0]] * (5 + (i * 37 % 20))}.25"));
        })]);

        var run = Cli.Invoke(["clv", input, .. SampleOptions, "--out", Path.Combine(Cli.TempFolder(), "correlated-clv.csv")]);

        Assert.True(run.ExitCode == 0, run.Error);
        var error = run.Error.ReplaceLineEndings("\n");
        Assert.Matches(@"warning: .*correlated\.csv: the correlation between repeat purchases \(x\) and mean repeat spend \(m_x\) is r = 0\.\d{3}, beyond the threshold \|r\| > 0\.3", error);
        var r = double.Parse(System.Text.RegularExpressions.Regex.Match(error, @"is r = (0\.\d{3})").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(r > 0.3, error);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"frequency-spend correlation r {r:0.000} between x and m_x: beyond the threshold |r| > 0.3 (the model assumes 0)"), run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("warning:", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Clv_HeavyTailedSpend_RefusesQAtMostOne()
    {
        // The CDNOW sample's purchases with money of a power law of tail index 1/1.5 across customers (and some spread
        // within each): the fitted q falls below 1, where the mean spend p·γ/(q − 1) is undefined.
        var lines = File.ReadAllLines(Sample);
        var ids = lines.Skip(1).Select(l => l.Split(',')[0]).Distinct().OrderBy(id => int.Parse(id, CultureInfo.InvariantCulture)).ToList();
        var rank = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var input = Path.Combine(Cli.TempFolder(), "heavy.csv");
        File.WriteAllLines(input, [lines[0], .. lines.Skip(1).Select((l, i) =>
        {
            var f = l.Split(',');
            var u = ((rank[f[0]] * 7919 % ids.Count) + 0.5) / ids.Count;
            var money = 10 * Math.Pow(u, -1.5) * (0.3 + (i * 37 % 20 / 10.0));
            return string.Join(',', f[0], f[1], f[2], f[3], money.ToString("0.00", CultureInfo.InvariantCulture));
        })]);

        var run = Cli.Invoke(["clv", input, .. Options("--horizon", "8")]);

        Assert.Equal(1, run.ExitCode);
        var error = run.OneLineError();
        Assert.Contains("heavy.csv", error, StringComparison.Ordinal);
        Assert.Matches(@"The Gamma-Gamma model's q = 0\.\d+ is 1 or less: the expected mean spend p·γ/\(q − 1\) is undefined", error);
    }

    [Fact]
    public void Clv_ARepeatCustomerWithNoMoney_IsNamed()
    {
        var input = Path.Combine(Cli.TempFolder(), "zero.csv");
        File.WriteAllText(input, "customer,date,amount\na,2024-01-01,10\na,2024-01-05,0\nb,2024-01-02,5\nb,2024-01-09,7\n");

        var run = Cli.Invoke("clv", input, "--customer", "customer", "--date", "date", "--amount", "amount", "--preset", "tutorial",
            "--calibration-end", "2024-01-31", "--horizon", "4");

        Assert.Equal(1, run.ExitCode);
        var error = run.OneLineError();
        Assert.Contains("zero.csv", error, StringComparison.Ordinal);
        Assert.Contains("Customer 'a': mean repeat spend 0 is not above 0", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Clv_NoCustomerBeforeTheCalibrationEnd_SaysSo()
    {
        var run = Cli.Invoke(["clv", Sample, .. Options("--calibration-end", "1996-12-31", "--holdout-end", "1997-01-31")]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no customer made a first purchase on or before 1996-12-31", run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void Clv_NoRepeatPurchases_SaysSo()
    {
        var (_, run) = ClvOfSmallFile("once.csv", "a,2024-01-01,10\nb,2024-01-02,5\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("needs customers with repeat purchases to fit", run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void Clv_DataThatDoNotIdentifyTheModel_SayWhereTheSearchStopped()
    {
        var (input, run) = ClvOfSmallFile("two.csv", "a,2024-01-01,10\na,2024-01-05,4\nb,2024-01-02,5\nb,2024-01-09,7\n");

        Assert.Equal(1, run.ExitCode);
        var error = run.OneLineError();
        Assert.Matches(@"two\.csv: The (Gamma-Gamma|BG/NBD) model could not be fitted: ", error);
        Assert.Contains("the best point reached was ", error, StringComparison.Ordinal);

        var penalised = Cli.Invoke([.. SmallFileOptions(input), "--penalty", "0.1"]);
        Assert.True(penalised.ExitCode == 0, penalised.Error);
    }

    [Theory]
    [InlineData("bgnbd", "day")]
    [InlineData("pareto-nbd", "day")]
    [InlineData("mbgnbd", "day")]
    [InlineData("bgnbd", "week")]
    public void Clv_HorizonOf100000Units_Completes(string model, string unit)
    {
        var run = Cli.Invoke(["clv", Sample, .. Options("--horizon", "100000", "--unit", unit, "--model", model)]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches($@"Over the next 100,000 {unit}s discounted at 10% a year: expected purchases [\d,.]+, CLV [\d,.]+ in all, \d+\.\d\d a customer", run.Out);
    }

    [Fact]
    public void Clv_FitThatNeedsAPenalty_NamesThePenaltyOption_NotTheLibrarysApi()
    {
        // Every repeat purchase the same amount: nothing bounds the spend model's shape.
        var (_, run) = ClvOfSmallFile("same.csv", "a,2024-01-01,10\na,2024-01-05,10\nb,2024-01-02,10\nb,2024-01-09,10\nc,2024-01-03,10\nc,2024-01-10,10\nc,2024-01-20,10\nd,2024-01-04,10\n");

        Assert.Equal(1, run.ExitCode);
        var error = run.OneLineError();
        Assert.Contains("a penalty (--penalty)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("FitOptions", error, StringComparison.Ordinal);
    }

    // A small file of customer,date,amount rows, and rfm clv run on it with calibration to 2024-01-31 and a horizon of 4.
    private static (string Input, CliRun Run) ClvOfSmallFile(string name, string rows)
    {
        var input = Path.Combine(Cli.TempFolder(), name);
        File.WriteAllText(input, "customer,date,amount\n" + rows);
        return (input, Cli.Invoke(SmallFileOptions(input)));
    }

    private static string[] SmallFileOptions(string input) =>
        ["clv", input, "--customer", "customer", "--date", "date", "--amount", "amount", "--calibration-end", "2024-01-31", "--horizon", "4"];

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static IEnumerable<Transaction> ReadSample() =>
        File.ReadLines(Sample).Skip(1).Select(line => line.Split(','))
            .Select(f => new Transaction(f[0], null, DateTime.ParseExact(f[2], "yyyyMMdd", CultureInfo.InvariantCulture), decimal.Parse(f[4], CultureInfo.InvariantCulture)));
}
