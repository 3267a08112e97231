using System.Text;
using Rfm.Cli.Output;

namespace Rfm.Cli.Tests;

/// <summary>Input echoed to a terminal (messages, summaries, rows shown on screen) can never act on the terminal.</summary>
public sealed class TerminalEscapeTests
{
    private const string Hostile = "\u001b]0;pwned\a\u001b[2J\u001b[31mRED";

    private static string[] Columns => ["--customer", "customer", "--order", "order", "--date", "date", "--amount", "amount", "--as-of", "2024-02-01"];

    private static string Write(string content, string name = "in.csv")
    {
        var path = Path.Combine(Cli.TempFolder(), name);
        File.WriteAllText(path, content);
        return path;
    }

    private static void AssertNoControls(string text)
    {
        var control = text.FirstOrDefault(c => TerminalText.IsControl(c));
        Assert.True(control == default, $"control character U+{(int)control:X4} reached the terminal in: {text}");
    }

    [Fact]
    public void ErrorMessage_EchoingAnEscapeSequence_ShowsItAsText()
    {
        var input = Write($"customer,order,date,amount\na,1,{Hostile},1\n");

        var run = Cli.Invoke(["analyze", input, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        AssertNoControls(run.Error);
        Assert.EndsWith(@"(value '\e]0;pwned\a\e[2J\e[31mRED').", run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorMessage_EchoingANul_ShowsItAsText()
    {
        var input = Write("customer,order,date,amount\na,1,2024-01-0\01,1\n");

        var run = Cli.Invoke(["analyze", input, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        AssertNoControls(run.Error);
        Assert.Contains(@"'2024-01-0\01'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void UsageError_EchoingAnArgument_ShowsControlsAsText()
    {
        var run = Cli.Invoke("analyze", Cli.BundledData, "--bins", "\u001b[31m7\u009b2J");

        Assert.Equal(2, run.ExitCode);
        AssertNoControls(run.Error);
        Assert.Contains(@"'\e[31m7\x9B2J'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseError_EchoingAnUnknownOption_ShowsControlsAsText()
    {
        var run = Cli.Invoke("analyze", Cli.BundledData, "--\u001b[2Jboom");

        Assert.Equal(2, run.ExitCode);
        AssertNoControls(run.Error);
        Assert.Contains(@"--\e[2Jboom", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_EchoingASegmentMapsText_ShowsControlsAsText()
    {
        var map = Write(
            """{ "name": "m\u001b[2J", "segments": [ { "key": "top", "r": "3-5", "action": "call\u0007\u202e", "channel": "e\rmail" } ], "other": { "key": "rest", "action": "wait\u0000" } }""",
            "map.json");
        var input = Write("customer,order,date,amount\na,1,2024-01-01,1\nb,2,2024-01-02,5\nc,3,2024-01-03,9\n");

        var run = Cli.Invoke(["analyze", input, .. Columns, "--segments", map, "--bins", "5"]);

        Assert.True(run.ExitCode == 0, run.Error);
        AssertNoControls(run.Out);
        Assert.Contains(@"call\a\u202E (e\rmail)", run.Out, StringComparison.Ordinal);
        Assert.Contains(@"wait\0", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void SegmentsCommand_ShowingAMapsText_ShowsControlsAsText()
    {
        var map = Write("""{ "name": "evil\u001b]0;x\u0007", "segments": [ { "key": "k", "name": "K\u009b", "r": "1-5" } ] }""", "map.json");

        var run = Cli.Invoke("segments", map);

        Assert.True(run.ExitCode == 0, run.Error);
        AssertNoControls(run.Out);
        Assert.StartsWith(@"evil\e]0;x\a", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void RowsIntoAPipe_KeepTheirBytes_WhileTheSummaryOnStandardErrorIsEscaped()
    {
        var input = Write("customer,order,date,amount\n\"a\u001b[31m\",1,2024-01-01,1\n");

        var run = Cli.Invoke(["analyze", input, .. Columns, "--out", "-"]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("a\u001b[31m", run.Out, StringComparison.Ordinal);
        AssertNoControls(run.Error);
    }

    [Fact]
    public void RowsOntoATerminal_AreEscaped()
    {
        var input = Write("customer,order,date,amount\n\"a\u001b[31m\",1,2024-01-01,1\n");
        var output = new StringWriter();
        var error = new StringWriter();

        var code = RfmCommandLine.Run(
            ["analyze", input, .. Columns, "--out", "-"],
            new CliConsole(new MemoryStream(), output, error, ShowProgress: false, OutIsTerminal: true));

        Assert.True(code == 0, error.ToString());
        AssertNoControls(output.ToString());
        Assert.Contains(@"a\e[31m", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RealProcess_StandardErrorCarriesNoEscapeByte()
    {
        var input = Write($"customer,order,date,amount\na,1,{Hostile},1\n");

        var run = Cli.Process(["analyze", input, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        AssertNoControls(run.Error.TrimEnd('\n'));
        Assert.Contains(@"\e[2J", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain text, é and 日本", "plain text, é and 日本")]
    [InlineData("tab\tand\nline", "tab\tand\nline")]
    [InlineData("\0\a\b\u001b\f\r\v", @"\0\a\b\e\f\r\v")]
    [InlineData("\u0001\u001f\u007f\u0085\u009b", @"\x01\x1F\x7F\x85\x9B")]
    [InlineData("\u061c\u200e\u200f\u2028\u2029\u202a\u202e\u2066\u2069", @"\u061C\u200E\u200F\u2028\u2029\u202A\u202E\u2066\u2069")]
    public void Escape_ShowsEveryControlAndKeepsEverythingElse(string text, string expected) =>
        Assert.Equal(expected, TerminalText.Escape(text));

    [Theory]
    [InlineData(null, "")]
    [InlineData("plain", "plain")]
    [InlineData("a\tb\nc\r\u001b", @"a\tb\nc\r\e")]
    public void Value_EscapesLineFeedsAndTabsToo(string? text, string expected) =>
        Assert.Equal(expected, TerminalText.Value(text));

    [Fact]
    public void ErrorMessage_EchoingALineBreak_StaysOneLine()
    {
        var input = Write("customer,order,date,amount\na,1,\"2024-01-01\nDROP\",1\n");

        var run = Cli.Invoke(["analyze", input, .. Columns]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(@"2024-01-01\nDROP", run.OneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public void Escape_OfTextWithoutControls_IsTheSameString()
    {
        const string text = "nothing to escape";

        Assert.Same(text, TerminalText.Escape(text));
    }

    [Fact]
    public void SafeWriter_EscapesEveryWritePath_AndKeepsItsLineEnds()
    {
        var inner = new StringWriter { NewLine = "\r\n" };
        var writer = TerminalSafeWriter.Over(inner);

        writer.Write('\u001b');
        writer.Write("\a");
        writer.Write("x\r".ToCharArray(), 0, 2);
        writer.Write("\0".AsSpan());
        writer.WriteLine("\u009b");
        writer.WriteLine(42);

        Assert.Equal("\\e\\ax\\r\\0\\x9B\r\n42\r\n", inner.ToString());
        Assert.Same(writer, TerminalSafeWriter.Over(writer));
        Assert.Equal(Encoding.Unicode.WebName, writer.Encoding.WebName);
    }
}
