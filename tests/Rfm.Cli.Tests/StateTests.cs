namespace Rfm.Cli.Tests;

/// <summary><c>rfm analyze [input] --state FILE</c>: nightly runs that add each night's file to a saved state.</summary>
public sealed class StateTests
{
    private const string Header = "customer,order,date,amount\n";

    // Invoice 1001 of customer a has two lines on night 1 and its third on night 2; a and d buy on both nights.
    private const string Night1 =
        "a,1001,2024-01-01T10:00:00,10.50\n" +
        "a,1001,2024-01-01T10:00:00,2.25\n" +
        "b,1002,2024-01-01T11:00:00,5\n" +
        ",1003,2024-01-01T12:00:00,1\n" +
        "c,C1004,2024-01-01T12:00:00,-3\n" +
        "d,INV-9,2024-01-01T13:00:00,4.000\n";

    private const string Night2 =
        "a,1001,2024-01-01T10:00:00,1.125\n" +
        "a,1005,2024-01-02T09:00:00,7\n" +
        "d,1006,2024-01-02T12:00:00,0\n" +
        "d,INV-9,2024-01-01T13:00:00,1\n" +
        "e,,2024-01-02T15:00:00,8.5\n";

    private static readonly string[] Columns = ["--customer", "customer", "--order", "order", "--date", "date", "--amount", "amount", "--quiet"];

    [Fact]
    public void NightOneThenNightTwo_GivesExactlyOneRunOnBoth()
    {
        var folder = Cli.TempFolder();
        var (night1, night2, both) = (Write(folder, "night1.csv", Night1), Write(folder, "night2.csv", Night2), Write(folder, "both.csv", Night1 + Night2));
        var state = Path.Combine(folder, "customers.rfmstate");

        var first = Analyze(night1, "--state", state, "--out", Path.Combine(folder, "out1.csv"));
        var second = Analyze(night2, "--state", state, "--out", Path.Combine(folder, "out2.csv"));
        var once = Analyze(both, "--out", Path.Combine(folder, "once.csv"));

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.True(once.ExitCode == 0, once.Error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "once.csv")), File.ReadAllBytes(Path.Combine(folder, "out2.csv")));
        Assert.Equal(AfterFirstLine(once.Out), AfterFirstLine(second.Out));
        Assert.StartsWith($"{night2} with state {state}: preset 'default'", second.Out, StringComparison.Ordinal);

        // The invoice split across the nights is one order, its money exact: a has orders 1001 and 1005.
        var a = File.ReadAllLines(Path.Combine(folder, "out2.csv")).Single(line => line.StartsWith("a,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(["a", "0", "2", "20.875"], a[..4]);
        Assert.Matches(@"rows read 11 \([0-9.]+\), used 8 \([0-9.]+\), customers 4", second.Out);
    }

    [Fact]
    public void StateAlone_IsScoredAsTheRunThatMadeIt_AndLeftAsItWas()
    {
        var folder = Cli.TempFolder();
        var state = Path.Combine(folder, "s.rfmstate");
        var made = Analyze(Write(folder, "night1.csv", Night1), "--state", state, "--out", Path.Combine(folder, "made.csv"));
        var saved = File.ReadAllBytes(state);

        var alone = Analyze(null, "--state", state, "--out", Path.Combine(folder, "alone.csv"));

        Assert.True(made.ExitCode == 0, made.Error);
        Assert.True(alone.ExitCode == 0, alone.Error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "made.csv")), File.ReadAllBytes(Path.Combine(folder, "alone.csv")));
        Assert.Equal(AfterFirstLine(made.Out), AfterFirstLine(alone.Out));
        Assert.StartsWith($"{state}: preset 'default'", alone.Out, StringComparison.Ordinal);
        Assert.Equal(saved, File.ReadAllBytes(state));
    }

    [Fact]
    public void FailedRun_LeavesTheStateAsItWas()
    {
        var folder = Cli.TempFolder();
        var state = Path.Combine(folder, "s.rfmstate");
        Assert.Equal(0, Analyze(Write(folder, "night1.csv", Night1), "--state", state).ExitCode);
        var saved = File.ReadAllBytes(state);

        var bad = Analyze(Write(folder, "bad.csv", Night2 + "f,1010,2024-01-03,abc\n"), "--state", state);

        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("bad.csv", bad.OneLineError(), StringComparison.Ordinal);
        Assert.Equal(saved, File.ReadAllBytes(state));
        Assert.Equal(["bad.csv", "night1.csv", "s.rfmstate"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void OtherPolicy_IsAUsageErrorNamingBoth()
    {
        var folder = Cli.TempFolder();
        var state = Path.Combine(folder, "s.rfmstate");
        Assert.Equal(0, Analyze(Write(folder, "night1.csv", Night1), "--state", state).ExitCode);

        var run = Analyze(Write(folder, "night2.csv", Night2), "--state", state, "--preset", "tutorial");

        Assert.Equal(2, run.ExitCode);
        var error = run.OneLineError();
        Assert.Contains("cancellations=starts-with:C", error, StringComparison.Ordinal);
        Assert.Contains("cancellations=contains:C", error, StringComparison.Ordinal);
        Assert.Contains("--preset", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AsOf_OnOrAfterTheLatestPurchase_IsTheAnalysisDate_BeforeItIsRefused()
    {
        var folder = Cli.TempFolder();
        var state = Path.Combine(folder, "s.rfmstate");
        var night1 = Write(folder, "night1.csv", Night1);

        var early = Analyze(night1, "--state", state, "--as-of", "2024-01-01");
        Assert.Equal(2, early.ExitCode);
        Assert.Contains("before the latest purchase", early.OneLineError(), StringComparison.Ordinal);
        Assert.False(File.Exists(state));

        var later = Analyze(night1, "--state", state, "--as-of", "2024-02-01", "--out", Path.Combine(folder, "state.csv"));
        var plain = Analyze(night1, "--as-of", "2024-02-01", "--out", Path.Combine(folder, "plain.csv"));
        Assert.True(later.ExitCode == 0, later.Error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "plain.csv")), File.ReadAllBytes(Path.Combine(folder, "state.csv")));
    }

    [Fact]
    public void DuckDbEngine_WithState_IsAUsageError()
    {
        var folder = Cli.TempFolder();
        var run = Analyze(Write(folder, "night1.csv", Night1), "--state", Path.Combine(folder, "s.rfmstate"), "--engine", "duckdb");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--state works with the memory engine only", run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void NoInput_AndNoStateFile_IsAnError()
    {
        var folder = Cli.TempFolder();

        var missing = Analyze(null, "--state", Path.Combine(folder, "none.rfmstate"));
        var neither = Cli.Invoke("analyze");

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no such file", missing.OneLineError(), StringComparison.Ordinal);
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("--state", neither.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void Out_ThatIsTheStateFile_IsAUsageError_EvenBeforeTheStateExists()
    {
        var folder = Cli.TempFolder();
        var state = Path.Combine(folder, "s.rfmstate");

        var run = Analyze(Write(folder, "night1.csv", Night1), "--state", state, "--out", state);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--out {state}: is the --state file; name another file.", run.OneLineError(), StringComparison.Ordinal);
        Assert.False(File.Exists(state));
    }

    [Fact]
    public void StateWithACutoff_IsAnInputErrorSayingWhy()
    {
        var folder = Cli.TempFolder();
        var state = Path.Combine(folder, "s.rfmstate");
        var accumulator = new RfmAccumulator(cutoff: new DateTime(2024, 1, 5));
        accumulator.Add(new Transaction("a", "1001", new DateTime(2024, 1, 1, 10, 0, 0), 10.50m));
        using (var file = File.Create(state))
        {
            accumulator.Save(file);
        }

        var alone = Analyze(null, "--state", state);
        var adding = Analyze(Write(folder, "night2.csv", Night2), "--state", state);

        foreach (var run in new[] { alone, adding })
        {
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("saved with a cut-off (2024-01-05 00:00:00)", run.OneLineError(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DamagedState_IsAnInputErrorNamingTheFile()
    {
        var folder = Cli.TempFolder();
        var state = Path.Combine(folder, "s.rfmstate");
        Assert.Equal(0, Analyze(Write(folder, "night1.csv", Night1), "--state", state).ExitCode);
        var bytes = File.ReadAllBytes(state);
        bytes[^6] ^= 0x10;
        File.WriteAllBytes(state, bytes);

        var run = Analyze(null, "--state", state);

        Assert.Equal(1, run.ExitCode);
        var error = run.OneLineError();
        Assert.Contains($"--state {state}", error, StringComparison.Ordinal);
        Assert.Contains("corrupt", error, StringComparison.Ordinal);
    }

    [Fact]
    public void StateFile_ThatIsTheInput_IsRefused()
    {
        var folder = Cli.TempFolder();
        var night1 = Write(folder, "night1.csv", Night1);

        var run = Analyze(night1, "--state", night1);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is the input file", run.OneLineError(), StringComparison.Ordinal);
        Assert.Equal(Header + Night1, File.ReadAllText(night1));
    }

    private static CliRun Analyze(string? input, params string[] options) =>
        Cli.Invoke([.. new[] { "analyze" }, .. input is null ? [] : new[] { input }, .. Columns, .. options]);

    private static string Write(string folder, string name, string rows)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, Header + rows);
        return path;
    }

    private static string AfterFirstLine(string text) => text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..];
}
