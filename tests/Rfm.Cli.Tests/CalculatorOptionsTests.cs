namespace Rfm.Cli.Tests;

/// <summary>
/// The calculator the command line describes goes through the core's options: the cancellation rule can be set, a map
/// that adapts to the number of scores can be chosen, and each problem names its option.
/// </summary>
public sealed class CalculatorOptionsTests
{
    private const string Input = "customer,order,date,amount\na,1,2024-01-01,10\na,X9,2024-01-02,5\nb,C2,2024-01-03,20\nc,3,2024-01-04,30\nd,4C,2024-01-05,7\n";

    private static string[] Columns => ["--customer", "customer", "--order", "order", "--date", "date", "--amount", "amount", "--as-of", "2024-02-01"];

    [Theory]
    [InlineData(new string[0], "a 15|c 30|d 7")]
    [InlineData(new[] { "--cancellation-prefix", "X" }, "a 10|b 20|c 30|d 7")]
    [InlineData(new[] { "--cancellation-contains", "C" }, "a 15|c 30")]
    [InlineData(new[] { "--keep-cancellations" }, "a 15|b 20|c 30|d 7")]
    [InlineData(new[] { "--preset", "tutorial" }, "a 15|c 30")]
    [InlineData(new[] { "--preset", "tutorial", "--keep-cancellations" }, "a 15|b 20|c 30|d 7")]
    public void CancellationOptions_DecideWhichOrdersAreCancelled(string[] options, string customers)
    {
        var (input, output) = Files();

        var run = Cli.Invoke(["analyze", input, .. Columns, .. options, "--out", output]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(customers, Customers(output));
    }

    [Fact]
    public void CancellationOptions_AreTheSame_OnTheDuckDbEngine()
    {
        var (input, output) = Files();
        var duckdb = Path.Combine(Path.GetDirectoryName(output)!, "duckdb.csv");

        var memory = Cli.Invoke(["analyze", input, .. Columns, "--cancellation-contains", "C", "--out", output]);
        var engine = Cli.Invoke(["analyze", input, .. Columns, "--cancellation-contains", "C", "--engine", "duckdb", "--out", duckdb]);

        Assert.True(memory.ExitCode == 0 && engine.ExitCode == 0, memory.Error + engine.Error);
        Assert.Equal("a 15|c 30", Customers(duckdb));
        Assert.Equal(File.ReadAllText(output), File.ReadAllText(duckdb));
    }

    [Fact]
    public void CancellationOptions_SetTheRowsOfCountingCommands()
    {
        var (input, _) = Files();

        var kept = Cli.Invoke(["kpi", input, .. Columns[..^2], "--keep-cancellations", "--format", "csv"]);
        var cut = Cli.Invoke(["kpi", input, .. Columns[..^2], "--format", "csv"]);

        Assert.True(kept.ExitCode == 0 && cut.ExitCode == 0, kept.Error + cut.Error);
        Assert.Contains(",72", kept.Out, StringComparison.Ordinal);
        Assert.Contains(",52", cut.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(",52", kept.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(",72", cut.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--keep-cancellations", "--cancellation-prefix", "C" }, "rfm: Give one of --cancellation-prefix, --cancellation-contains and --keep-cancellations.")]
    [InlineData(new[] { "--cancellation-prefix", "X", "--cancellation-contains", "C" }, "rfm: Give one of --cancellation-prefix, --cancellation-contains and --keep-cancellations.")]
    [InlineData(new[] { "--cancellation-contains", "" }, "rfm: --cancellation-contains: the text is empty.")]
    [InlineData(new[] { "--bins", "4", "--scoring", "fixed:1/2/3/4" }, "rfm: --scoring with --bins 4: 4 fixed thresholds make 5 scores, but the scheme has 4.")]
    [InlineData(new[] { "--scoring", "quantile,median,quantile" }, "rfm: --scoring: Unknown scoring 'median'")]
    public void WrongOptions_AreUsageErrors_NamingTheOption(string[] options, string message)
    {
        var (input, output) = Files();

        var run = Cli.Invoke(["analyze", input, .. Columns, .. options, "--out", output]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(message, run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryScoringProblem_IsReported_AtOnce()
    {
        var (input, output) = Files();

        var run = Cli.Invoke(["analyze", input, .. Columns, "--scoring", "median,quantile,mode", "--out", output]);

        Assert.Equal(2, run.ExitCode);
        var error = run.OneLineError();
        Assert.StartsWith("rfm: --scoring: Unknown scoring 'median'", error, StringComparison.Ordinal);
        Assert.Contains(" --scoring: Unknown scoring 'mode'", error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void TiersMap_WorksForAnyNumberOfScores()
    {
        var (input, output) = Files();

        var run = Cli.Invoke(["analyze", input, .. Columns, "--bins", "3", "--segments", "tiers", "--out", output]);
        var shown = Cli.Invoke("segments", "tiers", "--bins", "4");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.All(File.ReadAllLines(output).Skip(1), line => Assert.Matches("(top|middle|bottom)_tier$", line));
        Assert.True(shown.ExitCode == 0, shown.Error);
        Assert.Contains("top_tier", shown.Out, StringComparison.Ordinal);
        Assert.Contains("of 64 R/F/M combinations", shown.Out, StringComparison.Ordinal);
    }

    private static (string Input, string Output) Files()
    {
        var folder = Cli.TempFolder();
        var input = Path.Combine(folder, "in.csv");
        File.WriteAllText(input, Input);
        return (input, Path.Combine(folder, "out.csv"));
    }

    // Each customer and their money, from the written CSV (customer_id first, monetary fourth).
    private static string Customers(string output) =>
        string.Join('|', File.ReadAllLines(output).Skip(1).Select(line => line.Split(',')).Select(cells => $"{cells[0]} {cells[3]}"));
}
