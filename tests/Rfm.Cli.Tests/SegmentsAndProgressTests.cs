using Rfm.Cli.Output;

namespace Rfm.Cli.Tests;

public sealed class SegmentsAndProgressTests
{
    [Fact]
    public void Segments_ListsBuiltInMapsWithGridAndCoverage()
    {
        var run = Cli.Invoke("segments");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("classic", run.Out, StringComparison.Ordinal);
        Assert.Contains("eleven-segments", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"\n  5\s+cant_lose\s+cant_lose\s+loyal_customers\s+loyal_customers\s+champions", run.Out);
        Assert.Matches(@"new_customers\s+0 .*shadowed", run.Out);
    }

    [Fact]
    public void Segments_ShowsACustomMapFile()
    {
        var path = Path.Combine(Cli.TempFolder(), "map.json");
        File.WriteAllText(path, """{ "name": "mine", "segments": [ { "key": "best", "pattern": "[4-5][4-5]" } ] }""");

        var run = Cli.Invoke("segments", path, "--bins", "5");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("mine", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"best\s+20 ", run.Out);
        Assert.Matches(@"other\s+105 .*no rule covers", run.Out);
    }

    [Fact]
    public void Segments_LongKeys_WidenTheirColumnsInsteadOfRunningTogether()
    {
        var path = Path.Combine(Cli.TempFolder(), "map.json");
        File.WriteAllText(path, """{ "segments": [ { "key": "a_segment_key_of_thirty_chars", "pattern": "[4-5].." }, { "key": "another_key_of_twenty_eight", "r": "1-3" } ] }""");

        var run = Cli.Invoke("segments", path, "--bins", "5");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"\n  a_segment_key_of_thirty_chars 4-5 +any +any", run.Out);
        Assert.Matches(@"\n  5 +another_key_of_twenty_eight +another_key_of_twenty_eight +another_key_of_twenty_eight +a_segment_key_of_thirty_chars +a_segment_key_of_thirty_chars\n", run.Out);
        Assert.Matches(@"\n  a_segment_key_of_thirty_chars +50  ", run.Out);
    }

    [Fact]
    public void Segments_AnEndlessDevice_IsRefusedAtTheSizeBound()
    {
        var run = Cli.Invoke("segments", "/dev/zero");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("rfm: /dev/zero: longer than 16 MiB, the most a segment map may be; is it a segment map?", run.OneLineError());
    }

    [Fact]
    public void Segments_MapOf200KRules_IsRefusedNamingTheBound()
    {
        var path = Path.Combine(Cli.TempFolder(), "many.json");
        File.WriteAllText(path, $$"""{"segments":[{{string.Join(",", Enumerable.Range(0, 200_000).Select(i => $$"""{"key":"s{{i}}","r":"1"}"""))}}]}""");

        var run = Cli.Invoke("segments", path);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"rfm: {path}: A segment map has at most 1,000 rules, one for each R, F, M cell of ten scores; this one has 200,000.", run.OneLineError());
    }

    [Fact]
    public void Progress_IsSilentWhenNotATerminalOrQuiet()
    {
        var quiet = Cli.Run(string.Empty, showProgress: true, "analyze", Cli.BundledData, "--quiet");
        var piped = Cli.Run(string.Empty, showProgress: false, "analyze", Cli.BundledData);

        Assert.Equal(string.Empty, quiet.Error);
        Assert.Equal(string.Empty, piped.Error);
    }

    [Fact]
    public void Progress_OnATerminal_ShowsRowsRateAndPercent()
    {
        // Latin-1 sends the file to the general reader: the byte-level one is done before the first quarter second.
        var run = Cli.Run(string.Empty, showProgress: true, "analyze", Cli.BundledData, "--encoding", "latin1");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"\r[\d,]+ rows, [\d,]+ rows/s, \d+ %", run.Error);
    }

    [Fact]
    public void ProgressLine_ShowsTheShareTheReaderReports()
    {
        var terminal = new StringWriter();
        IProgress<(long Rows, double Fraction)> progress = new ProgressLine(terminal, () => 0.5);

        Thread.Sleep(300);
        progress.Report((20_000, 0.25));

        Assert.Contains("20,000 rows", terminal.ToString(), StringComparison.Ordinal);
        Assert.Contains("25 %", terminal.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ProgressLine_DrawsAtMostEveryQuarterSecond_AndClears()
    {
        var terminal = new StringWriter();
        var progress = new ProgressLine(terminal, () => 0.5);

        progress.Report(10);
        Thread.Sleep(300);
        progress.Report(20_000);
        progress.Report(30_000);
        progress.Clear();

        var text = terminal.ToString();
        Assert.Contains("20,000 rows", text, StringComparison.Ordinal);
        Assert.DoesNotContain("30,000", text, StringComparison.Ordinal);
        Assert.Contains("50 %", text, StringComparison.Ordinal);
        Assert.EndsWith("\r", text, StringComparison.Ordinal);
    }
}
